"""The resident's page: their project's published score, sized for a phone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haofuwu.estates import selectors as estates
from haofuwu.standard import selectors
from haofuwu.standard.views.common import _scope, group_titles


@login_required
def resident_score(request: HttpRequest) -> HttpResponse:
    """The newest published scorecard of each project where the user has a household."""
    scope = _scope(request)
    cards = []
    for project_id in sorted(scope.household_project_ids):
        project = estates.project_get_for_user(scope, project_id)
        card = (
            selectors.scorecard_list_for_user(scope, project_id=project_id)
            .filter(period_end__lte=F("computed_at"))
            .first()
        )
        titles = group_titles(selectors.catalogue_of(card.catalogue_code, card.catalogue_version)) if card else None
        sections = []
        if card is not None and titles is not None:
            sections = [
                {"title": titles["sections"].get(code, code), "score": totals.get("score")}
                for code, totals in card.totals.get("sections", {}).items()
            ]
        cards.append(
            {"project": project, "card": card, "sections": sections, "stars": range(card.stars) if card else range(0)}
        )
    return render(request, "standard/resident_score.html", {"cards": cards})
