"""The disclosure board page for staff: each required item with its freshness, the planned cuts, the items
published, and the form to publish one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.community import selectors, services
from haofuwu.community.choices import DisclosureKind, OutageKind
from haofuwu.community.disclosure_rules import FINANCIAL_KINDS
from haofuwu.community.permissions import publishes_disclosures
from haofuwu.community.views.common import (
    chosen_project,
    posted_date,
    posted_id,
    posted_moment,
    require_staff,
    run,
    scope_of,
)
from haofuwu.estates import selectors as estates


@login_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    may_publish = project is not None and publishes_disclosures(scope, project.pk, project.company_id)
    if request.method == "POST" and may_publish:
        kind = request.POST.get("kind", "")

        def publish() -> None:
            extra: dict = {}
            if kind in FINANCIAL_KINDS:
                extra = {
                    "covers_from": posted_date(request, "covers_from"),
                    "covers_until": posted_date(request, "covers_until"),
                }
            if kind == DisclosureKind.PLANNED_OUTAGE:
                extra = {
                    "outage_kind": request.POST.get("outage_kind", ""),
                    "outage_starts_at": posted_moment(request, "outage_starts_at"),
                    "outage_ends_at": posted_moment(request, "outage_ends_at"),
                    "affected_area": request.POST.get("affected_area", ""),
                }
            services.disclosure_publish(
                actor=request.user,
                project_id=project.pk,
                kind=kind,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                **extra,
            )

        if request.POST.get("intent") == "withdraw":
            run(
                request,
                lambda: services.disclosure_withdraw(
                    actor=request.user,
                    disclosure_id=posted_id(request, "item") or 0,
                    reason=request.POST.get("reason", ""),
                ),
                _("The item is withdrawn."),
            )
            return redirect(f"{request.path}?project={project.pk}")
        if run(request, publish, _("Published on the board.")):
            return redirect(f"{request.path}?project={project.pk}")
    board = selectors.board_for_project(project.pk, timezone.now()) if project else None
    items = selectors.disclosure_list_for_user(scope, project_id=project.pk)[:100] if project else []
    return render(
        request,
        "community/disclosure_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "board": board,
            "items": items,
            "may_publish": may_publish,
            "kinds": DisclosureKind.choices,
            "outage_kinds": OutageKind.choices,
        },
    )
