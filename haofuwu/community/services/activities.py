"""Community activities (P-22): publish with an audience, capacity and a sign-up window; residents sign up on their
phones, join a waiting list when it is full and are promoted in order when a place frees up; check-in at the door
once per person, by ticket QR, door QR or the staff's list, at server time; the report after.

Places are claimed with a conditional UPDATE on the activity's ``confirmed`` counter (``confirmed < capacity``) and
a registration moves between states with conditional UPDATEs on its status, so two residents racing for the last
place, two cancellations at once or two scans of one ticket each change the rows once (STYLE.md, Healthchecks'
``sendalerts``); a unique constraint keeps one live registration per person and activity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.community import selectors
from haofuwu.community.choices import ActivityKind, ActivityStatus, CheckInMethod, RegistrationStatus
from haofuwu.community.models import Activity, Registration
from haofuwu.community.models.activities import MAX_CAPACITY
from haofuwu.community.permissions import runs_activities
from haofuwu.community.services.common import clean_text, full_clean, project_for, require, token
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.estates import selectors as estates

ALREADY_SIGNED_UP = gettext_lazy("You have already signed up for this activity.")
SIGNUP_CLOSED = gettext_lazy("Sign-up for this activity is not open.")
NOT_A_HOUSEHOLD = gettext_lazy("Residents of the project sign up for themselves on their phones.")
NO_PLACE = gettext_lazy("This sign-up does not hold a place: it is on the waiting list or cancelled.")
CHECK_IN_CLOSED = gettext_lazy("Check-in opens an hour before the activity and closes when it ends.")
# Check-in opens this long before the start (people arrive early).
CHECK_IN_EARLY = dt.timedelta(hours=1)
MAX_BUILDINGS = 200


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    project_id: int,
    title: str,
    kind: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    signup_opens_at: dt.datetime | None = None,
    signup_closes_at: dt.datetime | None = None,
    description: str = "",
    building_ids: list[int] | None = None,
    publish: bool = True,
) -> Activity:
    """Create an activity for the whole project or some buildings; published at once unless ``publish`` is off."""
    scope, project = project_for(actor, project_id, runs_activities)
    if kind not in ActivityKind.values:
        raise ValidationFailed({"kind": [_("Choose one of the options.")]})
    now = timezone.now()
    if starts_at <= now:
        raise ValidationFailed({"starts_at": [_("Choose a start in the future.")]})
    if ends_at <= starts_at:
        raise ValidationFailed({"ends_at": [_("The activity must end after it starts.")]})
    if ends_at - starts_at > dt.timedelta(days=7):
        raise ValidationFailed({"ends_at": [_("An activity lasts at most a week.")]})
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed({"capacity": [_("Between 1 and %(count)d places.") % {"count": MAX_CAPACITY}]})
    opens = signup_opens_at or now
    closes = signup_closes_at or starts_at
    if closes <= opens or closes > ends_at:
        raise ValidationFailed({"signup_closes_at": [_("Sign-up must close after it opens and before the end.")]})
    buildings = []
    if building_ids:
        if len(building_ids) > MAX_BUILDINGS:
            raise ValidationFailed({"building_ids": [_("Too many buildings.")]})
        buildings = list(estates.building_list_for_user(scope, project_id=project.pk).filter(pk__in=building_ids))
        if len(buildings) != len(set(building_ids)):
            raise ValidationFailed({"building_ids": [_("Choose buildings of this project.")]})
    activity = Activity(
        project=project,
        title=clean_text(title, field="title", max_length=100),
        kind=kind,
        description=description.strip()[:2000],
        place=clean_text(place, field="place", max_length=100),
        starts_at=starts_at,
        ends_at=ends_at,
        signup_opens_at=opens,
        signup_closes_at=closes,
        capacity=capacity,
        is_whole_project=not buildings,
        status=ActivityStatus.PUBLISHED if publish else ActivityStatus.DRAFT,
        organiser=actor,
        door_token=token(),
    )
    full_clean(activity, exclude=["project", "organiser", "buildings"])
    activity.save()
    if buildings:
        activity.buildings.set(buildings)
    audit.record(actor, "activity.create", activity, {"capacity": capacity, "published": publish})
    return activity


def _activity(actor: Any, activity_id: int, *, manage: bool = True) -> tuple[Any, Activity]:
    scope = scope_for_user(actor)
    activity = selectors.activity_get_for_user(scope, activity_id)
    if manage:
        require(runs_activities(scope, activity.project_id, activity.project.company_id))
    return scope, activity


@transaction.atomic
def activity_publish(*, actor: Any, activity_id: int) -> Activity:
    _scope, activity = _activity(actor, activity_id)
    if not Activity.objects.filter(pk=activity.pk, status=ActivityStatus.DRAFT).update(
        status=ActivityStatus.PUBLISHED, updated_at=timezone.now()
    ):
        raise Conflict(_("Only a draft can be published."))
    activity.refresh_from_db()
    audit.record(actor, "activity.publish", activity, {})
    return activity


@transaction.atomic
def activity_cancel(*, actor: Any, activity_id: int, reason: str) -> Activity:
    """Call an activity off; everyone signed up is told."""
    _scope, activity = _activity(actor, activity_id)
    text = clean_text(reason, field="reason", max_length=300, message=_("Say why it is called off."))
    if not Activity.objects.filter(pk=activity.pk, status__in=[ActivityStatus.DRAFT, ActivityStatus.PUBLISHED]).update(
        status=ActivityStatus.CANCELLED, report=text, updated_at=timezone.now()
    ):
        raise Conflict(_("This activity is already held or cancelled."))
    registrations = list(
        Registration.objects.filter(
            activity=activity, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
        ).select_related("user")
    )
    for registration in registrations:
        notify(
            recipient=registration.user,
            title=_("Cancelled: %(title)s") % {"title": activity.title},
            body=text,
            link=reverse("community:resident_activities"),
            dedup_key=f"community.activity_cancelled:{registration.pk}",
        )
    activity.refresh_from_db()
    audit.record(actor, "activity.cancel", activity, {"registrations": len(registrations)})
    return activity


@transaction.atomic
def registration_create(*, actor: Any, activity_id: int) -> Registration:
    """A resident signs up: a place while there is one, else the waiting list (joined at server time)."""
    scope = scope_for_user(actor)
    activity = selectors.activity_get_for_user(scope, activity_id)
    if activity.project_id not in scope.household_project_ids:
        raise PermissionDenied(NOT_A_HOUSEHOLD)
    now = timezone.now()
    if activity.status != ActivityStatus.PUBLISHED or not activity.signup_opens_at <= now < activity.signup_closes_at:
        raise Conflict(SIGNUP_CLOSED)
    if Registration.objects.filter(activity=activity, user=actor).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise Conflict(ALREADY_SIGNED_UP)
    units = estates.unit_list_for_user(scope).filter(
        pk__in=scope.household_unit_ids, building__project_id=activity.project_id
    )
    unit = units.order_by("pk").first()
    name = estates.resident_list_for_user(scope).filter(user=actor).values_list("name", flat=True).first()
    registration = Registration(
        activity=activity, user=actor, unit=unit, name=(name or str(actor))[:50], ticket=token()
    )
    try:
        with transaction.atomic():
            # Claim a place: of two residents racing for the last one, one changes the row.
            seated = Activity.objects.filter(pk=activity.pk, confirmed__lt=F("capacity")).update(
                confirmed=F("confirmed") + 1
            )
            registration.status = RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITLISTED
            registration.waitlisted_at = None if seated else now
            registration.save()
    except IntegrityError:
        # The same person signed up in another request between the check and the insert; the place is given back
        # by the rolled-back savepoint.
        raise Conflict(ALREADY_SIGNED_UP) from None
    audit.record(actor, "registration.create", registration, {"status": registration.status})
    return registration


@transaction.atomic
def registration_cancel(*, actor: Any, activity_id: int, registration_id: int) -> Registration:
    """The person (or the organiser) cancels before the start; a freed place goes to the first on the waiting
    list."""
    scope = scope_for_user(actor)
    activity = selectors.activity_get_for_user(scope, activity_id)
    registration = selectors.registration_get_for_user(scope, activity, registration_id)
    require(
        registration.user_id == actor.pk or runs_activities(scope, activity.project_id, activity.project.company_id)
    )
    now = timezone.now()
    if now >= activity.starts_at:
        raise Conflict(_("The activity has started; it can no longer be cancelled."))
    previous = registration.status
    if previous not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED) or not (
        Registration.objects.filter(pk=registration.pk, status=previous).update(
            status=RegistrationStatus.CANCELLED, cancelled_at=now, updated_at=now
        )
    ):
        raise Conflict(_("Only a place or a place on the waiting list can be cancelled."))
    if previous == RegistrationStatus.CONFIRMED:
        Activity.objects.filter(pk=activity.pk, confirmed__gt=0).update(confirmed=F("confirmed") - 1)
        _promote_waitlist(activity, now)
    registration.refresh_from_db()
    audit.record(actor, "registration.cancel", registration, {"was": previous})
    return registration


def _promote_waitlist(activity: Activity, now: dt.datetime) -> list[Registration]:
    """Give free places to the waiting list in order. A place is claimed on the activity first, then the
    registration is moved; if that person cancelled meanwhile the place is given back and the next one tried."""
    promoted: list[Registration] = []
    if activity.status != ActivityStatus.PUBLISHED or now >= activity.starts_at:
        return promoted
    while True:
        candidate = (
            Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITLISTED)
            .order_by("waitlisted_at", "pk")
            .select_related("user")
            .first()
        )
        if candidate is None:
            break
        if not Activity.objects.filter(pk=activity.pk, confirmed__lt=F("capacity")).update(
            confirmed=F("confirmed") + 1
        ):
            break
        if not Registration.objects.filter(pk=candidate.pk, status=RegistrationStatus.WAITLISTED).update(
            status=RegistrationStatus.CONFIRMED, promoted_at=now, updated_at=now
        ):
            Activity.objects.filter(pk=activity.pk, confirmed__gt=0).update(confirmed=F("confirmed") - 1)
            continue
        notify(
            recipient=candidate.user,
            title=_("You have a place: %(title)s") % {"title": activity.title},
            body=_("A place freed up and it is yours. Show your ticket at the door."),
            link=reverse("community:resident_activity", args=[activity.pk]),
            channels=["sms"],
            dedup_key=f"community.promoted:{candidate.pk}",
        )
        audit.record(None, "registration.promote", candidate, {"activity": activity.pk})
        promoted.append(candidate)
    return promoted


def _check_in(registration: Registration, *, actor: Any, method: str, now: dt.datetime) -> Registration:
    activity = registration.activity
    if activity.status not in (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED) or not (
        activity.starts_at - CHECK_IN_EARLY <= now <= activity.ends_at
    ):
        raise Conflict(CHECK_IN_CLOSED)
    checked = Registration.objects.filter(
        pk=registration.pk, status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=True
    ).update(
        status=RegistrationStatus.ATTENDED,
        checked_in_at=now,
        check_in_method=method,
        checked_in_by=actor,
        updated_at=now,
    )
    if not checked:
        registration.refresh_from_db()
        if registration.checked_in_at is not None:
            # The second scan of a ticket is refused: one check-in per person.
            raise Conflict(
                _("Already checked in at %(time)s.")
                % {"time": time_format(timezone.localtime(registration.checked_in_at), "H:i")}
            )
        raise Conflict(NO_PLACE)
    registration.refresh_from_db()
    audit.record(actor, "registration.check_in", registration, {"method": method})
    return registration


@transaction.atomic
def registration_check_in_by_ticket(*, actor: Any, ticket: str) -> Registration:
    """Staff at the door scan a resident's ticket QR."""
    scope = scope_for_user(actor)
    registration = selectors.registration_by_ticket(ticket)
    if registration is None or not selectors.activity_list_for_user(scope).filter(pk=registration.activity_id).exists():
        raise NotFound(_("No such ticket."))
    activity = registration.activity
    require(runs_activities(scope, activity.project_id, activity.project.company_id))
    return _check_in(registration, actor=actor, method=CheckInMethod.TICKET_QR, now=timezone.now())


