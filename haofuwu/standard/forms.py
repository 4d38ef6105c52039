"""Forms of the standard pages: evidence, findings, rectification answers and reviews."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("Evidence file (PDF or photo)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingForm(forms.Form):
    reason = forms.CharField(
        label=_("What the inspection found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    deduction = forms.FloatField(
        label=_("Points to deduct"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty for a deduction rule, which takes its own points per finding."),
    )


class RespondForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Evidence file (PDF or photo)"), required=False)


class RectificationReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept and close")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvaluateForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=10, help_text=_("2026, 2026Q3 or 2026-09"))
