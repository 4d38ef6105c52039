"""Forms of the energy pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class IngestKeyForm(forms.Form):
    name = forms.CharField(label=_("What the key is for"), max_length=100, required=False)


class ReadingsFileForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))
    dry_run = forms.BooleanField(label=_("Only check the file, write nothing"), required=False)


class AnomalyNoteForm(forms.Form):
    note = forms.CharField(label=_("What was found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        initial=30,
        required=False,
        choices=[(7, _("Last 7 days")), (30, _("Last 30 days")), (90, _("Last 90 days")), (365, _("Last year"))],
    )