@transaction.atomic
def registration_check_in_at_door(*, actor: Any, door_token: str) -> Registration:
    """A resident scans the QR code on the door poster with their phone."""
    scope = scope_for_user(actor)
    activity = selectors.activity_by_door_token(door_token)
    if activity is None or not selectors.activity_list_for_user(scope).filter(pk=activity.pk).exists():
        raise NotFound(_("No such activity."))
    registration = (
        Registration.objects.filter(activity=activity, user=actor)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("activity")
        .first()
    )
    if registration is None:
        raise Conflict(_("You have not signed up for this activity."))
    return _check_in(registration, actor=actor, method=CheckInMethod.DOOR_QR, now=timezone.now())


@transaction.atomic
def registration_check_in_on_roster(*, actor: Any, activity_id: int, registration_id: int) -> Registration:
    """Staff tick someone on the list (a resident without a phone)."""
    scope, activity = _activity(actor, activity_id)
    registration = selectors.registration_get_for_user(scope, activity, registration_id)
    registration.activity = activity
    return _check_in(registration, actor=actor, method=CheckInMethod.ROSTER, now=timezone.now())


@transaction.atomic
def activity_complete(*, actor: Any, activity_id: int, report: str) -> Activity:
    """Record the activity as held with a short report; places nobody checked in become "did not come"."""
    _scope, activity = _activity(actor, activity_id)
    if activity.status != ActivityStatus.PUBLISHED:
        raise Conflict(_("Only a published activity can be recorded as held."))
    now = timezone.now()
    if now < activity.starts_at:
        raise Conflict(_("An activity is recorded as held once it has started."))
    activity.report = clean_text(report, field="report", max_length=3000, message=_("Write a short report."))
    activity.status = ActivityStatus.COMPLETED
    activity.completed_at = now
    activity.save(update_fields=["report", "status", "completed_at", "updated_at"])
    Registration.objects.filter(activity=activity, status=RegistrationStatus.CONFIRMED).update(
        status=RegistrationStatus.NO_SHOW, updated_at=now
    )
    audit.record(actor, "activity.complete", activity, {})
    return activity
