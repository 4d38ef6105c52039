"""How role assignments fold into a scope."""

from __future__ import annotations

import pytest

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.accounts.services import role_assign
from haofuwu.core.errors import ValidationFailed
from haofuwu.estates.tests.factories import UserFactory


def test_user_with_two_assignments_reaches_both_projects(world) -> None:
    user = UserFactory(username="both")
    role_assign(actor=None, user=user, role="project_manager", project=world.project_a)
    role_assign(actor=None, user=user, role="staff", trade="customer_service", project=world.project_b)
    scope = scope_for_user(user)
    assert scope.project_ids == {world.project_a.pk, world.project_b.pk}
    assert scope.managed_project_ids == {world.project_a.pk}
    assert scope.trades == {"customer_service"}
    assert scope.can_write_project(world.project_a.pk, world.company_a.pk)
    assert not scope.can_write_project(world.project_b.pk, world.company_b.pk)


def test_assigning_the_same_role_twice_keeps_one_row(world) -> None:
    user = world.users["manager_a"]
    role_assign(actor=None, user=user, role="project_manager", project=world.project_a)
    assert user.role_assignments.count() == 1


def test_resident_scope_carries_the_household_and_its_project(world) -> None:
    scope = scope_for_user(world.users["resident_a"])
    assert scope.household_unit_ids == {world.unit_a.pk}
    assert scope.household_project_ids == {world.project_a.pk}
    assert scope.is_resident_only
    assert not scope.permissions


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": "company_admin"}, "company"),
        ({"role": "project_manager"}, "project"),
        ({"role": "resident"}, "unit"),
        ({"role": "staff", "project": None}, "project"),
        ({"role": "wizard"}, "role"),
    ],
)
def test_role_without_its_scope_is_refused(world, kwargs, field) -> None:
    with pytest.raises(ValidationFailed) as error:
        role_assign(actor=None, user=world.users["nobody"], **kwargs)
    assert field in error.value.errors


def test_anonymous_scope_sees_nothing() -> None:
    from django.contrib.auth.models import AnonymousUser

    scope = scope_for_user(AnonymousUser())
    assert not scope.is_authenticated
    assert not scope.has("estates.view")
