"""The care register: need to know, audited reads, consent rules, proven visits, the silent-household check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.community import selectors, services, silence
from haofuwu.community.choices import VisitKind, VisitStatus
from haofuwu.community.models import CareVisit, SilentAlert
from haofuwu.community.tests import factories
from haofuwu.core.errors import NotFound, ValidationFailed
from haofuwu.core.models import AuditEntry, Notification
from haofuwu.energy.models import HourlyUsage, Meter


@pytest.fixture
def subject(world):
    return factories.care_subject(world.resident_a, world.users["community_a"])


def test_only_the_coordinator_and_assigned_visitors_see_an_entry(world, subject, client_for) -> None:
    services.care_visitor_assign(
        actor=world.users["community_a"], subject_id=subject.pk, user_id=world.users["engineer_a"].pk, role="staff"
    )
    for name in ("community_a", "engineer_a"):
        found = selectors.care_subject_get_for_user(
            scope_for_user(world.users[name]), subject.pk, actor=world.users[name]
        )
        assert found.pk == subject.pk
    for name in ("manager_a", "company_admin_a", "regulator_city", "admin", "security_a", "resident_a"):
        with pytest.raises(NotFound):
            selectors.care_subject_get_for_user(scope_for_user(world.users[name]), subject.pk, actor=world.users[name])
        assert not selectors.care_subject_list_for_user(scope_for_user(world.users[name]), today=timezone.localdate())


def test_every_read_is_in_the_audit_log_and_sensitive_fields_are_masked(world, subject, client_for) -> None:
    client = client_for(world.users["community_a"])
    response = client.get(f"/community/care/{subject.pk}/")
    assert response.status_code == 200
    assert "张*" in response.content.decode() and "高血压" not in response.content.decode()
    client.get("/api/v1/care-subjects")
    reads = AuditEntry.objects.filter(action__in=["care.read", "care.list"], actor=world.users["community_a"])
    assert reads.count() == 2
    assert subject.pk in reads.get(action="care.list").data["ids"]
    assert "张甲" not in str(list(reads.values_list("target_repr", "data")))
    revealed = services.care_sensitive_reveal(
        actor=world.users["community_a"], subject_id=subject.pk, reason="上门前核对用药"
    )
    assert revealed["health_notes"] == "高血压，每日服药"
    assert AuditEntry.objects.get(action="care.reveal").data == {"reason": "上门前核对用药"}


def test_a_child_needs_a_guardian_and_health_notes_need_separate_consent(world) -> None:
    world.resident_a2.birth_year = timezone.localdate().year - 9
    world.resident_a2.save()
    with pytest.raises(ValidationFailed) as error:
        services.care_subject_register(
            actor=world.users["community_a"],
            resident_id=world.resident_a2.pk,
            category="left_behind_child",
            tier="key",
            consent_giver="self",
            consent_giver_name="李甲",
            has_sensitive_consent=True,
        )
    assert "consent_giver" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        services.care_subject_register(
            actor=world.users["community_a"],
            resident_id=world.resident_a.pk,
            category="elderly_alone",
            tier="key",
            consent_giver="self",
            consent_giver_name="张甲",
            health_notes="糖尿病",
        )
    assert "has_sensitive_consent" in error.value.errors


def test_a_home_visit_counts_only_with_its_proof(world, subject) -> None:
    with pytest.raises(ValidationFailed):
        services.care_visit_record(
            actor=world.users["community_a"], subject_id=subject.pk, method="home", outcome="well", door_code="000000"
        )
    unproven = services.care_visit_record(
        actor=world.users["community_a"], subject_id=subject.pk, method="home", outcome="well"
    )
    subject.refresh_from_db()
    assert (unproven.proof, unproven.counts_as_contact, subject.last_contact_on) == ("none", False, None)
    proven = services.care_visit_record(
        actor=world.users["community_a"], subject_id=subject.pk, method="home", outcome="well", door_code="246810"
    )
    subject.refresh_from_db()
    assert (proven.proof, proven.counts_as_contact) == ("door_code", True)
    assert subject.next_visit_due == timezone.localdate() + dt.timedelta(days=30)


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        ([silence.MeterWindow("water", 0.0, 24)], True),
        ([silence.MeterWindow("water", 0.02, 24)], False),
        ([silence.MeterWindow("electricity", 1.0, 24)], True),  # a fridge: 1 kWh a day is idle
        ([silence.MeterWindow("electricity", 3.0, 24)], False),
        ([silence.MeterWindow("water", 0.0, 10)], False),  # the meter was offline most of the window
        ([silence.MeterWindow("water", 0.0, 24), silence.MeterWindow("electricity", 5.0, 24)], False),
        ([], False),
    ],
)
def test_silence_rule(windows, expected) -> None:
    assert silence.is_silent(windows, 24) is expected


def _meter(world, kind: str) -> Meter:
    return Meter.objects.create(
        project=world.project_a,
        building=world.building_a,
        external_id=f"hh-{kind}",
        name=f"101 {kind}",
        kind=kind,
        scope="household",
        unit="kWh" if kind == "electricity" else "m3",
    )


def test_a_silent_household_opens_one_welfare_visit_with_the_tier_deadline(world, subject) -> None:
    subject.silent_alert_enabled = True
    subject.silent_hours = 24
    subject.tier = "high"
    subject.save()
    water = _meter(world, "water")
    services.care_meters_link(
        actor=world.users["community_a"], subject_id=subject.pk, electricity_meter_id=None, water_meter_id=water.pk
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    hours = [int((now - dt.timedelta(hours=h)).timestamp()) for h in range(1, 25)]
    HourlyUsage.objects.bulk_create(HourlyUsage(meter=water, hour=h, consumption=0.0, samples=4) for h in hours)
    assert services.care_silent_check(now) == 1
    assert services.care_silent_check(now + dt.timedelta(minutes=15)) == 0  # one open alert per resident
    visit = CareVisit.objects.get(kind=VisitKind.WELFARE)
    assert (visit.status, visit.due_at) == (VisitStatus.OPEN, now + dt.timedelta(hours=2))
    assert Notification.objects.filter(
        recipient=world.users["community_a"], dedup_key=f"community.welfare:{visit.pk}"
    ).exists()
    services.care_visit_record(actor=world.users["community_a"], subject_id=subject.pk, method="phone", outcome="well")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert SilentAlert.objects.get().resolved_at is not None


def test_a_household_using_water_opens_nothing(world, subject) -> None:
    subject.silent_alert_enabled = True
    water = _meter(world, "water")
    subject.water_meter_id = water.pk
    subject.save()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyUsage.objects.bulk_create(
        HourlyUsage(meter=water, hour=int((now - dt.timedelta(hours=h)).timestamp()), consumption=0.01, samples=4)
        for h in range(1, 25)
    )
    assert services.care_silent_check(now) == 0
    assert not CareVisit.objects.exists()
