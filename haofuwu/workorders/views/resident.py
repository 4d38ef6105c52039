"""The resident's phone pages: their requests, reporting a problem, following and rating it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders import selectors, services
from haofuwu.workorders.choices import Action, Status
from haofuwu.workorders.forms import RatingForm, ReopenForm, ResidentReportForm
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.permissions import relations
from haofuwu.workorders.views.clocks import _card, _when
from haofuwu.workorders.views.common import _scope


def _household_units(scope: Scope) -> list[Any]:
    return list(
        estates.unit_list_for_user(scope).filter(pk__in=scope.household_unit_ids).select_related("building__project")
    )


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    """The household's requests, newest first, with a big button to report a problem."""
    scope = _scope(request)
    now = timezone.now()
    queryset = selectors.work_order_list_for_user(scope)
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    cards = [_card(scope, order, now) for order in page.object_list]
    for card in cards:
        card["promise"] = _promise(card["order"], card, now)
    can_report = bool(scope.household_unit_ids)
    return render(request, "workorders/resident_list.html", {"cards": cards, "page": page, "can_report": can_report})


@login_required
def resident_create(request: HttpRequest) -> HttpResponse:
    """Report a problem from a phone: what, how urgent, where, a description and photos."""
    scope = _scope(request)
    units = _household_units(scope)
    if not units:
        raise PermissionDenied(_("Your account is not linked to a household yet. Ask your property service desk."))
    form = ResidentReportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.work_order_submit(actor=request.user, **form.service_data())
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        else:
            messages.success(request, _("Thank you. We have your request %(number)s.") % {"number": order.number})
            return redirect("workorders:resident_detail", work_order_id=order.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "workorders/resident_create.html", {"form": form}, status=status)


def _promise(order: WorkOrder, summary: dict[str, Any], now: dt.datetime, *, hold_reason: str = "") -> dict[str, Any]:
    """What the resident may expect next, in plain words, and whether that promise is kept."""
    arrival, resolution, response = summary["arrival"], summary["resolution"], summary["response"]
    status = order.status
    if status == Status.ON_HOLD:
        text = _("Paused: %(reason)s") % {"reason": hold_reason} if hold_reason else _("Paused for now.")
        return {"state": "paused", "text": text}
    if status == Status.CANCELLED:
        return {"state": "stopped", "text": _("Cancelled.")}
    if status == Status.CLOSED:
        return {"state": "met", "text": _("Closed. Thank you for confirming.")}
    if status == Status.RESOLVED:
        return {
            "state": "met" if resolution["is_met"] is not False else "late",
            "text": _("Fixed at %(when)s. Please confirm, or reopen it if the problem is still there.")
            % {"when": _when(order.resolved_at, now)},
        }
    if status == Status.SUBMITTED and response["due_at"] is not None:
        late = now > response["due_at"]
        text = (
            _("The service desk should have answered by %(when)s; it has been passed on.")
            if late
            else _("The service desk will take it on by %(when)s.")
        )
        return {"state": "overdue" if late else "running", "text": text % {"when": _when(response["due_at"], now)}}
    if (
        arrival["due_at"] is not None
        and arrival["done_at"] is None
        and status
        in (
            Status.SUBMITTED,
            Status.ACCEPTED,
            Status.DISPATCHED,
        )
    ):
        late = now > arrival["due_at"]
        who = order.assignee.name if order.assignee else _("an engineer")
        text = (
            _("%(who)s should have been there by %(when)s.") if late else _("%(who)s will be there by %(when)s.")
        ) % {"who": who[:1].upper() + who[1:], "when": _when(arrival["due_at"], now)}
        return {"state": "overdue" if late else "running", "text": text}
    if resolution["due_at"] is not None:
        late = now > resolution["due_at"]
        text = _("It should have been fixed by %(when)s.") if late else _("It will be fixed by %(when)s.")
        return {"state": "overdue" if late else "running", "text": text % {"when": _when(resolution["due_at"], now)}}
    return {"state": "running", "text": _("We are on it.")}


def _open_hold_reason(order: WorkOrder) -> str:
    return next((hold.reason for hold in order.holds.all() if hold.ended_at is None), "")


