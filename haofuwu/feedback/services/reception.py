"""Reception days (项目经理接待日, P-19): publish, book and cancel, walk-ins, the record of the day, issues
turned into work orders or answered, follow-up deadlines and reminders."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import NOT_FOUND, READ_ONLY, Conflict, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.estates import selectors as estates
from haofuwu.feedback import schedule, selectors
from haofuwu.feedback.choices import BookingStatus, IssueOutcome, ReceptionDayStatus
from haofuwu.feedback.models import ReceptionBooking, ReceptionDay, ReceptionIssue, ReceptionSlot
from haofuwu.feedback.permissions import is_staff_account, manages, works_at
from haofuwu.feedback.services.common import full_clean, own_unit, project_unit
from haofuwu.workorders import services as workorders
from haofuwu.workorders.choices import Category, Channel, Kind, Urgency

ALREADY_BOOKED = gettext_lazy("Your household already has a booking on this day.")
SLOT_FULL = gettext_lazy("This time slot is full. Choose another one.")
DAY_CLOSED = gettext_lazy("This reception day is no longer open for booking.")
MAX_SLOTS = 24


@dataclass(frozen=True)
class SlotIn:
    starts_at: dt.time
    ends_at: dt.time
    capacity: int = 5


def _check_slots(slots: list[SlotIn]) -> None:
    if not slots:
        raise ValidationFailed({"slots": [_("Add at least one time slot.")]})
    if len(slots) > MAX_SLOTS:
        raise ValidationFailed({"slots": [_("At most %(count)d time slots a day.") % {"count": MAX_SLOTS}]})
    ordered = sorted(slots, key=lambda slot: slot.starts_at)
    for slot in ordered:
        if slot.ends_at <= slot.starts_at:
            raise ValidationFailed({"slots": [_("A time slot must end after it starts.")]})
        if not 1 <= slot.capacity <= 500:
            raise ValidationFailed({"slots": [_("A time slot takes 1 to 500 residents.")]})
    for before, after in itertools.pairwise(ordered):
        if after.starts_at < before.ends_at:
            raise ValidationFailed({"slots": [_("Time slots must not overlap.")]})


@transaction.atomic
def reception_day_publish(
    *, actor: Any, project_id: int, date: dt.date, place: str, slots: list[SlotIn], note: str = ""
) -> ReceptionDay:
    """The manager publishes a reception day with its time slots; one day per project and date."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not manages(scope, project.pk, project.company_id):
        raise PermissionDenied(READ_ONLY)
    if date < timezone.localdate():
        raise ValidationFailed({"date": [_("Choose a date from today on.")]})
    if not place.strip():
        raise ValidationFailed({"place": [_("Say where residents come.")]})
    _check_slots(slots)
    if ReceptionDay.objects.filter(project=project, date=date).exists():
        raise Conflict(_("There is already a reception day on this date."), field="date")
    day = ReceptionDay(
        project=project, date=date, place=place.strip(), note=note.strip(), host=actor, host_name=str(actor)[:60]
    )
    full_clean(day, exclude=["project", "host"])
    day.save()
    ReceptionSlot.objects.bulk_create(
        ReceptionSlot(day=day, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=slot.capacity)
        for slot in sorted(slots, key=lambda slot: slot.starts_at)
    )
    audit.record(actor, "reception_day.publish", day, {"date": date.isoformat(), "slots": len(slots)})
    return day


def default_slots() -> list[SlotIn]:
    """Saturday morning, 9:00 to 11:30 in half-hour slots of five residents."""
    starts = [dt.time(9, 0), dt.time(9, 30), dt.time(10, 0), dt.time(10, 30), dt.time(11, 0)]
    return [
        SlotIn(start, (dt.datetime.combine(dt.date.min, start) + dt.timedelta(minutes=30)).time()) for start in starts
    ]


