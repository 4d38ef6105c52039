"""API of the estates registry: companies, projects, buildings, households, residents and staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from haofuwu.accounts.roles import CHANGE_STAFF, VIEW_PHONE
from haofuwu.core.api_types import ErrorOut, ObjectId, PageIn, PageOut, paginate
from haofuwu.core.masking import mask_phone
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors, services
from haofuwu.estates.models import Resident, Staff
from haofuwu.estates.schemas import (
    BuildingFilter,
    BuildingIn,
    BuildingOut,
    BuildingPatch,
    CertificateIn,
    CertificateOut,
    CompanyFilter,
    CompanyIn,
    CompanyOut,
    CompanyPatch,
    ProjectFilter,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ResidentFilter,
    ResidentIn,
    ResidentOut,
    ResidentPatch,
    StaffFilter,
    StaffIn,
    StaffOut,
    StaffPatch,
    UnitFilter,
    UnitIn,
    UnitOut,
    UnitPatch,
)

router = Router(tags=["estates"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _changes(payload: Any, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields a PATCH body actually sent."""
    return {key: value for key, value in payload.dict(exclude_unset=True).items() if key not in drop}


# Companies


@router.get("/companies", response=PageOut[CompanyOut])
def company_list(request: HttpRequest, filters: Query[CompanyFilter], page: Query[PageIn]):
    """Companies in the caller's scope."""
    queryset = selectors.company_list_for_user(_scope(request), search=filters.search, district=filters.district or "")
    return paginate(queryset, page)


@router.get("/companies/{company_id}", response={200: CompanyOut, 404: ErrorOut})
def company_detail(request: HttpRequest, company_id: ObjectId):
    return selectors.company_get_for_user(_scope(request), company_id)


@router.post("/companies", response={201: CompanyOut, **ERRORS})
def company_create(request: HttpRequest, payload: CompanyIn):
    """Register a company (platform administrators)."""
    company = services.company_create(actor=request.user, data=payload.dict())
    return 201, selectors.company_get_for_user(_scope(request), company.pk)


@router.patch("/companies/{company_id}", response={200: CompanyOut, **ERRORS})
def company_update(request: HttpRequest, company_id: ObjectId, payload: CompanyPatch):
    services.company_update(actor=request.user, company_id=company_id, data=_changes(payload))
    return selectors.company_get_for_user(_scope(request), company_id)


# Projects


@router.get("/projects", response=PageOut[ProjectOut])
def project_list(request: HttpRequest, filters: Query[ProjectFilter], page: Query[PageIn]):
    """Projects (小区) in the caller's scope."""
    queryset = selectors.project_list_for_user(
        _scope(request),
        company_id=filters.company,
        district=filters.district or "",
        project_type=filters.project_type or "",
        has_elevators=filters.has_elevators,
        search=filters.search,
    )
    return paginate(queryset, page)


@router.get("/projects/{project_id}", response={200: ProjectOut, 404: ErrorOut})
def project_detail(request: HttpRequest, project_id: ObjectId):
    return selectors.project_get_for_user(_scope(request), project_id)


@router.post("/projects", response={201: ProjectOut, **ERRORS})
def project_create(request: HttpRequest, payload: ProjectIn):
    project = services.project_create(
        actor=request.user, company_id=payload.company_id, data=payload.dict(exclude={"company_id"})
    )
    return 201, selectors.project_get_for_user(_scope(request), project.pk)


