"""Work-order API behaviour: query counts, refusals that change nothing, photo checks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haofuwu.accounts.services import api_token_create
from haofuwu.workorders.models import WorkOrder, WorkOrderPhoto
from haofuwu.workorders.tests.test_api_permissions import PNG, _order


@pytest.fixture
def as_user(world, client):  # type: ignore[no-untyped-def]
    tokens: dict[str, str] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in tokens:
            tokens[username] = api_token_create(user=world.users[username])[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {tokens[username]}"}

    return headers


def test_list_query_count_does_not_grow_with_rows(world, client, as_user, django_assert_max_num_queries) -> None:
    world.staff_a.user = world.users["engineer_a"]
    world.staff_a.save()
    client.get("/api/v1/work-orders", **as_user("manager_a"))
    for extra in (1, 40):
        for _ in range(extra):
            _order(world, assignee=world.staff_a)
        with django_assert_max_num_queries(6):
            response = client.get("/api/v1/work-orders?page_size=200", **as_user("manager_a"))
        assert response.json()["count"] == WorkOrder.objects.count()


def test_illegal_transition_is_409_and_changes_nothing(world, client, as_user) -> None:
    order = _order(world)
    response = client.post(
        f"/api/v1/work-orders/{order.pk}/transitions",
        {"action": "resolve", "note": "修好了"},
        content_type="application/json",
        **as_user("manager_a"),
    )
    assert response.status_code == 409
    assert "cannot" in response.json()["detail"][0]["msg"]
    order.refresh_from_db()
    assert (order.status, order.resolved_at, order.events.count()) == ("submitted", None, 0)


def test_unknown_action_is_422_naming_the_field(world, client, as_user) -> None:
    order = _order(world)
    response = client.post(
        f"/api/v1/work-orders/{order.pk}/transitions",
        {"action": "explode"},
        content_type="application/json",
        **as_user("manager_a"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "action"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello world, not a photo", "not a JPEG, PNG or WebP"),
        ("big.png", PNG + b"0" * (1024 * 1024 + 1), "larger than 1 MB"),
        ("empty.png", b"", "empty"),
    ],
)
def test_bad_photo_is_refused_with_a_clear_message(world, client, as_user, settings, tmp_path, name, content, message):
    settings.MEDIA_ROOT = tmp_path
    settings.PHOTO_MAX_MB = 1
    order = _order(world)
    response = client.post(
        f"/api/v1/work-orders/{order.pk}/photos",
        {"files": [SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile(name, content)]},
        **as_user("resident_a"),
    )
    assert response.status_code == 422
    assert message in response.json()["detail"][0]["msg"]
    assert WorkOrderPhoto.objects.count() == 0


def test_resident_sees_the_deadline_and_only_cancel_on_a_new_report(world, client, as_user) -> None:
    response = client.post(
        "/api/v1/work-orders",
        {
            "project_id": world.project_a.pk,
            "unit_id": world.unit_a.pk,
            "urgency": "urgent",
            "category": "water",
            "title": "漏水",
            "description": "厨房水管爆裂",
        },
        content_type="application/json",
        **as_user("resident_a"),
    )
    body = response.json()
    assert response.status_code == 201
    assert body["allowed_actions"] == ["cancel"]
    assert body["arrival"]["due_at"] is not None and body["arrival"]["is_overdue"] is False


def test_resident_cannot_report_for_a_neighbours_household(world, client, as_user) -> None:
    response = client.post(
        "/api/v1/work-orders",
        {"project_id": world.project_a.pk, "unit_id": world.unit_a2.pk, "title": "x", "description": "y"},
        content_type="application/json",
        **as_user("resident_a"),
    )
    assert response.status_code == 404
    assert WorkOrder.objects.count() == 0


def test_overdue_filter_lists_only_late_open_orders(world, client, as_user) -> None:
    import datetime as dt

    from django.utils import timezone

    late = _order(world, resolution_due_at=timezone.now() - dt.timedelta(minutes=5))
    _order(world)
    _order(world, status="resolved", resolution_due_at=timezone.now() - dt.timedelta(days=1))
    body = client.get("/api/v1/work-orders?is_overdue=true", **as_user("manager_a")).json()
    assert [item["id"] for item in body["items"]] == [late.pk]
    assert body["items"][0]["is_overdue"] is True


def test_a_late_order_says_which_clocks_it_missed(world, client, as_user) -> None:
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    order = _order(
        world,
        status="resolved",
        accepted_at=now - dt.timedelta(minutes=50),
        response_due_at=now - dt.timedelta(minutes=55),
        arrived_at=now - dt.timedelta(minutes=40),
        arrival_due_at=now - dt.timedelta(minutes=45),
        resolved_at=now - dt.timedelta(minutes=10),
        resolution_due_at=now,
    )
    body = client.get(f"/api/v1/work-orders/{order.pk}", **as_user("manager_a")).json()
    assert body["breaches"] == ["response", "arrival"]
    assert body["resolution"]["is_met"] is True
