"""The work-order pages: who sees which page, scope as 404, resident reports with photos, transitions and their
errors, bulk dispatch, and a board whose query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from haofuwu.core.tests.files import photo_bytes
from haofuwu.workorders import services
from haofuwu.workorders.choices import Status
from haofuwu.workorders.models import WorkOrder, WorkOrderPhoto
from haofuwu.workorders.views import clock_view

pytestmark = pytest.mark.django_db

PNG = photo_bytes("PNG")


@pytest.fixture(autouse=True)
def english_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def engineer(world):  # type: ignore[no-untyped-def]
    """engineer_a's log-in linked to the engineering staff record of project A."""
    world.staff_a.user = world.users["engineer_a"]
    world.staff_a.save()
    return world.staff_a


def submit(world, *, title: str = "Kitchen pipe leaking", **kwargs) -> WorkOrder:  # type: ignore[no-untyped-def]
    values = {
        "actor": world.users["resident_a"],
        "project_id": world.project_a.pk,
        "unit_id": world.unit_a.pk,
        "kind": "repair",
        "category": "water",
        "urgency": "normal",
        "title": title,
        "description": "Water under the sink.",
    }
    values.update(kwargs)
    return services.work_order_submit(**values)


def resident_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "kind": "repair",
        "category": "water",
        "urgency": "normal",
        "where": "home",
        "description": "The kitchen pipe is leaking\nsince this morning.",
    }
    data.update(overrides)
    return data


# Pages and roles


