"""The staff board with filters and bulk dispatch, and the user's own tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from haofuwu.accounts.roles import VIEW_ESTATES
from haofuwu.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders import selectors, services
from haofuwu.workorders.choices import OPEN_STATUSES, Status
from haofuwu.workorders.forms import ACTIVE_STATUSES, BoardFilterForm, BulkDispatchForm, staff_choices
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.views.clocks import _card
from haofuwu.workorders.views.common import PAGE_SIZE, _can_dispatch_somewhere, _is_partial, _require, _scope

# Statuses that count for the board's "due" clock: on hold the clock is stopped and shown as paused.
RUNNING_STATUSES = OPEN_STATUSES - {Status.ON_HOLD}


def _overdue_first(queryset: QuerySet[WorkOrder], now: dt.datetime) -> QuerySet[WorkOrder]:
    late = Case(
        When(Q(status__in=RUNNING_STATUSES, resolution_due_at__lt=now), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.annotate(is_late=late).order_by("-is_late", "-submitted_at", "-id")


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Work orders of the user's projects by status, overdue first, with filters and bulk dispatch."""
    scope = _scope(request)
    if scope.is_resident_only:
        return redirect("workorders:resident_list")
    _require(scope.has(VIEW_ESTATES))
    return _board_page(request, scope)


def _board_page(
    request: HttpRequest,
    scope: Scope,
    *,
    dispatch_form: BulkDispatchForm | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    now = timezone.now()
    form = BoardFilterForm(request.GET, scope=scope)
    filters = form.filters()
    status = filters.get("status", "")
    if status not in ACTIVE_STATUSES:
        status = ""
    base = selectors.work_order_list_for_user(
        scope,
        project_id=filters.get("project"),
        kind=filters.get("kind", ""),
        category=filters.get("category", ""),
        urgency=filters.get("urgency", ""),
        channel=filters.get("channel", ""),
        assignee_id=filters.get("assignee"),
        is_overdue=True if filters.get("overdue") else None,
        search=filters.get("q", ""),
        now=now,
    ).filter(status__in=ACTIVE_STATUSES)
    counts = dict(base.order_by().values_list("status").annotate(count=Count("id")))
    labels = dict(Status.choices)
    tabs = [{"status": "", "label": _("All active"), "count": sum(counts.values()), "is_current": status == ""}] + [
        {"status": value, "label": labels[value], "count": counts.get(value, 0), "is_current": status == value}
        for value in ACTIVE_STATUSES
    ]
    queryset = _overdue_first(base.filter(status=status) if status else base, now)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [_card(scope, order, now) for order in page.object_list]
    can_dispatch = _can_dispatch_somewhere(scope)
    if can_dispatch and dispatch_form is None:
        project_id = filters.get("project")
        assignees = (
            staff_choices(scope, project_id=project_id)
            if project_id
            else [(m.pk, m.name) for m in estates.staff_list_for_user(scope, is_active=True).order_by("name", "id")]
        )
        dispatch_form = BulkDispatchForm(assignees=assignees, work_order_ids=[])
    context = {
        "form": form,
        "tabs": tabs,
        "status": status,
        "page": page,
        "cards": cards,
        "can_dispatch": can_dispatch,
        "dispatch_form": dispatch_form,
        "error": error,
        "is_partial": _is_partial(request),
        "can_create": can_dispatch or bool(scope.trades),
    }
    template = "workorders/partials/board.html" if context["is_partial"] else "workorders/board.html"
    response = render(
        request,
        template,
        context,
        status=error.status if error else (422 if dispatch_form and dispatch_form.errors else 200),
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch the ticked work orders to one person: all of them, or none and the reason on the board."""
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES) and _can_dispatch_somewhere(scope))
    ids = [int(value) for value in request.POST.getlist("work_orders") if value.isdigit()]
    assignees = [(m.pk, m.name) for m in estates.staff_list_for_user(scope, is_active=True)]
    form = BulkDispatchForm(request.POST, assignees=assignees, work_order_ids=ids)
    back = reverse("workorders:board") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not form.is_valid():
        return _board_page(request, scope, dispatch_form=form)
    try:
        orders = services.work_order_bulk_dispatch(
            actor=request.user,
            work_order_ids=form.cleaned_data["work_orders"],
            assignee_id=form.cleaned_data["assignee"],
        )
    except ValidationFailed as error:
        for messages_ in error.errors.values():
            for message in messages_:
                form.add_error("assignee", message)
        return _board_page(request, scope, dispatch_form=form)
    except (Conflict, PermissionDenied, NotFound) as error:
        return _board_page(request, scope, dispatch_form=form, error=error)
    count = len(orders)
    messages.success(
        request,
        ngettext("%(count)d work order dispatched.", "%(count)d work orders dispatched.", count) % {"count": count},
    )
    return redirect(back)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Work orders assigned to the user's staff record, overdue first."""
    scope = _scope(request)
    now = timezone.now()
    staff = estates.staff_record_for_user(request.user)
    cards: list[dict[str, Any]] = []
    if staff is not None:
        queryset = _overdue_first(selectors.work_order_list_for_user(scope, assignee_id=staff.pk, is_open=True), now)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        cards = [_card(scope, order, now) for order in page.object_list]
    else:
        page = None
    template = "workorders/partials/task_list.html" if _is_partial(request) else "workorders/my_tasks.html"
    response = render(request, template, {"staff": staff, "cards": cards, "page": page})
    patch_vary_headers(response, ["HX-Request"])
    return response
