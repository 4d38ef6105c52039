"""Records of the community app for tests, written directly (the services are tested on their own)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from haofuwu.community.choices import ActivityKind, ActivityStatus, CareCategory, CareTier, ConsentGiver
from haofuwu.community.models import Activity, CareSubject

_tokens = itertools.count(1)


def activity(
    project: Any, *, capacity: int = 2, starts_in: dt.timedelta = dt.timedelta(days=3), **fields: Any
) -> Activity:
    now = timezone.now()
    values = {
        "project": project,
        "title": "中秋游园会",
        "kind": ActivityKind.FESTIVAL,
        "place": "中心广场",
        "starts_at": now + starts_in,
        "ends_at": now + starts_in + dt.timedelta(hours=2),
        "signup_opens_at": now - dt.timedelta(days=1),
        "signup_closes_at": now + starts_in,
        "capacity": capacity,
        "status": ActivityStatus.PUBLISHED,
        "door_token": f"door{next(_tokens)}",
    }
    values.update(fields)
    return Activity.objects.create(**values)


def care_subject(resident: Any, coordinator: Any, **fields: Any) -> CareSubject:
    today = timezone.localdate()
    values = {
        "project": resident.unit.building.project,
        "resident": resident,
        "unit": resident.unit,
        "category": CareCategory.ELDERLY_ALONE,
        "tier": CareTier.KEY,
        "consent_giver": ConsentGiver.SELF,
        "consent_giver_name": resident.name,
        "consent_recorded_at": timezone.now(),
        "sensitive_consent_at": timezone.now(),
        "health_notes": "高血压，每日服药",
        "coordinator": coordinator,
        "registered_on": today - dt.timedelta(days=60),
        "next_visit_due": today + dt.timedelta(days=10),
        "door_code": "246810",
    }
    values.update(fields)
    return CareSubject.objects.create(**values)
