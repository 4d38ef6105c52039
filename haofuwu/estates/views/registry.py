"""Pages of management companies and projects: lists, overviews, create and edit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from haofuwu.accounts.roles import CHANGE_ESTATES, VIEW_ESTATES, VIEW_RESIDENTS, VIEW_STAFF, Trade
from haofuwu.estates import selectors, services
from haofuwu.estates.choices import UnitStatus
from haofuwu.estates.forms import CompanyFilterForm, CompanyForm, ProjectFilterForm, ProjectForm, ServiceForm, yes_no
from haofuwu.estates.views.common import (
    NO_ACCESS,
    _can_create_project,
    _can_write_project,
    _form_page,
    _list_page,
    _project_url,
    _require,
    _scope,
    _url,
)

# Lists


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    form = CompanyFilterForm(request.GET, scope=scope)
    filters = form.filters()
    queryset = selectors.company_list_for_user(scope, search=filters.get("q", ""), district=filters.get("district", ""))
    return _list_page(request, "company_list", queryset, form)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    form = ProjectFilterForm(request.GET, scope=scope)
    filters = form.filters()
    queryset = selectors.project_list_for_user(
        scope,
        district=filters.get("district", ""),
        project_type=filters.get("project_type", ""),
        has_elevators=yes_no(filters.get("elevators", "")),
        search=filters.get("q", ""),
    )
    return _list_page(request, "project_list", queryset, form, {"can_create": _can_create_project(scope)})


# Details


@login_required
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    company = selectors.company_get_for_user(scope, company_id)
    projects = selectors.project_list_for_user(scope, company_id=company.pk)
    can_edit = scope.has(CHANGE_ESTATES) and scope.can_write_company(company.pk)
    return render(
        request, "estates/company_detail.html", {"company": company, "projects": projects, "can_edit": can_edit}
    )


@login_required
def company_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    """Change a company's registration data (its administrators and platform administrators)."""
    scope = _scope(request)
    company = selectors.company_get_for_user(scope, company_id)
    _require(scope.has(CHANGE_ESTATES) and scope.can_write_company(company.pk))
    form = CompanyForm(request.POST or None, instance=company)

    def save(form: ServiceForm) -> Model:
        return services.company_update(actor=request.user, company_id=company.pk, data=form.service_data())

    detail_url = reverse("estates:company_detail", args=[company.pk])
    context = {
        "title": _("Edit %(name)s") % {"name": company.name},
        "cancel_url": detail_url,
        "success_url": lambda saved: detail_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Changes saved."))


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's overview: key facts, registry counts with a chart, and its buildings."""
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    project = selectors.project_get_for_user(scope, project_id)
    overview = selectors.project_overview(scope, project)
    status_labels = dict(UnitStatus.choices)
    units_by_status = [
        {"name": str(status_labels.get(status, status)), "value": count}
        for status, count in sorted(overview.units_by_status.items(), key=lambda item: -item[1])
    ]
    trade_labels = dict(Trade.choices)
    staff_by_trade = [(trade_labels.get(trade, trade), count) for trade, count in overview.staff_by_trade.items()]
    context = {
        "project": project,
        "overview": overview,
        "units_by_status": units_by_status,
        "staff_by_trade": staff_by_trade,
        "staff_total": sum(count for _trade, count in staff_by_trade),
        "buildings": selectors.building_list_for_user(scope, project_id=project.pk),
        "can_edit": _can_write_project(scope, project),
        "can_view_residents": scope.has(VIEW_RESIDENTS),
        "can_view_staff": scope.has(VIEW_STAFF),
    }
    return render(request, "estates/project_detail.html", context)


# Create and edit


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(_can_create_project(scope))
    form = ProjectForm(request.POST or None, scope=scope, is_create=True)

    def save(form: ServiceForm) -> Model:
        company = form.cleaned_data["company"]
        return services.project_create(actor=request.user, company_id=company.pk, data=form.service_data())

    context = {"title": _("New project"), "cancel_url": _url("estates:project_list"), "success_url": _project_url}
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Project created."))


@login_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    scope = _scope(request)
    project = selectors.project_get_for_user(scope, project_id)
    _require(_can_write_project(scope, project))
    form = ProjectForm(request.POST or None, instance=project, scope=scope, is_create=False)

    def save(form: ServiceForm) -> Model:
        return services.project_update(actor=request.user, project_id=project.pk, data=form.service_data())

    context = {
        "title": _("Edit %(name)s") % {"name": project.name},
        "project": project,
        "cancel_url": _project_url(project),
        "success_url": _project_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Changes saved."))