RESIDENT_EVENT_TEXT = {
    "submit": gettext_lazy("You reported the problem."),
    "accept": gettext_lazy("The service desk took it on."),
    "dispatch": gettext_lazy("It was given to %(assignee)s."),
    "start": gettext_lazy("Work started on site."),
    "hold": gettext_lazy("Paused."),
    "resume": gettext_lazy("Work resumed."),
    "resolve": gettext_lazy("Fixed."),
    "close": gettext_lazy("Confirmed as fixed."),
    "reopen": gettext_lazy("Reopened."),
    "cancel": gettext_lazy("Cancelled."),
    "rate": gettext_lazy("Rated %(rating)s stars."),
    "return_visit": gettext_lazy("The service desk followed up with you."),
    "hotline_reply": gettext_lazy("The 12345 hotline was answered."),
    "escalate": gettext_lazy("Passed to the managers because it is late."),
    "photos": gettext_lazy("Photos were added."),
}


def _resident_timeline(order: WorkOrder) -> list[dict[str, Any]]:
    assignee = order.assignee.name if order.assignee else _("an engineer")
    timeline = []
    for event in order.events.all():
        template = RESIDENT_EVENT_TEXT.get(event.action)
        if template is None:
            continue
        text = str(template) % {"assignee": assignee, "rating": event.data.get("rating", "")}
        timeline.append({"event": event, "text": text})
    return timeline


def _resident_context(
    request: HttpRequest, scope: Scope, work_order_id: int, *, forms: dict[str, Any] | None = None, error: Any = None
) -> dict[str, Any]:
    now = timezone.now()
    order = selectors.work_order_detail(scope, work_order_id)
    summary = selectors.work_order_summary(scope, order, now)
    forms = forms or {}
    allowed = summary["allowed_actions"]
    is_resolved = order.status == Status.RESOLVED
    can_rate = "household" in relations(scope, order) and order.status in (Status.RESOLVED, Status.CLOSED)
    return {
        "order": order,
        "summary": summary,
        "promise": _promise(order, summary, now, hold_reason=_open_hold_reason(order)),
        "timeline": _resident_timeline(order),
        "photos": selectors.work_order_photos_for_user(scope, order),
        "can_close": is_resolved and Action.CLOSE in allowed,
        "reopen_form": forms.get("reopen") or (ReopenForm() if Action.REOPEN in allowed else None),
        "rating_form": forms.get("rate") or (RatingForm() if can_rate and order.rated_at is None else None),
        "can_cancel": Action.CANCEL in allowed,
        "error": error,
    }


@login_required
def resident_detail(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Follow a request: where it is, what was promised, and — once fixed — confirm, reopen or rate it."""
    scope = _scope(request)
    if request.method != "POST":
        return render(request, "workorders/resident_detail.html", _resident_context(request, scope, work_order_id))
    order = selectors.work_order_get_for_user(scope, work_order_id)
    intent = request.POST.get("intent", "")
    form: Any = None
    try:
        if intent == "close":
            services.work_order_transition(actor=request.user, work_order_id=order.pk, action=Action.CLOSE)
            done = _("Thank you for confirming.")
        elif intent == "reopen":
            form = ReopenForm(request.POST)
            if not form.is_valid():
                return _resident_failed(request, scope, order.pk, "reopen", form)
            services.work_order_transition(
                actor=request.user, work_order_id=order.pk, action=Action.REOPEN, note=form.cleaned_data["note"]
            )
            done = _("Reopened. We will come back to it.")
        elif intent == "rate":
            form = RatingForm(request.POST)
            if not form.is_valid():
                return _resident_failed(request, scope, order.pk, "rate", form)
            services.work_order_rate(
                actor=request.user,
                work_order_id=order.pk,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
            done = _("Thank you for your rating.")
        else:
            raise ValidationFailed({"intent": [_("Unknown action.")]})
    except NotFound:
        raise
    except ValidationFailed as error:
        if form is None:
            return _resident_failed(request, scope, order.pk, intent, None, error=error)
        form.add_service_errors(error.errors)
        return _resident_failed(request, scope, order.pk, intent, form)
    except DomainError as error:
        return _resident_failed(request, scope, order.pk, intent, None, error=error)
    messages.success(request, done)
    return redirect("workorders:resident_detail", work_order_id=order.pk)


def _resident_failed(
    request: HttpRequest, scope: Scope, work_order_id: int, key: str, form: Any, *, error: DomainError | None = None
) -> HttpResponse:
    context = _resident_context(request, scope, work_order_id, forms={key: form} if form else None, error=error)
    return render(request, "workorders/resident_detail.html", context, status=error.status if error else 422)
