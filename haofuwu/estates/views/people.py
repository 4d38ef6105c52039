"""Pages of residents and staff: lists, details, create and edit, and staff certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haofuwu.accounts.roles import CHANGE_STAFF, VIEW_PHONE, VIEW_RESIDENTS, VIEW_STAFF
from haofuwu.core.errors import ValidationFailed
from haofuwu.core.masking import mask_phone
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors, services
from haofuwu.estates.choices import VULNERABLE_TAGS
from haofuwu.estates.forms import (
    CertificateForm,
    ResidentFilterForm,
    ResidentForm,
    ServiceForm,
    StaffFilterForm,
    StaffForm,
    yes_no,
)
from haofuwu.estates.models import Staff
from haofuwu.estates.views.common import (
    NO_ACCESS,
    _can_change_staff,
    _can_create_staff,
    _can_write_project,
    _form_page,
    _list_page,
    _require,
    _resident_url,
    _scope,
    _staff_url,
    _unit_url,
    _url,
)

# Certificates expiring within this many days are flagged, the lead time to book a renewal course and exam.
CERTIFICATE_WARNING_DAYS = 60


# Lists


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
    return _list_page(
        request,
        "resident_list",
        queryset,
        form,
        {"vulnerable_tags": VULNERABLE_TAGS},
        row_builder=lambda resident: (resident, selectors.resident_personal_data(scope, resident)),
    )


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