@transaction.atomic
def reception_schedule_publish(
    *,
    actor: Any,
    project_id: int,
    start: dt.date,
    months: int,
    place: str,
    weekday: int = schedule.SATURDAY,
    ordinal: int = 1,
    slots: list[SlotIn] | None = None,
) -> list[ReceptionDay]:
    """Publish the default schedule — the ``ordinal``-th ``weekday`` of each month — skipping dates taken."""
    if not 1 <= months <= 24:
        raise ValidationFailed({"months": [_("Plan 1 to 24 months ahead.")]})
    try:
        dates = schedule.propose_dates(start, months, weekday=weekday, ordinal=ordinal)
    except ValueError as error:
        raise ValidationFailed({"weekday": [str(error)]}) from None
    taken = set(ReceptionDay.objects.filter(project_id=project_id, date__in=dates).values_list("date", flat=True))
    return [
        reception_day_publish(
            actor=actor, project_id=project_id, date=date, place=place, slots=slots or default_slots()
        )
        for date in dates
        if date not in taken
    ]


def _bookable(day: ReceptionDay) -> None:
    if day.status != ReceptionDayStatus.PUBLISHED or day.date < timezone.localdate():
        raise Conflict(DAY_CLOSED)


@transaction.atomic
def reception_booking_create(
    *, actor: Any, day_id: int, slot_id: int, topic: str, unit_id: int | None = None
) -> ReceptionBooking:
    """A resident books a slot for their household with a topic: one booking per household per day, within the
    slot's capacity even when many book at once."""
    scope = scope_for_user(actor)
    day = selectors.reception_day_get_for_user(scope, day_id)
    if is_staff_account(scope) or day.project_id not in scope.household_project_ids:
        raise PermissionDenied(_("Residents book for their own household; staff record walk-ins."))
    unit = own_unit(scope, day.project_id, unit_id)
    if not topic.strip():
        raise ValidationFailed({"topic": [_("Say briefly what you would like to talk about.")]})
    if len(topic.strip()) > 300:
        raise ValidationFailed({"topic": [_("At most 300 characters.")]})
    _bookable(day)
    slot = ReceptionSlot.objects.filter(day=day, pk=slot_id).first()
    if slot is None:
        raise ValidationFailed({"slot_id": [_("Choose a time slot of this day.")]})
    if ReceptionBooking.objects.filter(day=day, unit=unit).exclude(status=BookingStatus.CANCELLED).exists():
        raise Conflict(ALREADY_BOOKED)
    # Claim a place with a conditional UPDATE: of two residents racing for the last place, one changes the row.
    if not ReceptionSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
        raise Conflict(SLOT_FULL, field="slot_id")
    booking = ReceptionBooking(
        day=day, slot=slot, unit=unit, booked_by=actor, visitor_name=str(actor)[:50], topic=topic.strip()
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        # The same household booked in another request between the check and the insert.
        raise Conflict(ALREADY_BOOKED) from None
    audit.record(actor, "reception_booking.create", booking, {"day": day.pk, "slot": slot.pk})
    return booking


@transaction.atomic
def reception_booking_cancel(*, actor: Any, day_id: int, booking_id: int) -> ReceptionBooking:
    """The household (or the manager) cancels a booking; its place in the slot is freed."""
    scope = scope_for_user(actor)
    day = selectors.reception_day_get_for_user(scope, day_id)
    booking = selectors.reception_booking_get_for_user(scope, day, booking_id)
    is_household = booking.unit_id is not None and booking.unit_id in scope.household_unit_ids
    if not (is_household or manages(scope, day.project_id, day.project.company_id)):
        raise PermissionDenied(READ_ONLY)
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(_("Only a booking not yet held can be cancelled."))
    if day.date < timezone.localdate():
        raise Conflict(DAY_CLOSED)
    now = timezone.now()
    if not ReceptionBooking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now
    ):
        raise Conflict(_("Only a booking not yet held can be cancelled."))
    if booking.slot_id is not None:
        ReceptionSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    booking.refresh_from_db()
    audit.record(actor, "reception_booking.cancel", booking, {"day": day.pk})
    return booking


