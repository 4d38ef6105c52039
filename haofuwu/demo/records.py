"""The records of the demo data set: plain dataclasses, nested company → project → building → household → people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from haofuwu.demo.places import ProjectPlan


@dataclass
class Person:
    name: str
    is_male: bool
    birth: dt.date
    id_number: str
    phone: str


@dataclass
class ResidentData:
    person: Person
    relation: str
    moved_in_on: dt.date
    tags: list[str] = field(default_factory=list)


@dataclass
class UnitData:
    entrance: str
    floor: int
    room: str
    area: float
    status: str
    residents: list[ResidentData] = field(default_factory=list)


@dataclass
class BuildingData:
    name: str
    floors_above: int
    floors_below: int
    entrances: int
    elevator_count: int
    completed_year: int
    units: list[UnitData] = field(default_factory=list)

    @property
    def floor_area(self) -> float:
        return round(sum(unit.area for unit in self.units), 2)


@dataclass
class CertificateData:
    kind: str
    number: str
    issued_on: dt.date
    expires_on: dt.date | None


@dataclass
class StaffData:
    person: Person
    employee_no: str
    trade: str
    is_manager: bool
    hired_on: dt.date
    started_on: dt.date
    certificates: list[CertificateData] = field(default_factory=list)


@dataclass
class ProjectData:
    plan: ProjectPlan
    service_phone: str
    buildings: list[BuildingData] = field(default_factory=list)
    staff: list[StaffData] = field(default_factory=list)

    @property
    def units(self) -> list[UnitData]:
        return [unit for building in self.buildings for unit in building.units]


@dataclass
class CompanyData:
    name: str
    credit_code: str
    qualification: str
    legal_representative: str
    address: str
    phone: str


@dataclass(frozen=True)
class AccountData:
    """A log-in account of the demo, with the one role and scope it shows off."""

    username: str
    display_name: str
    role: str
    trade: str = ""
    district: str = ""
    company: int | None = None  # index into Dataset.companies
    project: int | None = None  # index into Dataset.projects
    # For staff accounts: the employee number of the staff record to link; for residents: (building, entrance, room).
    employee_no: str = ""
    household: tuple[str, str, str] | None = None
    is_superuser: bool = False


@dataclass
class Dataset:
    seed: int
    companies: list[CompanyData]
    projects: list[ProjectData]
    accounts: list[AccountData]

    @property
    def marker(self) -> str:
        """The credit code of the first company: present in the database once this data set is loaded."""
        return self.companies[0].credit_code
