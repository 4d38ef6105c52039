"""Pages of the estates registry: lists, overviews, create/edit forms and the resident's home page.

Views only parse, authorise, call one selector or service and render. Reads go through the scoped selectors (an
object outside the scope is a 404), writes through the services (which check the permission again). A list answers
an htmx request with the partial holding just its table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haofuwu.accounts.roles import (
    CHANGE_ESTATES,
    CHANGE_STAFF,
    VIEW_ESTATES,
    VIEW_PHONE,
    VIEW_RESIDENTS,
    VIEW_STAFF,
    Trade,
)
from haofuwu.core.errors import READ_ONLY, PermissionDenied, ValidationFailed
from haofuwu.core.masking import mask_phone
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors, services
from haofuwu.estates.choices import VULNERABLE_TAGS, UnitStatus
from haofuwu.estates.forms import (
    BuildingFilterForm,
    BuildingForm,
    CertificateForm,
    CompanyFilterForm,
    ProjectFilterForm,
    ProjectForm,
    ResidentFilterForm,
    ResidentForm,
    ServiceForm,
    StaffFilterForm,
    StaffForm,
    UnitFilterForm,
    UnitForm,
    yes_no,
)
from haofuwu.estates.models import Building, Project, Staff

NO_ACCESS = gettext_lazy("Your role does not give access to this page.")
PAGE_SIZE = 50
# Certificates expiring within this many days are flagged, the lead time to book a renewal course and exam.
CERTIFICATE_WARNING_DAYS = 60


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _require(allowed: bool, message: object = READ_ONLY) -> None:
    if not allowed:
        raise PermissionDenied(str(message))


def _can_write_project(scope: Scope, project: Project) -> bool:
    return scope.has(CHANGE_ESTATES) and scope.can_write_project(project.pk, project.company_id)


def _can_create_project(scope: Scope) -> bool:
    return scope.has(CHANGE_ESTATES) and (scope.is_platform_admin or bool(scope.company_ids))


def _can_change_staff(scope: Scope, staff: Staff) -> bool:
    # The same rule as the service: company administrators change all their staff, a project manager only staff
    # who work on the projects they manage.
    if not scope.has(CHANGE_STAFF):
        return False
    if scope.can_write_company(staff.company_id):
        return True
    current = {assignment.project_id for assignment in staff.assignments.all() if assignment.ended_on is None}
    return bool(current) and current <= scope.managed_project_ids


def _can_create_staff(scope: Scope) -> bool:
    return scope.has(CHANGE_STAFF) and (scope.is_platform_admin or bool(scope.company_ids or scope.managed_project_ids))


def _list_page(
    request: HttpRequest, name: str, queryset: QuerySet, form: Form, context: dict[str, Any] | None = None
) -> HttpResponse:
    """Render ``estates/<name>.html``, or for htmx just ``estates/partials/<name>.html``, with one page of rows."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    # htmx asks for the full page again when it restores history it has not cached.
    is_partial = bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")
    context = {"form": form, "page": page, "rows": page.object_list, "is_partial": is_partial, **(context or {})}
    row_builder = context.pop("row_builder", None)
    if row_builder is not None:
        context["rows"] = [row_builder(obj) for obj in page.object_list]
    template = f"estates/partials/{name}.html" if is_partial else f"estates/{name}.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _form_page(
    request: HttpRequest,
    form: ServiceForm,
    template: str,
    save: Callable[[ServiceForm], Model],
    context: dict[str, Any],
    *,
    success: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate the form, hand its data to a service, and show the service's errors beside the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationFailed as error:
            form.add_service_errors(error.errors, aliases)
        else:
            messages.success(request, success)
            return redirect(context["success_url"](obj))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


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