@router.patch("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def project_update(request: HttpRequest, project_id: ObjectId, payload: ProjectPatch):
    services.project_update(actor=request.user, project_id=project_id, data=_changes(payload))
    return selectors.project_get_for_user(_scope(request), project_id)


# Buildings


@router.get("/buildings", response=PageOut[BuildingOut])
def building_list(request: HttpRequest, filters: Query[BuildingFilter], page: Query[PageIn]):
    queryset = selectors.building_list_for_user(_scope(request), project_id=filters.project, search=filters.search)
    return paginate(queryset, page)


@router.get("/buildings/{building_id}", response={200: BuildingOut, 404: ErrorOut})
def building_detail(request: HttpRequest, building_id: ObjectId):
    return selectors.building_get_for_user(_scope(request), building_id)


@router.post("/buildings", response={201: BuildingOut, **ERRORS})
def building_create(request: HttpRequest, payload: BuildingIn):
    building = services.building_create(
        actor=request.user, project_id=payload.project_id, data=payload.dict(exclude={"project_id"})
    )
    return 201, selectors.building_get_for_user(_scope(request), building.pk)


@router.patch("/buildings/{building_id}", response={200: BuildingOut, **ERRORS})
def building_update(request: HttpRequest, building_id: ObjectId, payload: BuildingPatch):
    services.building_update(actor=request.user, building_id=building_id, data=_changes(payload))
    return selectors.building_get_for_user(_scope(request), building_id)


# Households


@router.get("/units", response=PageOut[UnitOut])
def unit_list(request: HttpRequest, filters: Query[UnitFilter], page: Query[PageIn]):
    """Households; a resident sees only their own."""
    queryset = selectors.unit_list_for_user(
        _scope(request),
        project_id=filters.project,
        building_id=filters.building,
        status=filters.status or "",
        entrance=filters.entrance,
        search=filters.search,
    )
    return paginate(queryset, page)


@router.get("/units/{unit_id}", response={200: UnitOut, 404: ErrorOut})
def unit_detail(request: HttpRequest, unit_id: ObjectId):
    return selectors.unit_get_for_user(_scope(request), unit_id)


@router.post("/units", response={201: UnitOut, **ERRORS})
def unit_create(request: HttpRequest, payload: UnitIn):
    unit = services.unit_create(
        actor=request.user, building_id=payload.building_id, data=payload.dict(exclude={"building_id"})
    )
    return 201, selectors.unit_get_for_user(_scope(request), unit.pk)


@router.patch("/units/{unit_id}", response={200: UnitOut, **ERRORS})
def unit_update(request: HttpRequest, unit_id: ObjectId, payload: UnitPatch):
    services.unit_update(actor=request.user, unit_id=unit_id, data=_changes(payload))
    return selectors.unit_get_for_user(_scope(request), unit_id)


# Residents


def _resident_out(scope: Scope, resident: Resident) -> dict[str, Any]:
    personal = selectors.resident_personal_data(scope, resident)
    unit = resident.unit
    return {
        "id": resident.pk,
        "unit_id": unit.pk,
        "unit_label": unit.label,
        "project_id": unit.building.project_id,
        "name": resident.name,
        "phone": personal.phone,
        "id_number": personal.id_number,
        "relation": resident.relation,
        "birth_year": resident.birth_year,
        "moved_in_on": resident.moved_in_on,
        "note": resident.note,
        "tags": sorted(tagging.tag for tagging in resident.tags.all()),
        "created_at": resident.created_at,
        "updated_at": resident.updated_at,
    }


@router.get("/residents", response=PageOut[ResidentOut])
def resident_list(request: HttpRequest, filters: Query[ResidentFilter], page: Query[PageIn]):
    """Residents; phone and ID number are masked for roles that do not need them."""
    scope = _scope(request)
    queryset = selectors.resident_list_for_user(
        scope,
        project_id=filters.project,
        building_id=filters.building,
        unit_id=filters.unit,
        relation=filters.relation or "",
        tag=filters.tag or "",
        is_vulnerable=filters.is_vulnerable,
        search=filters.search,
    )
    return paginate(queryset, page, lambda resident: _resident_out(scope, resident))


@router.get("/residents/{resident_id}", response={200: ResidentOut, 404: ErrorOut})
def resident_detail(request: HttpRequest, resident_id: ObjectId):
    scope = _scope(request)
    return _resident_out(scope, selectors.resident_get_for_user(scope, resident_id))


@router.post("/residents", response={201: ResidentOut, **ERRORS})
def resident_create(request: HttpRequest, payload: ResidentIn):
    resident = services.resident_create(
        actor=request.user,
        unit_id=payload.unit_id,
        data=payload.dict(exclude={"unit_id", "tags"}),
        tags=[str(tag) for tag in payload.tags],
    )
    scope = _scope(request)
    return 201, _resident_out(scope, selectors.resident_get_for_user(scope, resident.pk))


@router.patch("/residents/{resident_id}", response={200: ResidentOut, **ERRORS})
def resident_update(request: HttpRequest, resident_id: ObjectId, payload: ResidentPatch):
    changes = _changes(payload, drop=("tags",))
    tags = [str(tag) for tag in payload.tags] if payload.tags is not None else None
    services.resident_update(actor=request.user, resident_id=resident_id, data=changes, tags=tags)
    scope = _scope(request)
    return _resident_out(scope, selectors.resident_get_for_user(scope, resident_id))


# Staff


def _staff_out(scope: Scope, staff: Staff) -> dict[str, Any]:
    full_phone = scope.has(VIEW_PHONE) and scope.has(CHANGE_STAFF)
    return {
        "id": staff.pk,
        "company_id": staff.company_id,
        "name": staff.name,
        "employee_no": staff.employee_no,
        "trade": staff.trade,
        "is_manager": staff.is_manager,
        "phone": staff.phone if full_phone else mask_phone(staff.phone),
        "hired_on": staff.hired_on,
        "is_active": staff.is_active,
        "assignments": list(staff.assignments.all()),
        "certificates": list(staff.certificates.all()),
        "created_at": staff.created_at,
        "updated_at": staff.updated_at,
    }


@router.get("/staff", response=PageOut[StaffOut])
def staff_list(request: HttpRequest, filters: Query[StaffFilter], page: Query[PageIn]):
    """Staff of the caller's companies or projects, with certificates and assignments."""
    scope = _scope(request)
    queryset = selectors.staff_list_for_user(
        scope,
        company_id=filters.company,
        project_id=filters.project,
        trade=filters.trade or "",
        is_active=filters.is_active,
        search=filters.search,
    )
    return paginate(queryset, page, lambda staff: _staff_out(scope, staff))


@router.get("/staff/{staff_id}", response={200: StaffOut, 404: ErrorOut})
def staff_detail(request: HttpRequest, staff_id: ObjectId):
    scope = _scope(request)
    return _staff_out(scope, selectors.staff_get_for_user(scope, staff_id))


@router.post("/staff", response={201: StaffOut, **ERRORS})
def staff_create(request: HttpRequest, payload: StaffIn):
    staff = services.staff_create(
        actor=request.user,
        company_id=payload.company_id,
        data=payload.dict(exclude={"company_id", "project_ids"}),
        project_ids=payload.project_ids,
    )
    scope = _scope(request)
    return 201, _staff_out(scope, selectors.staff_get_for_user(scope, staff.pk))


@router.patch("/staff/{staff_id}", response={200: StaffOut, **ERRORS})
def staff_update(request: HttpRequest, staff_id: ObjectId, payload: StaffPatch):
    services.staff_update(
        actor=request.user,
        staff_id=staff_id,
        data=_changes(payload, drop=("project_ids",)),
        project_ids=payload.project_ids,
    )
    scope = _scope(request)
    return _staff_out(scope, selectors.staff_get_for_user(scope, staff_id))


@router.post("/staff/{staff_id}/certificates", response={201: CertificateOut, **ERRORS})
def staff_certificate_add(request: HttpRequest, staff_id: ObjectId, payload: CertificateIn):
    return 201, services.staff_certificate_add(actor=request.user, staff_id=staff_id, data=payload.dict())
