"""Write side of the estates registry: one atomic function per action, scoped, validated and audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.accounts.roles import CHANGE_ESTATES, CHANGE_STAFF, CREATE_COMPANY
from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, PermissionDenied, ValidationFailed
from haofuwu.core.identifiers import NORMALISERS, InvalidIdentifier
from haofuwu.core.masking import mask_id_number, mask_phone
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors
from haofuwu.estates.choices import ResidentTag
from haofuwu.estates.models import RESIDENT_ID_NUMBER_DIGEST as ID_NUMBER_DIGEST
from haofuwu.estates.models import RESIDENT_PHONE_DIGEST as PHONE_DIGEST
from haofuwu.estates.models import (
    Building,
    Company,
    Project,
    Resident,
    ResidentTagging,
    Staff,
    StaffAssignment,
    StaffCertificate,
    Unit,
)

M = TypeVar("M", bound=models.Model)

COMPANY_FIELDS = ("name", "credit_code", "qualification", "legal_representative", "address", "phone")
PROJECT_FIELDS = (
    "name",
    "district",
    "street",
    "community",
    "address",
    "project_type",
    "handover_date",
    "delivery_date",
    "floor_area",
    "household_count",
    "has_elevators",
    "latitude",
    "longitude",
    "service_phone",
)
BUILDING_FIELDS = (
    "name",
    "floors_above",
    "floors_below",
    "entrances",
    "elevator_count",
    "completed_year",
    "floor_area",
)
UNIT_FIELDS = ("entrance", "floor", "room", "area", "status")
RESIDENT_FIELDS = ("name", "phone", "id_number", "relation", "birth_year", "moved_in_on", "note")
STAFF_FIELDS = ("name", "employee_no", "trade", "is_manager", "phone", "hired_on", "is_active")
NOT_NULL = gettext_lazy("This field cannot be empty (null).")
# Personal data is written to the audit log masked, never in clear.
_MASKERS = {"phone": mask_phone, "id_number": mask_id_number}


def _scope(actor: Any) -> Scope:
    return scope_for_user(actor)


def _apply(obj: M, data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Set the allowed fields that are present in ``data``; return what changed (masked for the audit log)."""
    allowed = tuple(allowed)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationFailed({name: [_("This field cannot be set here.")] for name in unknown})
    changed: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if value is None and not obj._meta.get_field(name).null:
            errors[name] = [str(NOT_NULL)]
            continue
        normalise = NORMALISERS.get(name)
        if normalise is not None and value:
            # One rule for the API, the forms and the imports, so that equal numbers get equal lookup digests.
            try:
                value = normalise(value)
            except InvalidIdentifier as error:
                errors[name] = [error.message]
                continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            masker = _MASKERS.get(name)
            changed[name] = (
                masker(str(value))
                if masker
                else (value if isinstance(value, (int, bool, str)) or value is None else str(value))
            )
    if errors:
        raise ValidationFailed(errors)
    return changed


