"""The project scorecard, one indicator with the records behind it, the league table and the company view."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haofuwu.core.errors import DomainError, NotFound
from haofuwu.core.regions import District
from haofuwu.estates import selectors as estates
from haofuwu.standard import permissions, selectors, services
from haofuwu.standard.choices import ResultStatus
from haofuwu.standard.forms import EvaluateForm, EvidenceUploadForm, FindingForm, ReviewForm
from haofuwu.standard.services.evaluation import EVIDENCE_RECORD_TYPE, FINDING_RECORD_TYPE
from haofuwu.standard.views.common import _is_partial, _scope, form_errors, group_titles

WORK_ORDER = "workorders.workorder"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Residents see their project's score; people of one project its scorecard; companies and regulators the
    league table of their scope."""
    scope = _scope(request)
    if scope.is_resident_only:
        return redirect("standard:resident_score")
    if not (scope.sees_everything or scope.company_ids or scope.districts):
        projects = sorted(scope.project_ids | scope.managed_project_ids)
        if len(projects) == 1:
            return redirect("standard:project_scorecard", project_id=projects[0])
    return redirect("standard:league")


def _radar(card: Any, titles: dict[str, dict[str, str]]) -> dict[str, Any]:
    dimensions = card.totals.get("dimensions", {})
    names = [titles["dimensions"].get(code, code) for code in dimensions]
    values = [(totals.get("score") if totals.get("score") is not None else 0) for totals in dimensions.values()]
    return {"indicators": [{"name": name, "max": 100} for name in names], "values": values}