def test_staff_pages_render_for_the_manager(world, client_for):
    order = submit(world)
    client = client_for(world.users["manager_a"])
    board = client.get(reverse("workorders:board"))
    assert board.status_code == 200
    assert order.number in board.content.decode()
    detail = client.get(reverse("workorders:detail", args=[order.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    # A manager may accept, dispatch and cancel a submitted order: one form for each.
    for action in ("accept", "dispatch", "cancel"):
        assert f'name="action" value="{action}"' in html
    assert 'name="action" value="resolve"' not in html
    assert client.get(reverse("workorders:create")).status_code == 200
    assert client.get(reverse("workorders:my_tasks")).status_code == 200


def test_board_answers_htmx_with_the_partial(world, client_for):
    submit(world)
    response = client_for(world.users["manager_a"]).get(reverse("workorders:board"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Kitchen pipe leaking" in html


def test_resident_is_sent_to_their_own_pages(world, client_for):
    order = submit(world)
    client = client_for(world.users["resident_a"])
    assert client.get(reverse("workorders:board")).url == reverse("workorders:resident_list")
    assert client.get(reverse("workorders:detail", args=[order.pk])).url == reverse(
        "workorders:resident_detail", args=[order.pk]
    )
    listing = client.get(reverse("workorders:resident_list"))
    assert listing.status_code == 200
    assert "Kitchen pipe leaking" in listing.content.decode()
    assert 'data-testid="report-button"' in listing.content.decode()
    assert client.get(reverse("workorders:create")).status_code == 403


def test_resident_of_another_project_gets_404(world, client_for):
    order = submit(world)
    response = client_for(world.users["resident_b"]).get(reverse("workorders:resident_detail", args=[order.pk]))
    assert response.status_code == 404
    listing = client_for(world.users["resident_b"]).get(reverse("workorders:resident_list"))
    assert "Kitchen pipe leaking" not in listing.content.decode()


def test_manager_of_another_project_gets_404_and_changes_nothing(world, client_for):
    order = submit(world)
    client = client_for(world.users["manager_b"])
    assert client.get(reverse("workorders:detail", args=[order.pk])).status_code == 404
    response = client.post(reverse("workorders:transition", args=[order.pk]), {"action": "accept"})
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED
    assert "Kitchen pipe leaking" not in client.get(reverse("workorders:board")).content.decode()


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("workorders:board"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


# The resident reports a problem


def test_resident_reports_a_leak_with_a_photo(world, client_for):
    client = client_for(world.users["resident_a"])
    photo = SimpleUploadedFile("leak.png", PNG, content_type="image/png")
    response = client.post(reverse("workorders:resident_create"), {**resident_form(), "photos": [photo]})
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("workorders:resident_detail", args=[order.pk])
    assert order.unit_id == world.unit_a.pk
    assert order.project_id == world.project_a.pk
    assert order.title == "The kitchen pipe is leaking"
    stored = WorkOrderPhoto.objects.get(work_order=order)
    assert stored.content_type == "image/png"
    assert stored.image.read().startswith(b"\x89PNG")
    assert stored.image.name.startswith("workorders/photos/") and stored.image.name.endswith(".png")
    page = client.get(response.url).content.decode()
    photo_url = reverse("workorders:photo", args=[stored.pk])
    assert f'src="{photo_url}"' in page
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert 'data-state="running"' in page  # the promise: taken on by the response deadline


def test_resident_reports_about_a_public_area(world, client_for):
    client = client_for(world.users["resident_a"])
    response = client.post(
        reverse("workorders:resident_create"), resident_form(where="public", public_area="North gate", kind="complaint")
    )
    assert response.status_code == 302
    order = WorkOrder.objects.get()
    assert order.unit_id is None
    assert order.public_area == "North gate"


def test_a_text_file_is_refused_beside_the_photo_field_and_nothing_is_saved(world, client_for):
    client = client_for(world.users["resident_a"])
    text = SimpleUploadedFile("notes.txt", b"not a photo at all", content_type="text/plain")
    response = client.post(reverse("workorders:resident_create"), {**resident_form(), "photos": [text]})
    assert response.status_code == 422
    assert "notes.txt is not a JPEG, PNG or WebP photo." in response.context["form"].errors["photos"]
    assert 'id="id_photos_error"' in response.content.decode()
    assert WorkOrder.objects.count() == 0
    assert WorkOrderPhoto.objects.count() == 0


def test_an_oversized_photo_is_refused_and_nothing_is_saved(world, client_for, settings):
    settings.PHOTO_MAX_MB = 1
    client = client_for(world.users["resident_a"])
    big = SimpleUploadedFile("big.png", PNG + b"0" * (2 * 1024 * 1024), content_type="image/png")
    response = client.post(reverse("workorders:resident_create"), {**resident_form(), "photos": [big]})
    assert response.status_code == 422
    assert response.context["form"].errors["photos"] == ["big.png is larger than 1 MB."]
    assert WorkOrder.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.png"))


def test_an_appointment_needs_a_window(world, client_for):
    client = client_for(world.users["resident_a"])
    response = client.post(reverse("workorders:resident_create"), resident_form(urgency="appointment"))
    assert response.status_code == 422
    assert response.context["form"].errors["appointment_start"] == ["Choose when we may come."]
    assert WorkOrder.objects.count() == 0


# Transitions


def test_an_illegal_transition_shows_the_conflict_with_409_and_changes_nothing(world, client_for):
    order = submit(world)
    client = client_for(world.users["manager_a"])
    response = client.post(reverse("workorders:transition", args=[order.pk]), {"action": "close"})
    assert response.status_code == 409
    assert "A work order that is Submitted cannot be asked to Close." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED
    assert order.events.count() == 1  # only the submission


def test_a_role_that_may_not_act_gets_403_on_the_page(world, client_for, engineer):
    order = submit(world)
    response = client_for(world.users["engineer_a"]).post(
        reverse("workorders:transition", args=[order.pk]), {"action": "dispatch", "dispatch-assignee": engineer.pk}
    )
    assert response.status_code == 403
    assert "Your role may not do “Dispatch” on this work order." in response.content.decode()
    order.refresh_from_db()
    assert order.assignee_id is None


def test_hold_without_a_note_shows_the_error_beside_the_note(world, client_for, engineer):
    order = submit(world)
    services.work_order_transition(
        actor=world.users["manager_a"], work_order_id=order.pk, action="dispatch", assignee_id=engineer.pk
    )
    response = client_for(world.users["manager_a"]).post(
        reverse("workorders:transition", args=[order.pk]), {"action": "hold", "hold-note": ""}
    )
    assert response.status_code == 422
    assert 'id="id_hold-note_error"' in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED


def test_dispatch_start_and_resolve_from_the_pages(world, client_for, engineer):
    order = submit(world)
    manager = client_for(world.users["manager_a"])
    detail = manager.get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert f'<option value="{engineer.pk}"' in detail
    assert "Recommended for this work" in detail
    response = manager.post(
        reverse("workorders:transition", args=[order.pk]), {"action": "dispatch", "dispatch-assignee": engineer.pk}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.assignee_id) == (Status.DISPATCHED, engineer.pk)

    worker = client_for(world.users["engineer_a"])
    tasks = worker.get(reverse("workorders:my_tasks")).content.decode()
    assert order.number in tasks
    assert worker.post(reverse("workorders:transition", args=[order.pk]), {"action": "start"}).status_code == 302
    page = worker.get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="clock-arrival" data-state="met"' in page
    photo = SimpleUploadedFile("done.png", PNG, content_type="image/png")
    response = worker.post(
        reverse("workorders:transition", args=[order.pk]),
        {
            "action": "resolve",
            "resolve-note": "Replaced the trap seal.",
            "resolve-materials": "1 seal",
            "resolve-photos": [photo],
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.RESOLVED
    assert order.resolution_note == "Replaced the trap seal."
    assert order.photos.get().stage == "resolution"


def test_resident_confirms_and_rates_a_resolved_order(world, client_for, engineer):
    order = submit(world)
    manager = world.users["manager_a"]
    services.work_order_transition(actor=manager, work_order_id=order.pk, action="dispatch", assignee_id=engineer.pk)
    services.work_order_transition(actor=manager, work_order_id=order.pk, action="start")
    services.work_order_transition(actor=manager, work_order_id=order.pk, action="resolve", note="Fixed.")
    client = client_for(world.users["resident_a"])
    url = reverse("workorders:resident_detail", args=[order.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="confirm"' in page
    assert client.post(url, {"intent": "reopen", "note": ""}).status_code == 422
    assert client.post(url, {"intent": "close"}).status_code == 302
    assert client.post(url, {"intent": "rate", "rating": "5", "comment": "Quick and tidy"}).status_code == 302
    order.refresh_from_db()
    assert (order.status, order.rating, order.rating_comment) == (Status.CLOSED, 5, "Quick and tidy")
    again = client.post(url, {"intent": "rate", "rating": "4"})
    assert again.status_code == 409
    assert "This work order has already been rated." in again.content.decode()
    order.refresh_from_db()
    assert order.rating == 5


def test_return_visit_and_hotline_reply(world, client_for, engineer):
    order = submit(
        world,
        actor=world.users["manager_a"],
        channel="hotline_12345",
        hotline_case_number="JN2025-0001",
        reporter_name="Caller",
    )
    manager = world.users["manager_a"]
    services.work_order_transition(actor=manager, work_order_id=order.pk, action="dispatch", assignee_id=engineer.pk)
    services.work_order_transition(actor=manager, work_order_id=order.pk, action="start")
    services.work_order_transition(actor=manager, work_order_id=order.pk, action="resolve", note="Fixed.")
    client = client_for(manager)
    response = client.post(
        reverse("workorders:return_visit", args=[order.pk]), {"outcome": "satisfied", "method": "phone", "note": "OK"}
    )
    assert response.status_code == 302
    assert order.return_visits.get().outcome == "satisfied"
    assert client.post(reverse("workorders:hotline_reply", args=[order.pk]), {"reply": ""}).status_code == 422
    assert client.post(reverse("workorders:hotline_reply", args=[order.pk]), {"reply": "Repaired."}).status_code == 302
    order.refresh_from_db()
    assert order.hotline_reply == "Repaired."


def test_staff_registers_a_phone_request(world, client_for):
    client = client_for(world.users["manager_a"])
    response = client.post(
        reverse("workorders:create"),
        {
            "project": world.project_a.pk,
            "channel": "phone",
            "unit": world.unit_a2.pk,
            "kind": "repair",
            "category": "electricity",
            "urgency": "urgent",
            "title": "No power in the flat",
            "description": "Breaker trips at once.",
            "reporter_name": "李甲",
            "reporter_phone": "13800000002",
        },
    )
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert (order.channel, order.unit_id, order.urgency) == ("phone", world.unit_a2.pk, "urgent")


def test_a_hotline_case_without_its_number_is_refused_beside_the_field(world, client_for):
    client = client_for(world.users["manager_a"])
    response = client.post(
        reverse("workorders:create"),
        {
            "project": world.project_a.pk,
            "channel": "hotline_12345",
            "public_area": "North gate",
            "kind": "complaint",
            "category": "noise",
            "urgency": "normal",
            "title": "Noise at night",
            "description": "Loud music.",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["hotline_case_number"] == ["A 12345 case needs its case number."]
    assert WorkOrder.objects.count() == 0


# The board


def test_bulk_dispatch_assigns_all_ticked_orders(world, client_for, engineer):
    first, second = submit(world, title="One"), submit(world, title="Two")
    response = client_for(world.users["manager_a"]).post(
        reverse("workorders:bulk_dispatch"), {"work_orders": [first.pk, second.pk], "assignee": engineer.pk}
    )
    assert response.status_code == 302
    assert set(WorkOrder.objects.values_list("status", "assignee_id")) == {(Status.DISPATCHED, engineer.pk)}


def test_bulk_dispatch_is_all_or_nothing_and_shows_the_error(world, client_for, engineer):
    open_order = submit(world, title="Open")
    done = submit(world, title="Done")
    manager = world.users["manager_a"]
    services.work_order_transition(actor=manager, work_order_id=done.pk, action="cancel", note="Duplicate")
    response = client_for(manager).post(
        reverse("workorders:bulk_dispatch"), {"work_orders": [open_order.pk, done.pk], "assignee": engineer.pk}
    )
    assert response.status_code == 409
    assert "cannot be asked to Dispatch" in response.content.decode()
    open_order.refresh_from_db()
    assert (open_order.status, open_order.assignee_id) == (Status.SUBMITTED, None)


def test_board_puts_overdue_first_and_filters(world, client_for):
    fresh = submit(world, title="Fresh")
    late = submit(world, title="Late", submitted_at=timezone.now() - dt.timedelta(days=10))
    client = client_for(world.users["manager_a"])
    cards = client.get(reverse("workorders:board")).context["cards"]
    assert [card["id"] for card in cards] == [late.pk, fresh.pk]
    assert cards[0]["clock"]["state"] == "overdue"
    only_late = client.get(reverse("workorders:board"), {"overdue": "on"}).context["cards"]
    assert [card["id"] for card in only_late] == [late.pk]
    tab = client.get(reverse("workorders:board"), {"status": "accepted"})
    assert tab.context["cards"] == []
    assert tab.context["tabs"][0]["count"] == 2


def test_board_query_count_does_not_grow_with_rows(world, client_for, engineer, django_assert_max_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            order = submit(world, title=f"Order {WorkOrder.objects.count() + i}")
            services.work_order_transition(
                actor=world.users["manager_a"], work_order_id=order.pk, action="dispatch", assignee_id=engineer.pk
            )

    client = client_for(world.users["manager_a"])
    add(3)
    client.get(reverse("workorders:board"))  # warm the session
    with django_assert_max_num_queries(16) as small:
        assert len(client.get(reverse("workorders:board")).context["cards"]) == 3
    add(27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(reverse("workorders:board")).context["cards"]) == 30


# Clock wording


def test_clock_reads_overdue_due_paused_and_met():
    now = timezone.now()
    due = now - dt.timedelta(hours=2)
    overdue = clock_view({"due_at": due, "done_at": None, "is_met": None, "is_overdue": True}, now, status="accepted")
    assert (overdue["state"], overdue["text"]) == ("overdue", "overdue by 2\xa0hours")
    ahead = clock_view(
        {"due_at": now + dt.timedelta(minutes=30), "done_at": None, "is_met": None, "is_overdue": False},
        now,
        status="dispatched",
    )
    assert (ahead["state"], ahead["text"]) == ("running", "due in 30\xa0minutes")
    paused = clock_view({"due_at": None, "done_at": None, "is_met": None, "is_overdue": False}, now, status="on_hold")
    assert paused["state"] == "paused"
    met = clock_view({"due_at": now, "done_at": due, "is_met": True, "is_overdue": False}, now, status="resolved")
    assert met["state"] == "met"


# Admin


def test_admin_pages_of_work_orders_open(world, client_for):
    admin_user = world.users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    order = submit(world)
    client = client_for(admin_user)
    for url in (
        reverse("admin:workorders_workorder_changelist") + "?q=Kitchen&status=submitted",
        reverse("admin:workorders_workorder_change", args=[order.pk]),
        reverse("admin:workorders_slapolicy_changelist"),
        reverse("admin:workorders_calendarday_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Kitchen pipe leaking" in client.get(reverse("admin:workorders_workorder_changelist")).content.decode()


def test_choosing_a_project_reloads_the_form_with_its_households_and_keeps_what_was_typed(world, client_for):
    response = client_for(world.users["company_admin_a"]).get(
        reverse("workorders:create"),
        {"project": world.project_a.pk, "title": "Broken gate"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert f'<option value="{world.unit_a2.pk}"' in html
    assert 'value="Broken gate"' in html