def _manage_day(actor: Any, day_id: int, *, staff_may: bool = True) -> tuple[Any, ReceptionDay]:
    scope = scope_for_user(actor)
    day = selectors.reception_day_get_for_user(scope, day_id)
    allowed = works_at if staff_may else manages
    if not allowed(scope, day.project_id, day.project.company_id):
        raise PermissionDenied(READ_ONLY)
    return scope, day


@transaction.atomic
def reception_walk_in_record(
    *, actor: Any, day_id: int, visitor_name: str, topic: str, unit_id: int | None = None
) -> ReceptionBooking:
    """Staff record a resident who came without booking (a walk-in counts as attended)."""
    scope, day = _manage_day(actor, day_id)
    if day.status == ReceptionDayStatus.CANCELLED:
        raise Conflict(DAY_CLOSED)
    unit = project_unit(scope, day.project_id, unit_id) if unit_id is not None else None
    if not visitor_name.strip() and unit is None:
        raise ValidationFailed({"visitor_name": [_("Give the visitor's name or household.")]})
    if not topic.strip():
        raise ValidationFailed({"topic": [_("Say what they came about.")]})
    if (
        unit is not None
        and ReceptionBooking.objects.filter(day=day, unit=unit).exclude(status=BookingStatus.CANCELLED).exists()
    ):
        raise Conflict(_("This household already has a booking on this day; mark it as attended instead."))
    booking = ReceptionBooking(
        day=day,
        unit=unit,
        visitor_name=visitor_name.strip()[:50],
        topic=topic.strip()[:300],
        status=BookingStatus.ATTENDED,
        is_walk_in=True,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise Conflict(ALREADY_BOOKED) from None
    audit.record(actor, "reception_booking.walk_in", booking, {"day": day.pk})
    return booking


@transaction.atomic
def reception_booking_mark(*, actor: Any, day_id: int, booking_id: int, attended: bool) -> ReceptionBooking:
    """Staff mark whether a booked resident came."""
    scope, day = _manage_day(actor, day_id)
    booking = selectors.reception_booking_get_for_user(scope, day, booking_id)
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict(_("This booking was cancelled."))
    booking.status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    booking.save(update_fields=["status", "updated_at"])
    audit.record(actor, "reception_booking.mark", booking, {"status": booking.status})
    return booking


@transaction.atomic
def reception_issue_record(
    *,
    actor: Any,
    day_id: int,
    description: str,
    answer: str = "",
    create_work_order: bool = False,
    kind: str = Kind.REPAIR,
    category: str = Category.OTHER,
    booking_id: int | None = None,
    unit_id: int | None = None,
    raised_by: str = "",
) -> ReceptionIssue:
    """Record an issue raised at the day: answered on the spot (``answer``), turned into a work order through the
    work-order service with the channel "reception day", or left to follow up. Each gets a deadline
    (P-19: closed within 15 days)."""
    scope, day = _manage_day(actor, day_id)
    if day.status == ReceptionDayStatus.CANCELLED:
        raise Conflict(DAY_CLOSED)
    if not description.strip():
        raise ValidationFailed({"description": [_("Describe the issue.")]})
    booking = selectors.reception_booking_get_for_user(scope, day, booking_id) if booking_id else None
    if booking is not None and unit_id is None:
        unit_id = booking.unit_id
    unit = project_unit(scope, day.project_id, unit_id) if unit_id is not None else None
    now = timezone.now()
    issue = ReceptionIssue(
        day=day,
        booking=booking,
        unit=unit,
        raised_by=(raised_by or (booking.visitor_name if booking else "")).strip()[:50],
        description=description.strip(),
        answer=answer.strip(),
        follow_up_due=day.date + dt.timedelta(days=selectors.follow_up_days()),
        recorded_by=actor,
    )
    if create_work_order:
        if kind not in Kind.values or category not in Category.values:
            raise ValidationFailed({"kind": [_("Choose the kind and category of the work order.")]})
        order = workorders.work_order_submit(
            actor=actor,
            project_id=day.project_id,
            kind=kind,
            category=category,
            urgency=Urgency.NORMAL,
            title=description.strip()[:100],
            description=description.strip()[:2000],
            channel=Channel.RECEPTION_DAY,
            unit_id=unit.pk if unit else None,
            public_area="" if unit else day.place,
            reporter_name=issue.raised_by,
        )
        issue.work_order = order
        issue.outcome = IssueOutcome.WORK_ORDER
    elif answer.strip():
        issue.outcome = IssueOutcome.ANSWERED
        issue.closed_at = now
    else:
        issue.outcome = IssueOutcome.FOLLOW_UP
    full_clean(issue, exclude=["day", "booking", "unit", "work_order", "recorded_by"])
    issue.save()
    if booking is not None and booking.status == BookingStatus.BOOKED:
        booking.status = BookingStatus.ATTENDED
        booking.save(update_fields=["status", "updated_at"])
    audit.record(actor, "reception_issue.record", issue, {"outcome": issue.outcome, "day": day.pk})
    return issue


@transaction.atomic
def reception_issue_close(*, actor: Any, issue_id: int, answer: str) -> ReceptionIssue:
    """Record the answer that closes an issue left to follow up."""
    scope = scope_for_user(actor)
    issue = selectors.reception_issue_list_for_user(scope).filter(pk=issue_id).select_related("day__project").first()
    if issue is None:
        raise NotFound(NOT_FOUND)
    if not works_at(scope, issue.day.project_id, issue.day.project.company_id):
        raise PermissionDenied(READ_ONLY)
    if issue.closed_at is not None:
        raise Conflict(_("This issue is already closed."))
    if not answer.strip():
        raise ValidationFailed({"answer": [_("Write the answer given to the resident.")]})
    issue.answer = answer.strip()[:2000]
    issue.closed_at = timezone.now()
    issue.save(update_fields=["answer", "closed_at", "updated_at"])
    audit.record(actor, "reception_issue.close", issue, {})
    return issue


@transaction.atomic
def reception_day_record(*, actor: Any, day_id: int, summary: str = "") -> ReceptionDay:
    """Record the day as held (P-19 evidence), with a summary; bookings nobody marked become "did not come"."""
    _scope, day = _manage_day(actor, day_id, staff_may=False)
    if day.status == ReceptionDayStatus.CANCELLED:
        raise Conflict(DAY_CLOSED)
    if day.date > timezone.localdate():
        raise Conflict(_("A reception day is recorded on or after the day."))
    day.status = ReceptionDayStatus.HELD
    day.summary = summary.strip()[:2000]
    day.held_at = day.held_at or timezone.now()
    day.save(update_fields=["status", "summary", "held_at", "updated_at"])
    ReceptionBooking.objects.filter(day=day, status=BookingStatus.BOOKED).update(
        status=BookingStatus.NO_SHOW, updated_at=timezone.now()
    )
    audit.record(actor, "reception_day.record", day, {})
    return day


def reception_reminders_send(now: dt.datetime) -> int:
    """Remind booked residents the day before; each booking is reminded once however often this runs."""
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    sent = 0
    for booking in selectors.upcoming_bookings_to_remind(tomorrow):
        day = booking.day
        title = _("Reception day tomorrow: %(time)s at %(place)s") % {
            "time": f"{booking.slot.starts_at:%H:%M}" if booking.slot else "",
            "place": day.place,
        }
        with transaction.atomic():
            if notify(
                recipient=booking.booked_by,
                title=title,
                body=booking.topic,
                link=reverse("feedback:resident_reception_days"),
                channels=["sms"],
                dedup_key=f"feedback.reception_reminder:{booking.pk}",
            ):
                sent += 1
    return sent