def _save(obj: M, *, exclude: Iterable[str] = ()) -> M:
    """Validate the whole object (fields, choices, uniqueness) and save it; errors carry the field name."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise ValidationFailed(_field_errors(error)) from None
    obj.save()
    return obj


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    """Django reports a broken multi-column unique constraint (project + name) as a form-wide error; put it on
    the column a person would change (the last one), with a message that says what clashed."""
    errors: dict[str, list[str]] = {}
    for name, items in error.error_dict.items():
        for item in items:
            field = name
            message = " ".join(item.messages)
            if name == "__all__" and item.code == "unique_together":
                fields = (item.params or {}).get("unique_check") or ()
                if fields:
                    field = fields[-1]
                    message = _("This value is already used here; it must be unique.")
            errors.setdefault(field, []).append(message)
    return errors


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(READ_ONLY)


@transaction.atomic
def company_create(*, actor: Any, data: Mapping[str, Any]) -> Company:
    """Register a property company (platform administrators only)."""
    scope = _scope(actor)
    _require(scope.has(CREATE_COMPANY))
    company = Company()
    _apply(company, data, COMPANY_FIELDS)
    _save(company)
    audit.record(actor, "company.create", company, {"name": company.name})
    return company


@transaction.atomic
def company_update(*, actor: Any, company_id: int, data: Mapping[str, Any]) -> Company:
    """Change a company's registration data (its administrators or the platform's)."""
    scope = _scope(actor)
    company = selectors.company_get_for_user(scope, company_id)
    _require(scope.has(CHANGE_ESTATES) and scope.can_write_company(company.pk))
    changed = _apply(company, data, COMPANY_FIELDS)
    if changed:
        _save(company)
        audit.record(actor, "company.update", company, changed)
    return company


@transaction.atomic
def project_create(*, actor: Any, company_id: int, data: Mapping[str, Any]) -> Project:
    """Take on a new project for a company."""
    scope = _scope(actor)
    company = selectors.company_get_for_user(scope, company_id)
    _require(scope.has(CHANGE_ESTATES) and scope.can_write_company(company.pk))
    project = Project(company=company)
    _apply(project, data, PROJECT_FIELDS)
    _save(project)
    audit.record(actor, "project.create", project, {"name": project.name})
    return project


@transaction.atomic
def project_update(*, actor: Any, project_id: int, data: Mapping[str, Any]) -> Project:
    """Change a project's data (company administrators and the project's manager)."""
    scope = _scope(actor)
    project = selectors.project_get_for_user(scope, project_id)
    _require(scope.has(CHANGE_ESTATES) and scope.can_write_project(project.pk, project.company_id))
    changed = _apply(project, data, PROJECT_FIELDS)
    if changed:
        _save(project)
        audit.record(actor, "project.update", project, changed)
    return project


def _writable_project(scope: Scope, project_id: int) -> Project:
    project = selectors.project_get_for_user(scope, project_id)
    _require(scope.has(CHANGE_ESTATES) and scope.can_write_project(project.pk, project.company_id))
    return project


@transaction.atomic
def building_create(*, actor: Any, project_id: int, data: Mapping[str, Any]) -> Building:
    """Add a building to a project."""
    project = _writable_project(_scope(actor), project_id)
    building = Building(project=project)
    _apply(building, data, BUILDING_FIELDS)
    _save(building)
    audit.record(actor, "building.create", building, {"project": project.pk, "name": building.name})
    return building


@transaction.atomic
def building_update(*, actor: Any, building_id: int, data: Mapping[str, Any]) -> Building:
    """Change a building's data."""
    scope = _scope(actor)
    building = selectors.building_get_for_user(scope, building_id)
    _writable_project(scope, building.project_id)
    changed = _apply(building, data, BUILDING_FIELDS)
    if changed:
        _save(building)
        audit.record(actor, "building.update", building, changed)
    return building


@transaction.atomic
def unit_create(*, actor: Any, building_id: int, data: Mapping[str, Any]) -> Unit:
    """Add a household to a building."""
    scope = _scope(actor)
    building = selectors.building_get_for_user(scope, building_id)
    _writable_project(scope, building.project_id)
    unit = Unit(building=building)
    _apply(unit, data, UNIT_FIELDS)
    _save(unit)
    audit.record(actor, "unit.create", unit, {"building": building.pk, "room": unit.room})
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit_id: int, data: Mapping[str, Any]) -> Unit:
    """Change a household's data."""
    scope = _scope(actor)
    unit = selectors.unit_get_for_user(scope, unit_id)
    _writable_project(scope, unit.building.project_id)
    changed = _apply(unit, data, UNIT_FIELDS)
    if changed:
        _save(unit)
        audit.record(actor, "unit.update", unit, changed)
    return unit


def _set_tags(resident: Resident, tags: Iterable[str]) -> list[str]:
    wanted = sorted(set(tags))
    unknown = [tag for tag in wanted if tag not in ResidentTag.values]
    if unknown:
        raise ValidationFailed({"tags": [_("Unknown tag: %(tag)s.") % {"tag": ", ".join(unknown)}]})
    current = set(resident.tags.values_list("tag", flat=True))
    if current == set(wanted):
        return []
    resident.tags.exclude(tag__in=wanted).delete()
    ResidentTagging.objects.bulk_create(
        [ResidentTagging(resident=resident, tag=tag) for tag in wanted if tag not in current]
    )
    return wanted


def resident_fill_indexes(resident: Resident) -> None:
    """Keep the keyed digests of phone and ID number in step with the encrypted values (of their canonical
    spelling, so the same number gives the same digest whichever door it came through)."""
    resident.phone_index = PHONE_DIGEST.compute(resident.phone)
    resident.id_number_index = ID_NUMBER_DIGEST.compute(resident.id_number)


@transaction.atomic
def resident_create(*, actor: Any, unit_id: int, data: Mapping[str, Any], tags: Iterable[str] = ()) -> Resident:
    """Register a resident in a household."""
    scope = _scope(actor)
    unit = selectors.unit_get_for_user(scope, unit_id)
    _writable_project(scope, unit.building.project_id)
    resident = Resident(unit=unit)
    _apply(resident, data, RESIDENT_FIELDS)
    resident_fill_indexes(resident)
    _save(resident)
    applied = _set_tags(resident, tags)
    audit.record(actor, "resident.create", resident, {"unit": unit.pk, "tags": applied})
    return resident


