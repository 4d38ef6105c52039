"""The resident's own pages: the phone home page with their household(s)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haofuwu.estates import selectors
from haofuwu.estates.views.common import _scope


@login_required
def resident_home(request: HttpRequest) -> HttpResponse:
    """A resident's phone home page: their household(s), its members and how to reach the service desk."""
    scope = _scope(request)
    units = list(
        selectors.unit_list_for_user(scope)
        .filter(pk__in=scope.household_unit_ids)
        .select_related("building__project__company")
    )
    members = selectors.resident_list_for_user(scope).filter(unit_id__in=[unit.pk for unit in units])
    by_unit: dict[int, list[Any]] = {}
    for resident in members:
        by_unit.setdefault(resident.unit_id, []).append((resident, selectors.resident_personal_data(scope, resident)))
    households = [{"unit": unit, "members": by_unit.get(unit.pk, [])} for unit in units]
    return render(request, "estates/resident_home.html", {"households": households})
