"""The annual project-manager evaluation: the newest run of a year, ranked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haofuwu.standard import selectors
from haofuwu.standard.views.common import _scope


@login_required
def manager_evaluations(request: HttpRequest) -> HttpResponse:
    """Managers the user may see with their components, total and ranks."""
    scope = _scope(request)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    evaluations = list(selectors.manager_evaluation_list_for_user(scope, year=year)[:500])
    return render(request, "standard/managers.html", {"evaluations": evaluations, "year": year})
