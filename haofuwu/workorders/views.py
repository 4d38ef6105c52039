"""Pages of work orders: the staff board, my tasks, the detail page with its actions, the staff report form, and the
resident's phone pages (their requests, reporting a problem, following and rating it).

Views only parse, authorise, call one selector or service and render. Reads go through the scoped selectors (an
object outside the scope is a 404), writes through the services, whose errors come back on the same page: field
errors beside the field (422), conflicts (409) and refusals (403) as a message above it.
"""

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
from django.utils.formats import date_format
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haofuwu.accounts.roles import VIEW_ESTATES
from haofuwu.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders import selectors, services
from haofuwu.workorders.choices import OPEN_STATUSES, Action, Channel, Status
from haofuwu.workorders.forms import (
    ACTIVE_STATUSES,
    BoardFilterForm,
    BulkDispatchForm,
    HotlineReplyForm,
    RatingForm,
    ReopenForm,
    ResidentReportForm,
    ReturnVisitForm,
    StaffWorkOrderForm,
    TransitionForm,
    staff_choices,
)
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.permissions import relations

NO_ACCESS = gettext_lazy("Your role does not give access to this page.")
PAGE_SIZE = 50
# Statuses that count for the board's "due" clock: on hold the clock is stopped and shown as paused.
RUNNING_STATUSES = OPEN_STATUSES - {Status.ON_HOLD}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _require(allowed: bool, message: object = NO_ACCESS) -> None:
    if not allowed:
        raise PermissionDenied(str(message))


def _is_partial(request: HttpRequest) -> bool:
    # htmx asks for the full page again when it restores history it has not cached.
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _can_dispatch_somewhere(scope: Scope) -> bool:
    return (
        scope.is_platform_admin
        or bool(scope.company_ids or scope.managed_project_ids)
        or "customer_service" in scope.trades
    )


# How clocks read


def _when(moment: dt.datetime | None, now: dt.datetime) -> str:
    """A time as people say it: just the time today, the date and time otherwise."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if local.date() == timezone.localtime(now).date():
        return date_format(local, "H:i")
    return date_format(local, "n/j H:i")


def clock_view(clock: dict[str, Any], now: dt.datetime, *, status: str) -> dict[str, Any]:
    """One SLA clock of ``work_order_summary`` as the pages show it: a state (met, late, overdue, running, paused,
    none) with a class for its colour and a short text."""
    due, done = clock["due_at"], clock["done_at"]
    if done is not None:
        if due is None or clock["is_met"]:
            return {
                "state": "met",
                "css": "ok",
                "label": _("met"),
                "text": _("done %(when)s") % {"when": _when(done, now)},
            }
        return {
            "state": "late",
            "css": "alert",
            "label": _("late"),
            "text": _("done %(late)s late") % {"late": timesince(due, done, depth=1)},
        }
    if status == Status.ON_HOLD:
        return {"state": "paused", "css": "care", "label": _("paused"), "text": _("paused")}
    if due is None:
        return {"state": "none", "css": "", "label": _("no deadline"), "text": "—"}
    if status not in OPEN_STATUSES:
        return {"state": "stopped", "css": "", "label": _("stopped"), "text": _when(due, now)}
    if clock["is_overdue"] or now > due:
        return {
            "state": "overdue",
            "css": "alert",
            "label": _("overdue"),
            "text": _("overdue by %(span)s") % {"span": timesince(due, now, depth=1)},
        }
    return {
        "state": "running",
        "css": "",
        "label": _("running"),
        "text": _("due in %(span)s") % {"span": timeuntil(due, now, depth=1)},
    }


def _card(scope: Scope, order: WorkOrder, now: dt.datetime) -> dict[str, Any]:
    summary = selectors.work_order_summary(scope, order, now)
    summary["order"] = order
    summary["clock"] = clock_view(summary["resolution"], now, status=order.status)
    summary["due_text"] = _when(summary["resolution"]["due_at"], now)
    return summary


def _overdue_first(queryset: QuerySet[WorkOrder], now: dt.datetime) -> QuerySet[WorkOrder]:
    late = Case(
        When(Q(status__in=RUNNING_STATUSES, resolution_due_at__lt=now), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.annotate(is_late=late).order_by("-is_late", "-submitted_at", "-id")


# The staff board


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
        "can_create": _can_dispatch_somewhere(scope) or bool(scope.trades),
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
    messages.success(request, _("%(count)d work orders dispatched.") % {"count": len(orders)})
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


# Detail and actions


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
    request: HttpRequest,
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
        "photos": list(order.photos.all()),
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
    return _detail_page(request, _detail_context(request, scope, work_order_id))


def _failed(
    request: HttpRequest, scope: Scope, work_order_id: int, key: str, form: Any, error: DomainError
) -> HttpResponse:
    """The detail page again after a refused write: field errors beside the form, other errors above the page."""
    if isinstance(error, NotFound):
        raise error
    if isinstance(error, ValidationFailed):
        form.add_service_errors(error.errors)
        context = _detail_context(request, scope, work_order_id, bound={key: form})
        return _detail_page(request, context, status=422)
    context = _detail_context(request, scope, work_order_id, error=error)
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
        return _detail_page(request, _detail_context(request, scope, order.pk, error=error), status=422)
    assignees = (
        staff_choices(scope, project_id=order.project_id, category=order.category, kind=order.kind)
        if action == Action.DISPATCH
        else []
    )
    form = TransitionForm(request.POST, request.FILES, action=action, assignees=assignees)
    if not form.is_valid():
        context = _detail_context(request, scope, order.pk, bound={action: form})
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
        return _detail_page(request, _detail_context(request, scope, order.pk, bound={"visit": form}), status=422)
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
        return _detail_page(request, _detail_context(request, scope, order.pk, bound={"reply": form}), status=422)
    try:
        services.hotline_reply(actor=request.user, work_order_id=order.pk, reply=form.cleaned_data["reply"])
    except DomainError as error:
        return _failed(request, scope, order.pk, "reply", form, error)
    messages.success(request, _("Reply to 12345 recorded."))
    return redirect("workorders:detail", work_order_id=order.pk)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Staff record a request that came by phone, at the desk, on a patrol or from the 12345 hotline."""
    scope = _scope(request)
    _require(
        scope.has(VIEW_ESTATES)
        and not scope.is_resident_only
        and (_can_dispatch_somewhere(scope) or bool(scope.trades))
    )
    data = request.POST if request.method == "POST" else None
    raw_project = (data or request.GET).get("project", "")
    project_id = int(raw_project) if raw_project.isdigit() else None
    # Choosing a project reloads the form with what was typed so far (GET), to offer that project's places.
    initial = (
        {key: value for key, value in request.GET.items() if key != "csrfmiddlewaretoken"} if data is None else None
    )
    form = StaffWorkOrderForm(data, request.FILES or None, scope=scope, project_id=project_id, initial=initial)
    if data is not None and form.is_valid():
        try:
            order = services.work_order_submit(actor=request.user, **form.service_data())
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        else:
            messages.success(request, _("Work order %(number)s registered.") % {"number": order.number})
            return redirect("workorders:detail", work_order_id=order.pk)
    status = 422 if form.is_bound and form.errors else 200
    template = "workorders/partials/create_form.html" if _is_partial(request) else "workorders/create.html"
    return render(request, template, {"form": form}, status=status)


# The resident's phone pages


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
        "photos": list(order.photos.all()),
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
