"""The admin lists of the feedback app open for a platform administrator."""

from __future__ import annotations

import pytest

from haofuwu.feedback.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["receptionday", "receptionbooking", "receptionissue", "survey", "surveyresponse", "periodicvisit"]
)
def test_admin_list_opens(world, client, model: str) -> None:
    factories.reception_day(world.project_a)
    factories.survey(world.project_a)
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(f"/admin/feedback/{model}/").status_code == 200
