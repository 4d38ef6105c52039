"""The staff detail page of a work order and its actions: transitions, return visits, 12345 replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haofuwu.core import private_files
from haofuwu.core.errors import DomainError, NotFound, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.workorders import selectors, services
from haofuwu.workorders.choices import Action, Channel, Status
from haofuwu.workorders.forms import HotlineReplyForm, ReturnVisitForm, TransitionForm, staff_choices
from haofuwu.workorders.permissions import relations
from haofuwu.workorders.views.clocks import clock_view
from haofuwu.workorders.views.common import _scope

EVENT_LABELS = {
    "submit": gettext_lazy("Submitted"),
    "return_visit": gettext_lazy("Return visit"),
    "hotline_reply": gettext_lazy("Replied to 12345"),
    "rate": gettext_lazy("Rated"),
    "escalate": gettext_lazy("Escalated"),
    "photos": gettext_lazy("Photos added"),
}


def _event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    try:
        return str(Action(action).label)
    except ValueError:
        return action


def _clocks(summary: dict[str, Any], now: dt.datetime, status: str) -> list[dict[str, Any]]:
    names = [
        ("response", _("Response")),
        ("arrival", _("On site")),
        ("resolution", _("Resolution")),
    ]
    return [
        {
            "name": key,
            "title": title,
            "due_at": summary[key]["due_at"],
            "done_at": summary[key]["done_at"],
            **clock_view(summary[key], now, status=status),
        }
        for key, title in names
    ]


def _detail_context(
    scope: Scope,
    work_order_id: int,
    *,
    bound: dict[str, Any] | None = None,
    error: DomainError | None = None,
) -> dict[str, Any]:
    now = timezone.now()
    order = selectors.work_order_detail(scope, work_order_id)
    summary = selectors.work_order_summary(scope, order, now)
    mine = relations(scope, order)
    bound = bound or {}
    assignees = (
        staff_choices(scope, project_id=order.project_id, category=order.category, kind=order.kind)
        if Action.DISPATCH in summary["allowed_actions"]
        else []
    )
    action_forms = [
        bound.get(action) or TransitionForm(action=action, assignees=assignees) for action in summary["allowed_actions"]
    ]
    is_done = order.status in (Status.RESOLVED, Status.CLOSED)
    can_visit = is_done and bool(mine & {"manage", "service"})
    can_reply = order.channel == Channel.HOTLINE_12345 and bool(mine & {"manage", "service"})
    events = [
        {"event": event, "label": _event_label(event.action), "status_label": event.get_to_status_display()}
        for event in order.events.all()
    ]
    return {
        "order": order,
        "summary": summary,
        "clocks": _clocks(summary, now, order.status),
        "events": events,
        "photos": selectors.work_order_photos_for_user(scope, order),
        "holds": list(order.holds.all()),
        "return_visits": list(order.return_visits.all()),
        "action_forms": action_forms,
        "visit_form": bound.get("visit") or (ReturnVisitForm() if can_visit else None),
        "reply_form": bound.get("reply") or (HotlineReplyForm() if can_reply else None),
        "error": error,
    }


def _detail_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "workorders/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Everything about one work order, with one form per action the user may take now."""
    scope = _scope(request)
    if scope.is_resident_only:
        return redirect("workorders:resident_detail", work_order_id=work_order_id)
    return _detail_page(request, _detail_context(scope, work_order_id))


def _failed(
    request: HttpRequest, scope: Scope, work_order_id: int, key: str, form: Any, error: DomainError
) -> HttpResponse:
    """The detail page again after a refused write: field errors beside the form, other errors above the page."""
    if isinstance(error, NotFound):
        raise error
    if isinstance(error, ValidationFailed):
        form.add_service_errors(error.errors)
        context = _detail_context(scope, work_order_id, bound={key: form})
        return _detail_page(request, context, status=422)
    context = _detail_context(scope, work_order_id, error=error)
    return _detail_page(request, context, status=error.status)


@login_required
@require_POST
def transition(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Apply one action (``action`` in the form) and go back to the work order."""
    scope = _scope(request)
    order = selectors.work_order_get_for_user(scope, work_order_id)
    action = request.POST.get("action", "")
    if action not in Action.values:
        error = ValidationFailed({"action": [_("Unknown action.")]})
        return _detail_page(request, _detail_context(scope, order.pk, error=error), status=422)
    assignees = (
        staff_choices(scope, project_id=order.project_id, category=order.category, kind=order.kind)
        if action == Action.DISPATCH
        else []
    )
    form = TransitionForm(request.POST, request.FILES, action=action, assignees=assignees)
    if not form.is_valid():
        context = _detail_context(scope, order.pk, bound={action: form})
        return _detail_page(request, context, status=422)
    try:
        services.work_order_transition(actor=request.user, work_order_id=order.pk, **form.service_data())
    except DomainError as error:
        return _failed(request, scope, order.pk, action, form, error)
    messages.success(request, _("Done: %(action)s.") % {"action": form.label})
    return redirect("workorders:detail", work_order_id=order.pk)


@login_required
@require_POST
def return_visit(request: HttpRequest, work_order_id: int) -> HttpResponse:
    scope = _scope(request)
    order = selectors.work_order_get_for_user(scope, work_order_id)
    form = ReturnVisitForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, _detail_context(scope, order.pk, bound={"visit": form}), status=422)
    try:
        services.return_visit_record(actor=request.user, work_order_id=order.pk, **form.cleaned_data)
    except DomainError as error:
        return _failed(request, scope, order.pk, "visit", form, error)
    messages.success(request, _("Return visit recorded."))
    return redirect("workorders:detail", work_order_id=order.pk)


@login_required
@require_POST
def hotline_reply(request: HttpRequest, work_order_id: int) -> HttpResponse:
    scope = _scope(request)
    order = selectors.work_order_get_for_user(scope, work_order_id)
    form = HotlineReplyForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, _detail_context(scope, order.pk, bound={"reply": form}), status=422)
    try:
        services.hotline_reply(actor=request.user, work_order_id=order.pk, reply=form.cleaned_data["reply"])
    except DomainError as error:
        return _failed(request, scope, order.pk, "reply", form, error)
    messages.success(request, _("Reply to 12345 recorded."))
    return redirect("workorders:detail", work_order_id=order.pk)


@login_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponseBase:
    """One photo of a work order, for the project's property staff and the reporting household (404 otherwise)."""
    found = selectors.work_order_photo_get_for_user(_scope(request), photo_id)
    return private_files.file_response(found.image, download_name=f"work-order-{found.work_order_id}-photo-{found.pk}")