@transaction.atomic
def resident_update(
    *, actor: Any, resident_id: int, data: Mapping[str, Any], tags: Iterable[str] | None = None
) -> Resident:
    """Change a resident's data; ``tags`` replaces the tag set when given."""
    scope = _scope(actor)
    resident = selectors.resident_get_for_user(scope, resident_id)
    _writable_project(scope, resident.unit.building.project_id)
    changed = _apply(resident, data, RESIDENT_FIELDS)
    if changed:
        resident_fill_indexes(resident)
        _save(resident)
    if tags is not None:
        new_tags = _set_tags(resident, tags)
        if new_tags or not list(tags):
            changed["tags"] = new_tags
    if changed:
        audit.record(actor, "resident.update", resident, changed)
    return resident


@transaction.atomic
def staff_create(*, actor: Any, company_id: int, data: Mapping[str, Any], project_ids: Iterable[int] = ()) -> Staff:
    """Register an employee of a company, optionally assigned to projects."""
    scope = _scope(actor)
    company = selectors.company_get_for_user(scope, company_id)
    project_ids = list(project_ids)
    _require(scope.has(CHANGE_STAFF) and _may_change_staff_of(scope, company.pk, project_ids))
    staff = Staff(company=company)
    _apply(staff, data, STAFF_FIELDS)
    _save(staff)
    _assign(scope, staff, project_ids)
    audit.record(actor, "staff.create", staff, {"trade": staff.trade, "projects": project_ids})
    return staff


@transaction.atomic
def staff_update(
    *, actor: Any, staff_id: int, data: Mapping[str, Any], project_ids: Iterable[int] | None = None
) -> Staff:
    """Change an employee's data; ``project_ids`` replaces their current project assignments when given."""
    scope = _scope(actor)
    staff = selectors.staff_get_for_user(scope, staff_id)
    current = list(staff.assignments.filter(ended_on__isnull=True).values_list("project_id", flat=True))
    target = list(project_ids) if project_ids is not None else current
    _require(scope.has(CHANGE_STAFF) and _may_change_staff_of(scope, staff.company_id, current + target))
    changed = _apply(staff, data, STAFF_FIELDS)
    if changed:
        _save(staff)
    if project_ids is not None and set(target) != set(current):
        _assign(scope, staff, target)
        changed["projects"] = sorted(target)
    if changed:
        audit.record(actor, "staff.update", staff, changed)
    return staff


def _may_change_staff_of(scope: Scope, company_id: int, project_ids: list[int]) -> bool:
    # Company administrators manage all their staff; a project manager only staff working on their projects.
    if scope.can_write_company(company_id):
        return True
    return bool(project_ids) and set(project_ids) <= scope.managed_project_ids


def _assign(scope: Scope, staff: Staff, project_ids: list[int]) -> None:
    from django.utils import timezone

    projects = list(selectors.project_list_for_user(scope).filter(pk__in=project_ids, company_id=staff.company_id))
    if len(projects) != len(set(project_ids)):
        raise ValidationFailed({"project_ids": [_("Every project must belong to the staff member's company.")]})
    today = timezone.localdate()
    open_assignments = staff.assignments.filter(ended_on__isnull=True)
    open_assignments.exclude(project_id__in=project_ids).update(ended_on=today)
    existing = set(open_assignments.values_list("project_id", flat=True))
    for project in projects:
        if project.pk not in existing:
            StaffAssignment.objects.get_or_create(staff=staff, project=project, started_on=today)


@transaction.atomic
def staff_certificate_add(*, actor: Any, staff_id: int, data: Mapping[str, Any]) -> StaffCertificate:
    """Record a certificate a staff member holds."""
    scope = _scope(actor)
    staff = selectors.staff_get_for_user(scope, staff_id)
    current = list(staff.assignments.filter(ended_on__isnull=True).values_list("project_id", flat=True))
    _require(scope.has(CHANGE_STAFF) and _may_change_staff_of(scope, staff.company_id, current))
    certificate = StaffCertificate(staff=staff)
    _apply(certificate, data, ("kind", "number", "issued_on", "expires_on"))
    if certificate.issued_on and certificate.expires_on and certificate.expires_on < certificate.issued_on:
        raise ValidationFailed({"expires_on": [_("A certificate cannot expire before it was issued.")]})
    _save(certificate)
    audit.record(actor, "staff.certificate_add", staff, {"kind": certificate.kind})
    return certificate
