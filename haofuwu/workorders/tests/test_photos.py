"""A resident's photo: stored without its GPS position and visible to the project's property staff and the
reporting household only, from the API and from the pages; the reporter's name follows the same rule."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from haofuwu.accounts.services import api_token_create, role_assign
from haofuwu.core.tests.files import has_gps, photo_upload
from haofuwu.estates.tests.factories import UserFactory
from haofuwu.workorders.models import WorkOrderPhoto
from haofuwu.workorders.tests.test_api_permissions import _order

# Who sees the photo of a leak reported by resident_a in project A, and who gets a 404 as if it did not exist.
SEES = ["resident_a", "manager_a", "engineer_a", "security_a", "company_admin_a", "admin"]
DOES_NOT_SEE = [
    "neighbour_a",
    "resident_b",
    "community_a",
    "regulator_lixia",
    "regulator_city",
    "manager_b",
    "company_admin_b",
    "nobody",
]


@pytest.fixture
def reported(world, client):  # type: ignore[no-untyped-def]
    """A photo with a GPS position, uploaded by resident_a through the API to their own work order."""
    neighbour = UserFactory(username="neighbour_a")
    role_assign(actor=None, user=neighbour, role="resident", unit=world.unit_a2)
    world.users["neighbour_a"] = neighbour
    order = _order(world, reporter_name="张甲")
    token = api_token_create(user=world.users["resident_a"])[1]
    response = client.post(
        f"/api/v1/work-orders/{order.pk}/photos",
        {"files": [photo_upload("IMG_2041.jpg")]},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    photo = WorkOrderPhoto.objects.get(pk=response.json()[0]["id"])
    return order, photo, response.json()[0]["url"]


def _bearer(world, username):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=world.users[username])[1]}"}


def test_the_stored_photo_has_no_gps_position_and_a_server_made_name(reported):
    _order, photo, url = reported
    assert not has_gps(photo.image.read())
    assert photo.image.name.startswith("workorders/photos/") and photo.image.name.endswith(".jpg")
    assert "IMG_2041" not in photo.image.name
    assert url == f"/api/v1/work-orders/{photo.work_order_id}/photos/{photo.pk}"


@pytest.mark.parametrize("username", SEES)
def test_the_projects_staff_and_the_household_get_the_photo_from_the_api_and_the_page(
    world, client, reported, username
):
    order, photo, url = reported
    from_api = client.get(url, **_bearer(world, username))
    assert from_api.status_code == 200
    body = b"".join(from_api.streaming_content)
    assert body == photo.image.open("rb").read() and not has_gps(body)
    assert from_api["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.users[username])
    page = client.get(reverse("workorders:photo", args=[photo.pk]))
    assert page.status_code == 200 and page["Content-Type"] == "image/jpeg"
    detail = client.get(f"/api/v1/work-orders/{order.pk}").json()
    assert [item["id"] for item in detail["photos"]] == [photo.pk]
    assert detail["reporter_name"] == "张甲"


@pytest.mark.parametrize("username", DOES_NOT_SEE)
def test_nobody_else_gets_the_photo(world, client, reported, username):
    order, photo, url = reported
    assert client.get(url, **_bearer(world, username)).status_code == 404
    client.force_login(world.users[username])
    assert client.get(reverse("workorders:photo", args=[photo.pk])).status_code == 404
    detail = client.get(f"/api/v1/work-orders/{order.pk}")
    if detail.status_code == 200:
        # Those who may read the work order (the district's regulator, the community worker) see neither the
        # photos nor who reported it.
        assert detail.json()["photos"] == []
        assert detail.json()["reporter_name"] == "张*"
    else:
        assert detail.status_code == 404


def test_anonymous_callers_get_no_photo(client, reported):
    _order, photo, url = reported
    assert client.get(url).status_code == 401
    page = client.get(reverse("workorders:photo", args=[photo.pk]))
    assert page.status_code == 302 and page.url.startswith(reverse("accounts:login"))


def test_the_photo_must_belong_to_the_work_order_in_the_address(world, client, reported):
    _order_a, photo, _url = reported
    other = _order(world)
    assert (
        client.get(f"/api/v1/work-orders/{other.pk}/photos/{photo.pk}", **_bearer(world, "manager_a")).status_code
        == 404
    )


def test_the_staff_page_shows_the_photo_through_the_scoped_view(world, client, reported):
    order, photo, _url = reported
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert f'src="{reverse("workorders:photo", args=[photo.pk])}"' in page
    assert "/media/" not in page


def test_photos_stored_before_files_were_private_are_re_encoded_under_new_names(world, settings, tmp_path):
    """What migration 0003 does to each existing photo (core.private_files.rehome_file)."""
    from django.core.files.storage import default_storage

    from haofuwu.core.private_files import PHOTO, rehome_file
    from haofuwu.core.tests.files import photo_bytes

    settings.MEDIA_ROOT = tmp_path
    order = _order(world)
    default_storage.save(f"workorders/{order.pk}/IMG_1.jpg", io.BytesIO(photo_bytes("JPEG")))
    default_storage.save(f"workorders/{order.pk}/page.html", io.BytesIO(b"<script>alert(1)</script>"))
    good = WorkOrderPhoto.objects.create(
        work_order=order, stage="report", image=f"workorders/{order.pk}/IMG_1.jpg", content_type="image/jpeg", size=1
    )
    bad = WorkOrderPhoto.objects.create(
        work_order=order, stage="report", image=f"workorders/{order.pk}/page.html", content_type="image/png", size=1
    )
    assert rehome_file(good, "image", kinds=PHOTO) is True
    assert rehome_file(bad, "image", kinds=PHOTO) is False
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.image.name.startswith("workorders/photos/") and good.image.name.endswith(".jpg")
    assert not has_gps(good.image.read()) and good.size == good.image.size
    assert not default_storage.exists(f"workorders/{order.pk}/IMG_1.jpg")
    # What does not decode stays where it was, served (if at all) as a download of unknown type.
    assert bad.image.name == f"workorders/{order.pk}/page.html"
