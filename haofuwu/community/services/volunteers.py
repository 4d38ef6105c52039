"""Volunteers: register them, record service hours (earning red-property points in an append-only ledger), redeem
points, and issue certificates of hours on request, free of charge (志愿服务条例 art. 19)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.community import selectors
from haofuwu.community.choices import PointsReason, VolunteerKind
from haofuwu.community.models import HoursCertificate, PointsEntry, ServiceRecord, Volunteer
from haofuwu.community.permissions import manages_community, runs_activities
from haofuwu.community.services.common import clean_text, full_clean, project_for, require, short_code
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, ValidationFailed
from haofuwu.estates import selectors as estates

# Red-property points per hour of service (I: the common 1 hour = 10 points of community "time banks").
POINTS_PER_HOUR = 10
MAX_REDEEM = 10_000


@transaction.atomic
def volunteer_register(
    *,
    actor: Any,
    project_id: int,
    kind: str,
    name: str = "",
    resident_id: int | None = None,
    staff_id: int | None = None,
    skills: str = "",
    registry_number: str = "",
) -> Volunteer:
    """Register a volunteer; linking the resident or staff record lets them use their account."""
    scope, project = project_for(actor, project_id, manages_community)
    if kind not in VolunteerKind.values:
        raise ValidationFailed({"kind": [_("Choose one of the options.")]})
    user_id = None
    if resident_id is not None:
        resident = estates.resident_list_for_user(scope, project_id=project.pk).filter(pk=resident_id).first()
        if resident is None:
            raise ValidationFailed({"resident_id": [_("Choose a resident of this project.")]})
        name, user_id = name or resident.name, resident.user_id
    elif staff_id is not None:
        staff = estates.staff_list_for_user(scope, project_id=project.pk).filter(pk=staff_id).first()
        if staff is None:
            raise ValidationFailed({"staff_id": [_("Choose a staff member of this project.")]})
        name, user_id = name or staff.name, staff.user_id
    volunteer = Volunteer(
        project=project,
        name=clean_text(name, field="name", max_length=50),
        kind=kind,
        user_id=user_id,
        skills=skills.strip()[:200],
        registry_number=registry_number.strip()[:40],
        registered_on=timezone.localdate(),
    )
    full_clean(volunteer, exclude=["project", "user"])
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:
        raise Conflict(_("This person is already a volunteer of the project.")) from None
    audit.record(actor, "volunteer.register", volunteer, {"kind": kind})
    return volunteer


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationFailed({"hours": [_("Give the hours as a number, e.g. 1.5.")]}) from None
    if not Decimal("0.5") <= hours <= Decimal("12"):
        raise ValidationFailed({"hours": [_("Between 0.5 and 12 hours a day.")]})
    return hours


@transaction.atomic
def service_record_add(
    *, actor: Any, volunteer_id: int, served_on: dt.date, hours: Any, description: str
) -> ServiceRecord:
    """Record hours of service; the points they earn go into the ledger in the same transaction."""
    scope = scope_for_user(actor)
    volunteer = selectors.volunteer_get_for_user(scope, volunteer_id)
    require(runs_activities(scope, volunteer.project_id, volunteer.project.company_id))
    if served_on > timezone.localdate() or served_on < timezone.localdate() - dt.timedelta(days=366):
        raise ValidationFailed({"served_on": [_("Record service of the past year, not in the future.")]})
    record = ServiceRecord(
        volunteer=volunteer,
        served_on=served_on,
        hours=_hours(hours),
        description=clean_text(description, field="description", max_length=200),
        recorded_by=actor,
    )
    full_clean(record, exclude=["volunteer", "activity", "recorded_by"])
    record.save()
    PointsEntry.objects.create(
        volunteer=volunteer,
        points=int(record.hours * POINTS_PER_HOUR),
        reason=PointsReason.SERVICE,
        record=record,
        created_by=actor,
    )
    audit.record(actor, "volunteer.service", volunteer, {"hours": str(record.hours)})
    return record


@transaction.atomic
def points_redeem(*, actor: Any, volunteer_id: int, points: int, note: str) -> PointsEntry:
    """Spend points (a new negative line); the balance may not go below zero even when two redeem at once — the
    volunteer's row is locked while the balance is checked."""
    scope = scope_for_user(actor)
    volunteer = selectors.volunteer_get_for_user(scope, volunteer_id)
    require(manages_community(scope, volunteer.project_id, volunteer.project.company_id))
    if not 1 <= points <= MAX_REDEEM:
        raise ValidationFailed({"points": [_("Between 1 and %(count)d points.") % {"count": MAX_REDEEM}]})
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    balance = selectors.points_balance(volunteer.pk)
    if points > balance:
        raise Conflict(_("Only %(balance)d points left.") % {"balance": balance}, field="points")
    entry = PointsEntry.objects.create(
        volunteer=volunteer,
        points=-points,
        reason=PointsReason.REDEMPTION,
        note=clean_text(note, field="note", max_length=200, message=_("Say what the points were spent on.")),
        created_by=actor,
    )
    audit.record(actor, "volunteer.redeem", volunteer, {"points": points})
    return entry


@transaction.atomic
def certificate_issue(*, actor: Any, volunteer_id: int) -> HoursCertificate:
    """A certificate of all the hours on record, numbered, for the volunteer or those who run community work."""
    scope = scope_for_user(actor)
    volunteer = selectors.volunteer_get_for_user(scope, volunteer_id)
    require(
        volunteer.user_id == actor.pk or manages_community(scope, volunteer.project_id, volunteer.project.company_id)
    )
    totals = ServiceRecord.objects.filter(volunteer=volunteer).aggregate(
        hours=Sum("hours"), count=Count("pk"), first=Min("served_on"), last=Max("served_on")
    )
    if not totals["count"]:
        raise Conflict(_("There is no service on record yet."))
    today = timezone.localdate()
    for _attempt in range(5):
        number = f"ZY{today:%Y%m%d}{volunteer.pk:05d}{short_code(4)}"
        try:
            with transaction.atomic():
                certificate = HoursCertificate.objects.create(
                    volunteer=volunteer,
                    number=number,
                    hours=totals["hours"],
                    records=totals["count"],
                    first_on=totals["first"],
                    last_on=totals["last"],
                    issued_by=actor,
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 5 collisions of a random 4-digit suffix on one day and volunteer
        raise Conflict(_("Please try again."))
    audit.record(actor, "volunteer.certificate", volunteer, {"number": number, "hours": str(totals["hours"])})
    return certificate
