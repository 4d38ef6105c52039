"""Registering a work order: where it is, checks, deadlines, and the managers told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.identifiers import InvalidIdentifier, normalise_phone
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders.choices import Channel, Kind, Urgency
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.services.attachments import _check_photos, _save_photos
from haofuwu.workorders.services.common import _event, _notify_managers, recompute_deadlines, relations_for_project


def _full_clean(order: WorkOrder) -> None:
    try:
        # The constraints are checked where they matter (the 12345 case number above) and by the database.
        order.full_clean(
            exclude=["project", "building", "unit", "assignee", "reporter", "sla_policy"], validate_constraints=False
        )
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None


@dataclass(frozen=True)
class Location:
    """Where a work order is: a building and household, or neither (a public area)."""

    building_id: int | None
    unit_id: int | None


def _locate(scope: Scope, project_id: int, *, building_id: int | None, unit_id: int | None) -> Location:
    if unit_id is not None:
        unit = estates.unit_get_for_user(scope, unit_id)
        if unit.building.project_id != project_id:
            raise ValidationFailed({"unit_id": [_("This household is not in the project.")]})
        return Location(unit.building_id, unit.pk)
    if building_id is not None:
        building = estates.building_get_for_user(scope, building_id)
        if building.project_id != project_id:
            raise ValidationFailed({"building_id": [_("This building is not in the project.")]})
        return Location(building.pk, None)
    return Location(None, None)


def work_order_submit(
    *,
    actor: Any,
    project_id: int,
    kind: str,
    category: str,
    urgency: str,
    title: str,
    description: str,
    channel: str = Channel.APP,
    building_id: int | None = None,
    unit_id: int | None = None,
    public_area: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    appointment_start: dt.datetime | None = None,
    appointment_end: dt.datetime | None = None,
    hotline_case_number: str = "",
    hotline_deadline: dt.datetime | None = None,
    submitted_at: dt.datetime | None = None,
    photos: Sequence[UploadedFile] = (),
    notify_managers: bool = True,
) -> WorkOrder:
    """Register a request. Residents report for their own household (or a public area of their project); staff
    of the project record what came by phone, walk-in, patrol or the hotline. Bulk imports pass
    ``notify_managers=False`` and send one summary instead of a message per row."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    is_staff = bool(relations_for_project(scope, project.pk, project.company_id))
    if not is_staff:
        if project.pk not in scope.household_project_ids:
            raise PermissionDenied(READ_ONLY)
        if unit_id is not None and unit_id not in scope.household_unit_ids:
            raise NotFound(_("Not found."), field="unit_id")
        channel = Channel.APP
    location = _locate(scope, project.pk, building_id=building_id, unit_id=unit_id)
    if location.unit_id is None and location.building_id is None and not public_area.strip():
        raise ValidationFailed({"public_area": [_("Say where: a household, a building or a public area.")]})
    if urgency == Urgency.APPOINTMENT:
        if appointment_start is None or appointment_end is None:
            raise ValidationFailed({"appointment_start": [_("An appointment needs a time window.")]})
        if appointment_end <= appointment_start:
            raise ValidationFailed({"appointment_end": [_("The window must end after it starts.")]})
    if channel == Channel.HOTLINE_12345 and not hotline_case_number.strip():
        raise ValidationFailed({"hotline_case_number": [_("A 12345 case needs its case number.")]})
    if hotline_case_number and WorkOrder.objects.filter(hotline_case_number=hotline_case_number.strip()).exists():
        raise ValidationFailed({"hotline_case_number": [_("This 12345 case is already registered.")]})
    if reporter_phone.strip():
        # The one phone rule of every door (core/identifiers.py): stored in its canonical spelling.
        try:
            reporter_phone = normalise_phone(reporter_phone)
        except InvalidIdentifier as error:
            raise ValidationFailed({"reporter_phone": [error.message]}) from None
    now = timezone.now()
    order = WorkOrder(
        project=project,
        building_id=location.building_id,
        unit_id=location.unit_id,
        public_area=public_area.strip(),
        kind=kind,
        category=category,
        urgency=urgency,
        channel=channel,
        title=title.strip(),
        description=description.strip(),
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
        reporter_name=reporter_name.strip() or (str(actor) if not is_staff else ""),
        reporter_phone=reporter_phone.strip(),
        appointment_start=appointment_start,
        appointment_end=appointment_end,
        hotline_case_number=hotline_case_number.strip(),
        hotline_deadline=hotline_deadline,
        submitted_at=min(submitted_at or now, now),
    )
    _full_clean(order)
    recompute_deadlines(order)
    checked = _check_photos(photos)
    # Every read and check above runs before the write transaction: on SQLite the transaction holds the database's
    # single write lock from its first statement, so it should be short.
    with transaction.atomic():
        order.save()
        _save_photos(order, checked, stage="report", actor=actor)
        _event(order, actor, "submit", data={"channel": channel, "photos": len(photos)})
        audit.record(actor, "work_order.submit", order, {"kind": kind, "category": category, "urgency": urgency})
        if notify_managers and (kind == Kind.COMPLAINT or urgency == Urgency.URGENT):
            # Complaints always reach the project manager; urgent repairs too, so someone is on it at once.
            title = _("New %(kind)s: %(title)s") % {"kind": order.get_kind_display(), "title": order.title}
            _notify_managers(order, title)
    return order