@login_required
def building_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    form = BuildingFilterForm(request.GET, scope=scope)
    filters = form.filters()
    project = filters.get("project")
    queryset = selectors.building_list_for_user(
        scope, project_id=project.pk if project else None, search=filters.get("q", "")
    )
    return _list_page(request, "building_list", queryset, form)


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    form = UnitFilterForm(request.GET, scope=scope)
    filters = form.filters()
    project = filters.get("project")
    queryset = selectors.unit_list_for_user(
        scope,
        project_id=project.pk if project else None,
        status=filters.get("status", ""),
        entrance=filters.get("entrance", ""),
        search=filters.get("q", ""),
    )
    return _list_page(request, "unit_list", queryset, form)


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_RESIDENTS), NO_ACCESS)
    form = ResidentFilterForm(request.GET, scope=scope)
    filters = form.filters()
    project = filters.get("project")
    queryset = selectors.resident_list_for_user(
        scope,
        project_id=project.pk if project else None,
        relation=filters.get("relation", ""),
        tag=filters.get("tag", ""),
        is_vulnerable=True if filters.get("vulnerable") else None,
        search=filters.get("q", ""),
    )
    context = {
        "row_builder": lambda resident: (resident, selectors.resident_personal_data(scope, resident)),
        "vulnerable_tags": VULNERABLE_TAGS,
    }
    return _list_page(request, "resident_list", queryset, form, context)


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_STAFF), NO_ACCESS)
    form = StaffFilterForm(request.GET, scope=scope)
    filters = form.filters()
    project = filters.get("project")
    queryset = selectors.staff_list_for_user(
        scope,
        project_id=project.pk if project else None,
        trade=filters.get("trade", ""),
        is_active=yes_no(filters.get("active", "")),
        search=filters.get("q", ""),
    ).prefetch_related("assignments__project")
    return _list_page(
        request, "staff_list", queryset, form, {**_certificate_dates(), "can_create": _can_create_staff(scope)}
    )


def _certificate_dates() -> dict[str, dt.date]:
    today = timezone.localdate()
    return {"today": today, "warning_date": today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS)}


# Details


@login_required
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    company = selectors.company_get_for_user(scope, company_id)
    projects = selectors.project_list_for_user(scope, company_id=company.pk)
    return render(request, "estates/company_detail.html", {"company": company, "projects": projects})


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


