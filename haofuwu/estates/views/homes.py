"""Pages of buildings and households: lists, overviews, create and edit."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haofuwu.accounts.roles import VIEW_ESTATES
from haofuwu.estates import selectors, services
from haofuwu.estates.choices import UnitStatus
from haofuwu.estates.forms import BuildingFilterForm, BuildingForm, ServiceForm, UnitFilterForm, UnitForm
from haofuwu.estates.views.common import (
    NO_ACCESS,
    _building_url,
    _can_write_project,
    _form_page,
    _list_page,
    _project_url,
    _require,
    _scope,
    _unit_url,
)

# Lists


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


# Details


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


# Create and edit


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
