"""Forms of the estates pages: list filters and the create/edit forms.

The forms only parse and validate input and render it; every write goes through ``estates.services`` and every
choice of organisation is drawn from a scoped selector, so a form can never offer an object outside the scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haofuwu.accounts.roles import Trade
from haofuwu.core.regions import District
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors
from haofuwu.estates.choices import CertificateKind, ProjectType, Relation, ResidentTag, UnitStatus
from haofuwu.estates.models import Building, Company, Project, Resident, Staff, Unit
from haofuwu.estates.services import (
    BUILDING_FIELDS,
    COMPANY_FIELDS,
    PROJECT_FIELDS,
    RESIDENT_FIELDS,
    STAFF_FIELDS,
    UNIT_FIELDS,
)

ANY = [("", _("Any"))]
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: str) -> bool | None:
    """The value of a Yes/No/Any filter: ``True``, ``False`` or ``None`` for no filter."""
    return {"yes": True, "no": False}.get(value or "")


class SearchInput(forms.TextInput):
    input_type = "search"


# Filters. Each is bound to request.GET; a field that does not validate is dropped from the filter and its message
# is shown beside it, so a hand-edited URL gives a page, never a server error.


class FilterForm(forms.Form):
    """Base of the list filters: ``filters()`` gives the cleaned values of the fields that validated."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=SearchInput)

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data)
        self.scope = scope

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def _project_choices(scope: Scope) -> Any:
    return selectors.project_list_for_user(scope).select_related(None).only("id", "name")


def _project_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("Any")
    )


class CompanyFilterForm(FilterForm):
    district = forms.ChoiceField(label=_("District"), choices=ANY + District.choices, required=False)


class ProjectFilterForm(FilterForm):
    district = forms.ChoiceField(label=_("District"), choices=ANY + District.choices, required=False)
    project_type = forms.ChoiceField(label=_("Type"), choices=ANY + ProjectType.choices, required=False)
    elevators = forms.ChoiceField(label=_("Elevators"), choices=YES_NO, required=False)


class BuildingFilterForm(FilterForm):
    project = _project_field()

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data, scope=scope)
        self.fields["project"].queryset = _project_choices(scope)


class UnitFilterForm(FilterForm):
    q = forms.CharField(label=_("Room"), required=False, max_length=20, widget=SearchInput)
    project = _project_field()
    status = forms.ChoiceField(label=_("Status"), choices=ANY + UnitStatus.choices, required=False)
    entrance = forms.CharField(label=_("Entrance"), required=False, max_length=10)

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data, scope=scope)
        self.fields["project"].queryset = _project_choices(scope)


class ResidentFilterForm(FilterForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=50, widget=SearchInput)
    project = _project_field()
    relation = forms.ChoiceField(label=_("Relation"), choices=ANY + Relation.choices, required=False)
    tag = forms.ChoiceField(label=_("Tag"), choices=ANY + ResidentTag.choices, required=False)
    vulnerable = forms.BooleanField(label=_("Vulnerable only"), required=False)

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data, scope=scope)
        self.fields["project"].queryset = _project_choices(scope)


class StaffFilterForm(FilterForm):
    project = _project_field()
    trade = forms.ChoiceField(label=_("Trade"), choices=ANY + Trade.choices, required=False)
    active = forms.ChoiceField(label=pgettext_lazy("employment", "Active"), choices=YES_NO, required=False)

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data, scope=scope)
        self.fields["project"].queryset = _project_choices(scope)


# Create and edit forms. ModelForms give labels, widgets and field validation from the model; the object they
# build is thrown away: the view hands ``service_data()`` to the service, which validates again and writes.


class DateInput(forms.DateInput):
    input_type = "date"


class ServiceForm(forms.ModelForm):
    """A ModelForm used for validation and rendering only."""

    service_fields: tuple[str, ...] = ()

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.service_fields if name in self.cleaned_data}

    def add_service_errors(self, errors: dict[str, list[str]], aliases: dict[str, str] | None = None) -> None:
        """Put a service's ``ValidationFailed.errors`` beside the matching fields (``__all__`` above the form)."""
        aliases = aliases or {}
        for name, messages in errors.items():
            field = aliases.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class CompanyForm(ServiceForm):
    service_fields = COMPANY_FIELDS

    class Meta:
        model = Company
        fields = COMPANY_FIELDS


class ProjectForm(ServiceForm):
    service_fields = PROJECT_FIELDS

    class Meta:
        model = Project
        fields = ("company", *PROJECT_FIELDS)
        widgets = {"handover_date": DateInput(), "delivery_date": DateInput()}

    def __init__(self, *args: Any, scope: Scope, is_create: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_create:
            # Only companies the user administers: a project manager cannot take on new projects.
            companies = selectors.company_list_for_user(scope)
            if not scope.is_platform_admin:
                companies = companies.filter(pk__in=scope.company_ids)
            self.fields["company"].queryset = companies
        else:
            del self.fields["company"]


class BuildingForm(ServiceForm):
    service_fields = BUILDING_FIELDS

    class Meta:
        model = Building
        fields = BUILDING_FIELDS


class UnitForm(ServiceForm):
    service_fields = UNIT_FIELDS

    class Meta:
        model = Unit
        fields = UNIT_FIELDS


class ResidentForm(ServiceForm):
    service_fields = RESIDENT_FIELDS

    tags = forms.MultipleChoiceField(
        label=_("Tags"), choices=ResidentTag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Resident
        fields = RESIDENT_FIELDS
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "moved_in_on": DateInput(),
            "note": forms.TextInput(),
        }

    def __init__(self, *args: Any, show_personal_data: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].max_length = 20
        self.fields["id_number"].max_length = 18
        if not show_personal_data:
            # Someone who may only see masked values must not see (or overwrite) them in a form either.
            del self.fields["phone"]
            del self.fields["id_number"]
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = [tagging.tag for tagging in self.instance.tags.all()]


class StaffForm(ServiceForm):
    service_fields = STAFF_FIELDS

    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The projects this person works at now."),
    )

    class Meta:
        model = Staff
        fields = ("company", *STAFF_FIELDS)
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"}), "hired_on": DateInput()}

    def __init__(self, *args: Any, scope: Scope, is_create: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].max_length = 20
        projects = selectors.project_list_for_user(scope)
        if not scope.is_platform_admin:
            projects = projects.filter(Q(company_id__in=scope.company_ids) | Q(pk__in=scope.managed_project_ids))
        if is_create:
            companies = selectors.company_list_for_user(scope)
            if not scope.is_platform_admin:
                managed_companies = Project.objects.filter(pk__in=scope.managed_project_ids).values("company_id")
                companies = companies.filter(Q(pk__in=scope.company_ids) | Q(pk__in=managed_companies))
            self.fields["company"].queryset = companies
        else:
            del self.fields["company"]
            projects = projects.filter(company_id=self.instance.company_id)
            if not self.is_bound:
                self.initial["projects"] = [
                    assignment.project_id for assignment in self.instance.assignments.all() if not assignment.ended_on
                ]
        self.fields["projects"].queryset = projects.order_by("name")


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("Number"), max_length=50, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())
