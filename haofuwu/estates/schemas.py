"""API schemas of the estates registry: ``<Entity>In`` for create, ``<Entity>Patch`` for update, ``<Entity>Out``,
``<Entity>Filter`` for list query parameters. Fields are explicit; enumerations are validated here so that a wrong
value is a 422 naming the field. Bodies are strict (no "12" for 12, no 0 for a date); a PATCH field may be left out,
and only the columns that may be empty accept ``null``. Phone, ID number and credit code follow core's one rule
(``core/identifiers.py``) and come back in their canonical spelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from haofuwu.accounts.roles import Trade
from haofuwu.core.api_types import ObjectId, Omittable, StrictBool, StrictDate, StrictInt, Text
from haofuwu.core.identifiers import CreditCode, IdNumber, PhoneNumber
from haofuwu.core.regions import District
from haofuwu.estates.choices import CertificateKind, ProjectType, Qualification, Relation, ResidentTag, UnitStatus

Area = Annotated[Decimal, Field(ge=0, le=Decimal("99999999"), max_digits=12, decimal_places=2)]
SmallCount = Annotated[int, Field(ge=0, le=32767)]


class CompanyIn(Schema):
    name: Text = Field(..., min_length=1, max_length=100)
    credit_code: CreditCode
    qualification: Qualification = Qualification.NONE
    legal_representative: Text = Field("", max_length=50)
    address: Text = Field("", max_length=200)
    phone: PhoneNumber = ""


class CompanyPatch(Schema):
    name: Text = Omittable(min_length=1, max_length=100)
    credit_code: CreditCode = Omittable()
    qualification: Qualification = Omittable()
    legal_representative: Text = Omittable(max_length=50)
    address: Text = Omittable(max_length=200)
    phone: PhoneNumber = Omittable()


class CompanyOut(Schema):
    id: int
    name: str
    credit_code: str
    qualification: str
    legal_representative: str
    address: str
    phone: str
    project_count: int = 0
    created_at: dt.datetime
    updated_at: dt.datetime


class CompanyFilter(Schema):
    search: Text = Field("", max_length=100)
    district: District | None = None


class ProjectIn(Schema):
    company_id: ObjectId
    name: Text = Field(..., min_length=1, max_length=100)
    district: District
    street: Text = Field("", max_length=50)
    community: Text = Field("", max_length=50)
    address: Text = Field(..., min_length=1, max_length=200)
    project_type: ProjectType = ProjectType.RESIDENTIAL
    handover_date: StrictDate | None = None
    delivery_date: StrictDate | None = None
    floor_area: Area = Decimal(0)
    household_count: StrictInt = Field(0, ge=0, le=1_000_000)
    has_elevators: StrictBool = False
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    service_phone: PhoneNumber = ""


class ProjectPatch(Schema):
    name: Text = Omittable(min_length=1, max_length=100)
    district: District = Omittable()
    street: Text = Omittable(max_length=50)
    community: Text = Omittable(max_length=50)
    address: Text = Omittable(min_length=1, max_length=200)
    project_type: ProjectType = Omittable()
    handover_date: StrictDate | None = None
    delivery_date: StrictDate | None = None
    floor_area: Area = Omittable()
    household_count: StrictInt = Omittable(ge=0, le=1_000_000)
    has_elevators: StrictBool = Omittable()
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    service_phone: PhoneNumber = Omittable()


class ProjectOut(Schema):
    id: int
    company_id: int
    company_name: str = Field(..., alias="company.name")
    name: str
    district: str
    street: str
    community: str
    address: str
    project_type: str
    handover_date: dt.date | None
    delivery_date: dt.date | None
    floor_area: Decimal
    household_count: int
    has_elevators: bool
    latitude: Decimal | None
    longitude: Decimal | None
    service_phone: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ProjectFilter(Schema):
    company: ObjectId | None = None
    district: District | None = None
    project_type: ProjectType | None = None
    has_elevators: bool | None = None
    search: Text = Field("", max_length=100)


class BuildingIn(Schema):
    project_id: ObjectId
    name: Text = Field(..., min_length=1, max_length=50)
    floors_above: StrictInt = Field(1, ge=1, le=200)
    floors_below: StrictInt = Field(0, ge=0, le=20)
    entrances: StrictInt = Field(1, ge=1, le=50)
    elevator_count: StrictInt = Field(0, ge=0, le=200)
    completed_year: StrictInt | None = Field(None, ge=1900, le=2100)
    floor_area: Area = Decimal(0)


class BuildingPatch(Schema):
    name: Text = Omittable(min_length=1, max_length=50)
    floors_above: StrictInt = Omittable(ge=1, le=200)
    floors_below: StrictInt = Omittable(ge=0, le=20)
    entrances: StrictInt = Omittable(ge=1, le=50)
    elevator_count: StrictInt = Omittable(ge=0, le=200)
    completed_year: StrictInt | None = Field(None, ge=1900, le=2100)
    floor_area: Area = Omittable()


class BuildingOut(Schema):
    id: int
    project_id: int
    name: str
    floors_above: int
    floors_below: int
    entrances: int
    elevator_count: int
    completed_year: int | None
    floor_area: Decimal
    unit_count: int = 0
    created_at: dt.datetime
    updated_at: dt.datetime


class BuildingFilter(Schema):
    project: ObjectId | None = None
    search: Text = Field("", max_length=50)


class UnitIn(Schema):
    building_id: ObjectId
    entrance: Text = Field("1", min_length=1, max_length=10)
    floor: StrictInt = Field(..., ge=-20, le=200)
    room: Text = Field(..., min_length=1, max_length=20)
    area: Area = Decimal(0)
    status: UnitStatus = UnitStatus.OCCUPIED


class UnitPatch(Schema):
    entrance: Text = Omittable(min_length=1, max_length=10)
    floor: StrictInt = Omittable(ge=-20, le=200)
    room: Text = Omittable(min_length=1, max_length=20)
    area: Area = Omittable()
    status: UnitStatus = Omittable()


class UnitOut(Schema):
    id: int
    building_id: int
    building_name: str = Field(..., alias="building.name")
    project_id: int = Field(..., alias="building.project_id")
    entrance: str
    floor: int
    room: str
    area: Decimal
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime


class UnitFilter(Schema):
    project: ObjectId | None = None
    building: ObjectId | None = None
    status: UnitStatus | None = None
    entrance: Text = Field("", max_length=10)
    search: Text = Field("", max_length=20)


class ResidentIn(Schema):
    unit_id: ObjectId
    name: Text = Field(..., min_length=1, max_length=50)
    phone: PhoneNumber = ""
    id_number: IdNumber = ""
    relation: Relation = Relation.OWNER
    birth_year: StrictInt | None = Field(None, ge=1900, le=2100)
    moved_in_on: StrictDate | None = None
    note: Text = Field("", max_length=200)
    tags: list[ResidentTag] = Field(default_factory=list, max_length=len(ResidentTag))


class ResidentPatch(Schema):
    name: Text = Omittable(min_length=1, max_length=50)
    phone: PhoneNumber = Omittable()
    id_number: IdNumber = Omittable()
    relation: Relation = Omittable()
    birth_year: StrictInt | None = Field(None, ge=1900, le=2100)
    moved_in_on: StrictDate | None = None
    note: Text = Omittable(max_length=200)
    tags: list[ResidentTag] = Omittable(max_length=len(ResidentTag))


class ResidentOut(Schema):
    id: int
    unit_id: int
    unit_label: str
    project_id: int
    name: str
    phone: str = Field(..., description="Masked (138****5678) for roles that do not need it.")
    id_number: str = Field(..., description="Masked for roles that do not need it.")
    relation: str
    birth_year: int | None
    moved_in_on: dt.date | None
    note: str
    tags: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class ResidentFilter(Schema):
    project: ObjectId | None = None
    building: ObjectId | None = None
    unit: ObjectId | None = None
    relation: Relation | None = None
    tag: ResidentTag | None = None
    is_vulnerable: bool | None = None
    search: Text = Field("", max_length=50)


class CertificateOut(Schema):
    id: int
    kind: CertificateKind
    number: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    is_expired: bool


class AssignmentOut(Schema):
    project_id: int
    started_on: dt.date
    ended_on: dt.date | None


class StaffIn(Schema):
    company_id: ObjectId
    name: Text = Field(..., min_length=1, max_length=50)
    employee_no: Text = Field(..., min_length=1, max_length=30)
    trade: Trade
    is_manager: StrictBool = False
    phone: PhoneNumber = ""
    hired_on: StrictDate | None = None
    is_active: StrictBool = True
    project_ids: list[ObjectId] = Field(default_factory=list, max_length=100)


class StaffPatch(Schema):
    name: Text = Omittable(min_length=1, max_length=50)
    employee_no: Text = Omittable(min_length=1, max_length=30)
    trade: Trade = Omittable()
    is_manager: StrictBool = Omittable()
    phone: PhoneNumber = Omittable()
    hired_on: StrictDate | None = None
    is_active: StrictBool = Omittable()
    project_ids: list[ObjectId] = Omittable(max_length=100)


class StaffOut(Schema):
    id: int
    company_id: int
    name: str
    employee_no: str
    trade: str
    is_manager: bool
    phone: str
    hired_on: dt.date | None
    is_active: bool
    assignments: list[AssignmentOut]
    certificates: list[CertificateOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class StaffFilter(Schema):
    company: ObjectId | None = None
    project: ObjectId | None = None
    trade: Trade | None = None
    is_active: bool | None = None
    search: Text = Field("", max_length=50)


class CertificateIn(Schema):
    kind: CertificateKind
    number: Text = Field("", max_length=50)
    issued_on: StrictDate | None = None
    expires_on: StrictDate | None = None
