"""Activities: sign-up into places and the waiting list, promotion on cancellation in order, check-in once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from haofuwu.accounts.services import role_assign
from haofuwu.community import services
from haofuwu.community.choices import RegistrationStatus
from haofuwu.community.models import Activity, Registration
from haofuwu.community.tests import factories
from haofuwu.core.errors import Conflict, PermissionDenied
from haofuwu.core.models import Notification
from haofuwu.estates.tests.factories import UserFactory


@pytest.fixture
def residents(world):
    """Three resident accounts of project A."""
    third = UserFactory(username="resident_a3")
    role_assign(actor=None, user=third, role="resident", unit=world.unit_a2)
    second = UserFactory(username="resident_a2")
    role_assign(actor=None, user=second, role="resident", unit=world.unit_a2)
    return [world.users["resident_a"], second, third]


def test_a_full_activity_puts_the_next_on_the_waiting_list_and_promotes_in_order(world, residents) -> None:
    activity = factories.activity(world.project_a, capacity=1)
    first, second, third = residents
    placed = services.registration_create(actor=first, activity_id=activity.pk)
    waiting = services.registration_create(actor=second, activity_id=activity.pk)
    last = services.registration_create(actor=third, activity_id=activity.pk)
    assert [placed.status, waiting.status, last.status] == ["confirmed", "waitlisted", "waitlisted"]
    services.registration_cancel(actor=first, activity_id=activity.pk, registration_id=placed.pk)
    waiting.refresh_from_db()
    last.refresh_from_db()
    assert (waiting.status, last.status) == ("confirmed", "waitlisted")
    assert waiting.promoted_at is not None
    assert Activity.objects.get(pk=activity.pk).confirmed == 1
    assert Notification.objects.filter(recipient=second, dedup_key=f"community.promoted:{waiting.pk}").exists()


def test_signing_up_twice_is_refused_and_takes_no_second_place(world, residents) -> None:
    activity = factories.activity(world.project_a, capacity=5)
    services.registration_create(actor=residents[0], activity_id=activity.pk)
    with pytest.raises(Conflict):
        services.registration_create(actor=residents[0], activity_id=activity.pk)
    assert Activity.objects.get(pk=activity.pk).confirmed == 1


def test_staff_accounts_and_other_projects_cannot_sign_up(world) -> None:
    activity = factories.activity(world.project_a)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=world.users["manager_a"], activity_id=activity.pk)


def test_sign_up_outside_the_window_is_refused(world) -> None:
    activity = factories.activity(world.project_a, signup_closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Conflict):
        services.registration_create(actor=world.users["resident_a"], activity_id=activity.pk)


def test_a_ticket_checks_in_once_and_a_second_scan_is_refused(world) -> None:
    activity = factories.activity(world.project_a, starts_in=dt.timedelta(minutes=30))
    registration = services.registration_create(actor=world.users["resident_a"], activity_id=activity.pk)
    checked = services.registration_check_in_by_ticket(actor=world.users["security_a"], ticket=registration.ticket)
    assert (checked.status, checked.check_in_method) == ("attended", "ticket_qr")
    assert checked.checked_in_by == world.users["security_a"]
    with pytest.raises(Conflict, match="Already checked in"):
        services.registration_check_in_by_ticket(actor=world.users["security_a"], ticket=registration.ticket)
    with pytest.raises(Conflict):
        services.registration_check_in_at_door(actor=world.users["resident_a"], door_token=activity.door_token)
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1


def test_a_waitlisted_ticket_does_not_check_in(world, residents) -> None:
    activity = factories.activity(world.project_a, capacity=1, starts_in=dt.timedelta(minutes=30))
    services.registration_create(actor=residents[0], activity_id=activity.pk)
    waiting = services.registration_create(actor=residents[1], activity_id=activity.pk)
    with pytest.raises(Conflict):
        services.registration_check_in_by_ticket(actor=world.users["manager_a"], ticket=waiting.ticket)


def test_check_in_is_closed_long_before_the_start(world) -> None:
    activity = factories.activity(world.project_a, starts_in=dt.timedelta(days=2))
    registration = services.registration_create(actor=world.users["resident_a"], activity_id=activity.pk)
    with pytest.raises(Conflict):
        services.registration_check_in_by_ticket(actor=world.users["manager_a"], ticket=registration.ticket)


def test_completing_marks_places_without_check_in_as_no_show(world) -> None:
    activity = factories.activity(world.project_a, starts_in=dt.timedelta(minutes=30))
    registration = services.registration_create(actor=world.users["resident_a"], activity_id=activity.pk)
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    services.activity_complete(actor=world.users["manager_a"], activity_id=activity.pk, report="三十人参加")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NO_SHOW
    assert Activity.objects.filter(Q(pk=activity.pk) & Q(status="completed")).exists()