@login_required
def building_detail(request: HttpRequest, building_id: int) -> HttpResponse:
    """A building's households, grouped by entrance and then by floor, top floor first as on a notice board."""
    scope = _scope(request)
    _require(scope.has(VIEW_ESTATES), NO_ACCESS)
    building = selectors.building_get_for_user(scope, building_id)
    units = selectors.unit_list_for_user(scope, building_id=building.pk)
    entrances = []
    for entrance, entrance_units in groupby(units, key=lambda unit: unit.entrance):
        floors = [(floor, list(floor_units)) for floor, floor_units in groupby(entrance_units, lambda u: u.floor)]
        entrances.append((entrance, sorted(floors, key=lambda item: -item[0])))
    context = {
        "building": building,
        "entrances": entrances,
        "unit_total": sum(len(units) for _entrance, floors in entrances for _floor, units in floors),
        "can_edit": _can_write_project(scope, building.project),
        "statuses": UnitStatus.choices,
    }
    return render(request, "estates/building_detail.html", context)


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A household and its members; a resident may open their own household only."""
    scope = _scope(request)
    unit = selectors.unit_get_for_user(scope, unit_id)
    residents = selectors.resident_list_for_user(scope, unit_id=unit.pk)
    context = {
        "unit": unit,
        "members": [(resident, selectors.resident_personal_data(scope, resident)) for resident in residents],
        "can_edit": _can_write_project(scope, unit.building.project),
    }
    return render(request, "estates/unit_detail.html", context)


@login_required
def resident_detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    scope = _scope(request)
    resident = selectors.resident_get_for_user(scope, resident_id)
    context = {
        "resident": resident,
        "personal": selectors.resident_personal_data(scope, resident),
        "can_edit": _can_write_project(scope, resident.unit.building.project),
    }
    return render(request, "estates/resident_detail.html", context)


@login_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    scope = _scope(request)
    staff = selectors.staff_get_for_user(scope, staff_id)
    return render(request, "estates/staff_detail.html", _staff_context(scope, staff, CertificateForm()))


def _staff_context(scope: Scope, staff: Staff, certificate_form: CertificateForm) -> dict[str, Any]:
    can_edit = _can_change_staff(scope, staff)
    # As in the API: the full number for those who manage staff and may see phones, masked for everyone else.
    full_phone = scope.has(VIEW_PHONE) and scope.has(CHANGE_STAFF)
    return {
        "staff": staff,
        "phone": staff.phone if full_phone else mask_phone(staff.phone),
        "can_edit": can_edit,
        "certificate_form": certificate_form if can_edit else None,
        **_certificate_dates(),
    }


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


@login_required
def building_create(request: HttpRequest, project_id: int) -> HttpResponse:
    scope = _scope(request)
    project = selectors.project_get_for_user(scope, project_id)
    _require(_can_write_project(scope, project))
    form = BuildingForm(request.POST or None)

    def save(form: ServiceForm) -> Model:
        return services.building_create(actor=request.user, project_id=project.pk, data=form.service_data())

    context = {
        "title": _("New building in %(project)s") % {"project": project.name},
        "project": project,
        "cancel_url": _project_url(project),
        "success_url": _building_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Building added."))


@login_required
def building_edit(request: HttpRequest, building_id: int) -> HttpResponse:
    scope = _scope(request)
    building = selectors.building_get_for_user(scope, building_id)
    _require(_can_write_project(scope, building.project))
    form = BuildingForm(request.POST or None, instance=building)

    def save(form: ServiceForm) -> Model:
        return services.building_update(actor=request.user, building_id=building.pk, data=form.service_data())

    context = {
        "title": _("Edit %(name)s") % {"name": building.name},
        "project": building.project,
        "cancel_url": _building_url(building),
        "success_url": _building_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Changes saved."))


@login_required
def unit_create(request: HttpRequest, building_id: int) -> HttpResponse:
    scope = _scope(request)
    building = selectors.building_get_for_user(scope, building_id)
    _require(_can_write_project(scope, building.project))
    form = UnitForm(request.POST or None)

    def save(form: ServiceForm) -> Model:
        return services.unit_create(actor=request.user, building_id=building.pk, data=form.service_data())

    context = {
        "title": _("New household in %(building)s") % {"building": building.name},
        "project": building.project,
        "cancel_url": _building_url(building),
        "success_url": _unit_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Household added."))


@login_required
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = _scope(request)
    unit = selectors.unit_get_for_user(scope, unit_id)
    _require(_can_write_project(scope, unit.building.project))
    form = UnitForm(request.POST or None, instance=unit)

    def save(form: ServiceForm) -> Model:
        return services.unit_update(actor=request.user, unit_id=unit.pk, data=form.service_data())

    context = {
        "title": _("Edit household %(label)s") % {"label": unit.label},
        "project": unit.building.project,
        "cancel_url": _unit_url(unit),
        "success_url": _unit_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Changes saved."))


@login_required
def resident_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = _scope(request)
    unit = selectors.unit_get_for_user(scope, unit_id)
    _require(_can_write_project(scope, unit.building.project))
    form = ResidentForm(request.POST or None)

    def save(form: ServiceForm) -> Model:
        return services.resident_create(
            actor=request.user, unit_id=unit.pk, data=form.service_data(), tags=form.cleaned_data["tags"]
        )

    context = {
        "title": _("New resident in %(label)s") % {"label": unit.label},
        "project": unit.building.project,
        "cancel_url": _unit_url(unit),
        "success_url": _resident_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Resident added."))


@login_required
def resident_edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    scope = _scope(request)
    resident = selectors.resident_get_for_user(scope, resident_id)
    _require(_can_write_project(scope, resident.unit.building.project))
    personal = selectors.resident_personal_data(scope, resident)
    show_personal = not (personal.is_phone_masked or personal.is_id_number_masked)
    form = ResidentForm(request.POST or None, instance=resident, show_personal_data=show_personal)

    def save(form: ServiceForm) -> Model:
        return services.resident_update(
            actor=request.user, resident_id=resident.pk, data=form.service_data(), tags=form.cleaned_data["tags"]
        )

    context = {
        "title": _("Edit %(name)s") % {"name": resident.name},
        "project": resident.unit.building.project,
        "cancel_url": _resident_url(resident),
        "success_url": _resident_url,
    }
    return _form_page(request, form, "estates/form_page.html", save, context, success=_("Changes saved."))


STAFF_ALIASES = {"project_ids": "projects"}


@login_required
def staff_create(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(_can_create_staff(scope))
    form = StaffForm(request.POST or None, scope=scope, is_create=True)

    def save(form: ServiceForm) -> Model:
        return services.staff_create(
            actor=request.user,
            company_id=form.cleaned_data["company"].pk,
            data=form.service_data(),
            project_ids=[project.pk for project in form.cleaned_data["projects"]],
        )

    context = {"title": _("New staff member"), "cancel_url": _url("estates:staff_list"), "success_url": _staff_url}
    return _form_page(
        request,
        form,
        "estates/form_page.html",
        save,
        context,
        success=_("Staff member added."),
        aliases=STAFF_ALIASES,
    )


@login_required
def staff_edit(request: HttpRequest, staff_id: int) -> HttpResponse:
    scope = _scope(request)
    staff = selectors.staff_get_for_user(scope, staff_id)
    _require(_can_change_staff(scope, staff))
    form = StaffForm(request.POST or None, instance=staff, scope=scope, is_create=False)

    def save(form: ServiceForm) -> Model:
        return services.staff_update(
            actor=request.user,
            staff_id=staff.pk,
            data=form.service_data(),
            project_ids=[project.pk for project in form.cleaned_data["projects"]],
        )

    context = {
        "title": _("Edit %(name)s") % {"name": staff.name},
        "cancel_url": _staff_url(staff),
        "success_url": _staff_url,
    }
    return _form_page(
        request, form, "estates/form_page.html", save, context, success=_("Changes saved."), aliases=STAFF_ALIASES
    )


@login_required
@require_POST
def staff_certificate_add(request: HttpRequest, staff_id: int) -> HttpResponse:
    """Record a certificate from the form on the staff page; errors are shown on that page."""
    scope = _scope(request)
    staff = selectors.staff_get_for_user(scope, staff_id)
    _require(_can_change_staff(scope, staff))
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            services.staff_certificate_add(actor=request.user, staff_id=staff.pk, data=form.cleaned_data)
        except ValidationFailed as error:
            for name, field_messages in error.errors.items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Certificate recorded."))
            return redirect(_staff_url(staff))
    return render(request, "estates/staff_detail.html", _staff_context(scope, staff, form), status=422)


# The resident's own pages


@login_required
def resident_home(request: HttpRequest) -> HttpResponse:
    """A resident's phone home page: their household(s), its members and how to reach the service desk."""
    scope = _scope(request)
    units = list(
        selectors.unit_list_for_user(scope)
        .filter(pk__in=scope.household_unit_ids)
        .select_related("building__project__company")
    )
    members = selectors.resident_list_for_user(scope).filter(unit_id__in=[unit.pk for unit in units])
    by_unit: dict[int, list[Any]] = {}
    for resident in members:
        by_unit.setdefault(resident.unit_id, []).append((resident, selectors.resident_personal_data(scope, resident)))
    households = [{"unit": unit, "members": by_unit.get(unit.pk, [])} for unit in units]
    return render(request, "estates/resident_home.html", {"households": households})


# URLs of objects, for redirects after a save


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _project_url(project: Model) -> str:
    return _url("estates:project_detail", project.pk)


def _building_url(building: Building | Model) -> str:
    return _url("estates:building_detail", building.pk)


def _unit_url(unit: Model) -> str:
    return _url("estates:unit_detail", unit.pk)


def _resident_url(resident: Model) -> str:
    return _url("estates:resident_detail", resident.pk)


def _staff_url(staff: Model) -> str:
    return _url("estates:staff_detail", staff.pk)
