"""Permission matrix of the energy API (see haofuwu/core/tests/matrix.py).

Energy data is for staff, companies and regulators: residents see no meters (404), and only the platform admin,
company A's admin and project A's manager change anything of project A.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db.models import Count, Max
from django.utils import timezone

from haofuwu.accounts.services import api_token_create
from haofuwu.core.models import AuditEntry
from haofuwu.core.tests.matrix import EVERYONE, SEES_PROJECT_A, WRITES_PROJECT_A, Case, read, run, write
from haofuwu.energy.models import Anomaly, CarbonEstimate, IngestKey, Meter, SavingMeasure
from haofuwu.energy.tests.factories import make_anomaly, make_meter

STAFF_SEES_A = SEES_PROJECT_A - {"resident_a"}
_counter = itertools.count(1)


def _meter(world: Any) -> Meter:
    return Meter.objects.filter(project=world.project_a).order_by("pk").first() or make_meter(world.project_a)


def _anomaly(world: Any) -> Anomaly:
    now = timezone.now()
    return make_anomaly(
        _meter(world), at=now, kind="night_flow", period_start=now - dt.timedelta(days=3), summary="夜间用水"
    )


def _key(world: Any) -> IngestKey:
    return IngestKey.objects.create(project=world.project_a, prefix="hfi_x", digest=f"d{next(_counter)}")


def _state() -> tuple[Any, ...]:
    return (
        AuditEntry.objects.exclude(action="token.create").count(),
        Meter.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        tuple(Anomaly.objects.order_by("pk").values_list("pk", "status", "investigation_note")),
        tuple(IngestKey.objects.order_by("pk").values_list("pk", "revoked_at")),
        SavingMeasure.objects.count(),
        CarbonEstimate.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
    )


CASES = [
    Case("meters", "get", lambda w: "/api/v1/meters", read(EVERYONE)),
    Case(
        "create meter",
        "post",
        lambda w: "/api/v1/meters",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "external_id": f"EM-{next(_counter)}",
            "name": "公共照明",
            "kind": "electricity",
            "scope": "public_lighting",
        },
    ),
    Case("meter", "get", lambda w: f"/api/v1/meters/{_meter(w).pk}", read(STAFF_SEES_A)),
    Case(
        "change meter",
        "patch",
        lambda w: f"/api/v1/meters/{_meter(w).pk}",
        write(STAFF_SEES_A, WRITES_PROJECT_A),
        lambda w: {"name": f"照明{next(_counter)}"},
    ),
    Case("usage", "get", lambda w: f"/api/v1/meters/{_meter(w).pk}/usage?resolution=hour", read(STAFF_SEES_A)),
    Case(
        "group usage",
        "get",
        lambda w: f"/api/v1/energy/usage?project={w.project_a.pk}&resolution=day&scope=public_lighting",
        read(STAFF_SEES_A),
    ),
    Case("summary", "get", lambda w: f"/api/v1/projects/{w.project_a.pk}/energy/summary", read(STAFF_SEES_A)),
    Case("anomalies", "get", lambda w: "/api/v1/energy/anomalies", read(EVERYONE)),
    Case(
        "investigate",
        "post",
        lambda w: f"/api/v1/energy/anomalies/{_anomaly(w).pk}/investigate",
        write(STAFF_SEES_A, WRITES_PROJECT_A),
        lambda w: {"note": "发现水泵阀门漏水"},
    ),
    Case(
        "resolve",
        "post",
        lambda w: f"/api/v1/energy/anomalies/{_anomaly(w).pk}/resolve",
        write(STAFF_SEES_A, WRITES_PROJECT_A),
        lambda w: {"note": "已更换阀门"},
    ),
    Case("saving measures", "get", lambda w: "/api/v1/energy/saving-measures", read(EVERYONE)),
    Case(
        "create saving measure",
        "post",
        lambda w: "/api/v1/energy/saving-measures",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "title": "LED灯改造",
            "started_on": "2026-01-01",
            "meter_ids": [_meter(w).pk],
        },
    ),
    Case(
        "carbon estimate",
        "post",
        lambda w: "/api/v1/energy/carbon-estimates",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {"project_id": w.project_a.pk, "year": 2000 + next(_counter) % 100},
    ),
    Case("ingest keys", "get", lambda w: "/api/v1/ingest/keys", read(EVERYONE)),
    Case(
        "create ingest key",
        "post",
        lambda w: "/api/v1/ingest/keys",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {"project_id": w.project_a.pk, "name": "网关"},
    ),
    Case(
        "revoke ingest key",
        "post",
        lambda w: f"/api/v1/ingest/keys/{_key(w).pk}/revoke",
        write(STAFF_SEES_A, WRITES_PROJECT_A),
        lambda w: {},
    ),
]

# (METHOD, path) of every route walked by this module's matrix; tests/api/test_matrix_coverage.py checks them all.
ROUTES: set[tuple[str, str]] = {
    ("GET", "/api/v1/meters"),
    ("POST", "/api/v1/meters"),
    ("GET", "/api/v1/meters/{meter_id}"),
    ("PATCH", "/api/v1/meters/{meter_id}"),
    ("GET", "/api/v1/meters/{meter_id}/usage"),
    ("GET", "/api/v1/projects/{project_id}/energy/summary"),
    ("GET", "/api/v1/energy/usage"),
    ("GET", "/api/v1/energy/anomalies"),
    ("POST", "/api/v1/energy/anomalies/{anomaly_id}/investigate"),
    ("POST", "/api/v1/energy/anomalies/{anomaly_id}/resolve"),
    ("GET", "/api/v1/energy/saving-measures"),
    ("POST", "/api/v1/energy/saving-measures"),
    ("POST", "/api/v1/energy/carbon-estimates"),
    ("GET", "/api/v1/ingest/keys"),
    ("POST", "/api/v1/ingest/keys"),
    ("POST", "/api/v1/ingest/keys/{key_id}/revoke"),
}
# Routes whose permissions are tested elsewhere (name the test module in a comment beside each).
OWN_ROUTES: set[tuple[str, str]] = {
    ("POST", "/api/v1/ingest/readings"),  # test_api_ingest.py: ingestion keys, not user tokens
}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_answers_each_role_with_the_expected_status(world, client, case: Case) -> None:
    tokens = {name: api_token_create(user=user)[1] for name, user in world.users.items()}
    make_meter(world.project_a)  # the meter the cases act on, there before the first request
    failures = run(client, world, case, tokens, _state)
    assert not failures, "\n".join(failures)