def _sections(card: Any, results: list[Any], titles: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    order = list(card.totals.get("sections", {}))
    grouped: dict[str, list[Any]] = {code: [] for code in order}
    for result in results:
        grouped.setdefault(result.section, []).append(result)
    return [
        {
            "code": code,
            "title": titles["sections"].get(code, code),
            "totals": card.totals.get("sections", {}).get(code, {}),
            "results": rows,
            "failing": sum(1 for row in rows if row.status == ResultStatus.FAIL),
        }
        for code, rows in grouped.items()
    ]


@login_required
def project_scorecard(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's current scorecard of a period: score, stars, radar by dimension, sections with failing items
    first."""
    scope = _scope(request)
    project = estates.project_get_for_user(scope, project_id)
    cards = selectors.scorecard_list_for_user(scope, project_id=project.pk)
    period = request.GET.get("period", "")
    card = (cards.filter(period=period) if period else cards).first()
    context: dict[str, Any] = {
        "project": project,
        "card": card,
        "periods": [c.period for c in cards.order_by("-period_start")],
        "can_evaluate": permissions.can_act_for_project(scope, project.pk, project.company_id)
        or permissions.is_regulator_of(scope, project.district),
    }
    if card is not None:
        titles = group_titles(selectors.catalogue_of(card.catalogue_code, card.catalogue_version))
        results = selectors.scorecard_results(card)
        context.update(
            sections=_sections(card, results, titles),
            radar=_radar(card, titles),
            failing=sum(1 for r in results if r.status == ResultStatus.FAIL),
            rectifications=selectors.rectification_list_for_user(scope, project_id=project.pk, period=card.period)[:50],
        )
    return render(request, "standard/scorecard.html", context)


@login_required
@require_POST
def project_evaluate(request: HttpRequest, project_id: int) -> HttpResponse:
    """Evaluate a project now for the period in the form."""
    form = EvaluateForm(request.POST)
    period = request.POST.get("period", "")
    if not form.is_valid():
        messages.error(request, _("Give a period like 2026, 2026Q3 or 2026-09."))
        return redirect("standard:project_scorecard", project_id=project_id)
    try:
        services.scorecard_evaluate_for_user(
            actor=request.user, project_id=project_id, period=form.cleaned_data["period"]
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        return redirect("standard:project_scorecard", project_id=project_id)
    messages.success(request, _("The project was evaluated."))
    return redirect(f"{reverse('standard:project_scorecard', args=[project_id])}?period={period}")


def _records(result: Any) -> list[dict[str, Any]]:
    """The records behind an indicator: work orders link to their page, evidence and findings are shown in their
    own sections, other record types are plain ids."""
    if result.record_type == WORK_ORDER:
        return [{"id": pk, "url": reverse("workorders:detail", args=[pk])} for pk in result.record_ids]
    return [{"id": pk, "url": ""} for pk in result.record_ids]


@login_required
def indicator_detail(request: HttpRequest, scorecard_id: int, indicator_id: str) -> HttpResponse:
    """One indicator of a scorecard: value, rule, share, the records behind it, evidence and findings; forms to
    upload evidence (company), verify it and record findings (regulator)."""
    scope = _scope(request)
    card = selectors.scorecard_get_for_user(scope, scorecard_id)
    result = selectors.scorecard_result_get(card, indicator_id)
    project = estates.project_get_for_user(scope, card.project_id)
    staff_side = permissions.sees_staff_side(scope)
    can_upload = staff_side and permissions.can_act_for_project(scope, project.pk, project.company_id)
    is_regulator = staff_side and permissions.is_regulator_of(scope, project.district)
    upload_form = EvidenceUploadForm()
    finding_form = FindingForm()
    status = 200
    if request.method == "POST" and staff_side:
        action = request.POST.get("action")
        try:
            if action == "upload":
                upload_form = EvidenceUploadForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    services.evidence_upload(
                        actor=request.user,
                        project_id=project.pk,
                        catalogue_code=card.catalogue_code,
                        indicator_id=indicator_id,
                        upload=upload_form.cleaned_data["file"],
                        note=upload_form.cleaned_data["note"],
                    )
                    messages.success(request, _("Evidence uploaded; it counts once a regulator verifies it."))
                    return redirect(request.path)
                status = 422
            elif action == "finding":
                finding_form = FindingForm(request.POST)
                if finding_form.is_valid():
                    services.finding_record(
                        actor=request.user,
                        project_id=project.pk,
                        catalogue_code=card.catalogue_code,
                        indicator_id=indicator_id,
                        reason=finding_form.cleaned_data["reason"],
                        deduction=finding_form.cleaned_data["deduction"],
                    )
                    messages.success(request, _("Finding recorded; the next evaluation deducts it."))
                    return redirect(request.path)
                status = 422
            elif action == "review":
                review = ReviewForm(request.POST)
                evidence_id = int(request.POST.get("evidence_id") or 0)
                if review.is_valid():
                    services.evidence_review(
                        actor=request.user,
                        evidence_id=evidence_id,
                        decision=review.cleaned_data["decision"],
                        reason=review.cleaned_data["reason"],
                    )
                    messages.success(request, _("Review saved."))
                    return redirect(request.path)
                messages.error(request, _("Choose verify or reject."))
                status = 422
        except DomainError as error:
            if error.status in (403, 404):
                raise
            form_errors(finding_form if action == "finding" else upload_form, error)
            if action == "review":
                messages.error(request, error.message)
            status = 422
        except ValueError:
            raise NotFound(_("Not found.")) from None
    evidence = (
        selectors.evidence_list_for_user(scope, project_id=project.pk, indicator_id=indicator_id)[:50]
        if staff_side
        else []
    )
    findings = (
        selectors.finding_list_for_user(scope, project_id=project.pk, indicator_id=indicator_id)[:50]
        if staff_side
        else []
    )
    context = {
        "card": card,
        "project": project,
        "result": result,
        "indicator": result.indicator,
        "language": get_language(),
        "records": _records(result)
        if staff_side and result.record_type not in (EVIDENCE_RECORD_TYPE, FINDING_RECORD_TYPE)
        else [],
        "evidence": evidence,
        "findings": findings,
        "can_upload": can_upload and result.kind in ("evidence", "veto") and not result.metric,
        "is_regulator": is_regulator,
        "upload_form": upload_form,
        "finding_form": finding_form,
        "review_form": ReviewForm(),
    }
    return render(request, "standard/indicator.html", context, status=status)


@login_required
def league(request: HttpRequest) -> HttpResponse:
    """The league table of the projects in the scope for a period: district filter, sort by score, the grade
    distribution and the company roll-ups."""
    scope = _scope(request)
    periods = selectors.periods_for_user(scope)
    period = request.GET.get("period") or (periods[0] if periods else "")
    district = request.GET.get("district", "")
    sort = request.GET.get("sort", "score")
    cards = (
        selectors.scorecard_list_for_user(scope, period=period, district=district)
        if period
        else selectors.scorecard_list_for_user(scope).none()
    )
    ordering = {"score": ["-score", "project__name"], "-score": ["score", "project__name"], "name": ["project__name"]}
    cards = cards.order_by(*ordering.get(sort, ordering["score"]))
    distribution = selectors.grade_distribution(cards)
    rollups = selectors.company_rollups(scope, period=period, district=district) if period else []
    context = {
        "periods": periods,
        "period": period,
        "district": district,
        "districts": District.choices,
        "sort": sort,
        "cards": list(cards[:500]),
        "count": cards.count(),
        "distribution": json.dumps([{"name": f"{stars}★", "value": n} for stars, n in distribution.items()]),
        "rollups": rollups,
    }
    template = "standard/partials/league_table.html" if _is_partial(request) else "standard/league.html"
    return render(request, template, context)


@login_required
def company(request: HttpRequest, company_id: int) -> HttpResponse:
    """A company's roll-up (household-weighted mean) and its projects' scores for a period."""
    scope = _scope(request)
    found = estates.company_get_for_user(scope, company_id)
    periods = selectors.periods_for_user(scope)
    period = request.GET.get("period") or (periods[0] if periods else "")
    cards = selectors.scorecard_list_for_user(scope, company_id=found.pk, period=period).order_by(
        "-score", "project__name"
    )
    rollup = next((r for r in selectors.company_rollups(scope, period=period) if r.company_id == found.pk), None)
    return render(
        request,
        "standard/company.html",
        {"company": found, "periods": periods, "period": period, "cards": list(cards[:500]), "rollup": rollup},
    )
