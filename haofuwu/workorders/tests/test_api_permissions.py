"""The work-order permission matrix: every endpoint, every role, the status — and nothing changed when refused.

The target is a repair reported by resident A for their household in project A. Each role acts on a fresh copy, so
one role's success does not change what the next one meets.
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
from haofuwu.core.tests.files import photo_bytes
from haofuwu.core.tests.matrix import EVERYONE, SEES_PROJECT_A, WRITES_COMPANY_A, Case, read, run, write
from haofuwu.workorders.models import ReturnVisit, SlaPolicy, WorkOrder, WorkOrderEvent, WorkOrderPhoto

MANAGES_A = frozenset({"admin", "company_admin_a", "manager_a"})
# Staff of project A with a trade, and the managers, record work orders for residents.
STAFF_OF_A = MANAGES_A | {"engineer_a", "security_a"}
_counter = itertools.count(1)


def _order(world: Any, **fields: Any) -> WorkOrder:
    now = timezone.now()
    values = {
        "project": world.project_a,
        "building": world.building_a,
        "unit": world.unit_a,
        "kind": "repair",
        "category": "water",
        "urgency": "normal",
        "title": "厨房漏水",
        "description": "水管漏水",
        "reporter": world.users["resident_a"],
        "submitted_at": now - dt.timedelta(hours=1),
        "resolution_due_at": now + dt.timedelta(days=2),
    }
    values.update(fields)
    return WorkOrder.objects.create(**values)


def _fresh(**fields: Any):  # type: ignore[no-untyped-def]
    """A URL builder that makes a new order in the given state for each call."""

    def url(world: Any, suffix: str = "") -> str:
        return f"/api/v1/work-orders/{_order(world, **fields).pk}{suffix}"

    return url


def _state() -> tuple[Any, ...]:
    return (
        AuditEntry.objects.exclude(action="token.create").count(),
        WorkOrderEvent.objects.count(),
        ReturnVisit.objects.count(),
        WorkOrderPhoto.objects.count(),
        SlaPolicy.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        tuple(WorkOrder.objects.order_by("pk").values_list("pk", "status", "rating", "hotline_reply")),
    )


RESOLVED = {"status": "resolved", "resolved_at": timezone.now()}
PNG = photo_bytes("PNG")

CASES = [
    Case("list", "get", lambda w: "/api/v1/work-orders", read(EVERYONE)),
    Case("detail", "get", lambda w: _fresh()(w), read(SEES_PROJECT_A)),
    Case(
        "submit",
        "post",
        lambda w: "/api/v1/work-orders",
        # Residents report for their household; staff with a trade and managers record for anyone; community
        # workers and regulators only read.
        write(SEES_PROJECT_A, STAFF_OF_A | {"resident_a"}, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "unit_id": w.unit_a.pk,
            "category": "water",
            "title": f"漏水{next(_counter)}",
            "description": "卫生间漏水",
        },
    ),
    Case(
        "transition accept",
        "post",
        lambda w: _fresh()(w, "/transitions"),
        write(SEES_PROJECT_A, MANAGES_A),
        lambda w: {"action": "accept"},
    ),
    Case(
        "transition close (resident confirms)",
        "post",
        lambda w: _fresh(**RESOLVED)(w, "/transitions"),
        write(SEES_PROJECT_A, MANAGES_A | {"resident_a"}),
        lambda w: {"action": "close"},
    ),
    Case(
        "rating",
        "post",
        lambda w: _fresh(**RESOLVED)(w, "/rating"),
        write(SEES_PROJECT_A, {"resident_a"}),
        lambda w: {"rating": 4, "comment": "及时"},
    ),
    Case("return visits", "get", lambda w: _fresh(**RESOLVED)(w, "/return-visits"), read(SEES_PROJECT_A)),
    Case(
        "record return visit",
        "post",
        lambda w: _fresh(**RESOLVED)(w, "/return-visits"),
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {"outcome": "satisfied", "method": "phone"},
    ),
    Case(
        "hotline reply",
        "post",
        lambda w: _fresh(channel="hotline_12345", hotline_case_number=f"J{next(_counter)}")(w, "/hotline-reply"),
        write(SEES_PROJECT_A, MANAGES_A),
        lambda w: {"reply": "已维修完毕"},
    ),
    Case(
        "photos",
        "post",
        lambda w: _fresh()(w, "/photos"),
        write(SEES_PROJECT_A, MANAGES_A | {"resident_a"}, 201),
        lambda w: {"files": _png()},
        multipart=True,
    ),
    Case(
        "photo file",
        "get",
        lambda w: _photo_url(w),
        # The project's property staff and the reporting household; not the regulators or the community worker.
        read(SEES_PROJECT_A - {"regulator_city", "regulator_lixia", "community_a"}),
    ),
    Case("sla policies", "get", lambda w: "/api/v1/sla-policies", read(EVERYONE)),
    Case(
        "set sla policy",
        "post",
        lambda w: "/api/v1/sla-policies",
        write(SEES_PROJECT_A, WRITES_COMPANY_A, 201),
        lambda w: {
            "company_id": w.company_a.pk,
            "kind": "repair",
            "urgency": "urgent",
            "response_minutes": 10,
            "arrival_minutes": 20 + next(_counter),
            "resolution_minutes": 600,
        },
    ),
]


def _photo_url(world: Any) -> str:
    from django.core.files.base import ContentFile

    order = _order(world)
    photo = WorkOrderPhoto.objects.create(
        work_order=order, stage="report", image=ContentFile(PNG, name="a.png"), content_type="image/png", size=len(PNG)
    )
    return f"/api/v1/work-orders/{order.pk}/photos/{photo.pk}"


def _png():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("leak.png", PNG, content_type="image/png")


ROUTES = {
    ("GET", "/api/v1/work-orders"),
    ("POST", "/api/v1/work-orders"),
    ("GET", "/api/v1/work-orders/{work_order_id}"),
    ("POST", "/api/v1/work-orders/{work_order_id}/transitions"),
    ("POST", "/api/v1/work-orders/{work_order_id}/rating"),
    ("GET", "/api/v1/work-orders/{work_order_id}/return-visits"),
    ("POST", "/api/v1/work-orders/{work_order_id}/return-visits"),
    ("POST", "/api/v1/work-orders/{work_order_id}/hotline-reply"),
    ("POST", "/api/v1/work-orders/{work_order_id}/photos"),
    ("GET", "/api/v1/work-orders/{work_order_id}/photos/{photo_id}"),
    ("GET", "/api/v1/sla-policies"),
    ("POST", "/api/v1/sla-policies"),
}


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_answers_each_role_with_the_expected_status(world, client, media, case: Case) -> None:
    tokens = {name: api_token_create(user=user)[1] for name, user in world.users.items()}
    failures = run(client, world, case, tokens, _state)
    assert not failures, "\n".join(failures)
