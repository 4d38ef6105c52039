"""The staff form to record a request that came by phone, at the desk, on a patrol or from 12345."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from haofuwu.accounts.roles import VIEW_ESTATES
from haofuwu.core.errors import ValidationFailed
from haofuwu.workorders import services
from haofuwu.workorders.forms import StaffWorkOrderForm
from haofuwu.workorders.views.common import _can_dispatch_somewhere, _is_partial, _require, _scope


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
