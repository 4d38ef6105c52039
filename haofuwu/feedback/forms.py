"""Forms of the feedback pages. Forms only parse and render; every write goes through ``feedback.services``, which
validates again and whose errors are put back beside the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haofuwu.core.forms import ServiceErrorsMixin
from haofuwu.feedback.choices import (
    ContactMethod,
    ContactOutcome,
    Level,
    PeriodicVisitOutcome,
    QuestionKind,
    ServiceLine,
)
from haofuwu.feedback.models import Question
from haofuwu.feedback.schedule import SATURDAY
from haofuwu.workorders.choices import Category, Kind

ANY = [("", _("Any"))]
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
ORDINALS = [(1, _("First")), (2, _("Second")), (3, _("Third")), (4, _("Fourth")), (-1, _("Last"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class ProjectForm(ServiceErrorsMixin, forms.Form):
    """A form for one of the projects given as ``projects`` (those the user may publish for)."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)

    def __init__(self, *args: Any, projects: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = projects  # type: ignore[attr-defined]


class ReceptionDayForm(ProjectForm):
    """One reception day: its date, place and evenly cut time slots."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=100)
    starts_at = forms.TimeField(label=_("From"), initial=dt.time(9, 0), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Until"), initial=dt.time(11, 30), widget=TimeInput)
    slot_minutes = forms.IntegerField(label=_("Minutes per slot"), initial=30, min_value=10, max_value=240)
    capacity = forms.IntegerField(label=_("Residents per slot"), initial=5, min_value=1, max_value=500)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The day must end after it starts."))
        return data

    def slot_times(self) -> list[tuple[dt.time, dt.time]]:
        day = dt.date(2000, 1, 1)
        moment = dt.datetime.combine(day, self.cleaned_data["starts_at"])
        end = dt.datetime.combine(day, self.cleaned_data["ends_at"])
        step = dt.timedelta(minutes=self.cleaned_data["slot_minutes"])
        found = []
        while moment + step <= end and len(found) < 24:
            found.append((moment.time(), (moment + step).time()))
            moment += step
        return found


class ScheduleForm(ProjectForm):
    """The default schedule: the n-th weekday of each month for some months."""

    place = forms.CharField(label=_("Place"), max_length=100)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int, initial=SATURDAY)
    ordinal = forms.TypedChoiceField(label=_("Which one in the month"), choices=ORDINALS, coerce=int, initial=1)
    months = forms.IntegerField(label=_("Months ahead"), initial=6, min_value=1, max_value=24)


class WalkInForm(ServiceErrorsMixin, forms.Form):
    visitor_name = forms.CharField(label=_("Name"), max_length=50)
    unit = forms.TypedChoiceField(label=_("Household"), coerce=int, required=False, empty_value=None)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    aliases = {"unit_id": "unit"}

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]


class IssueForm(ServiceErrorsMixin, forms.Form):
    """An issue raised at the day: answered now, or a work order."""

    booking = forms.TypedChoiceField(label=_("Raised by"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("Issue"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(
        label=_("Answer given on the spot"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    create_work_order = forms.BooleanField(label=_("Raise a work order"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.REPAIR)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    aliases = {"booking_id": "booking"}

    def __init__(self, *args: Any, bookings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["booking"].choices = [("", "—"), *bookings]  # type: ignore[attr-defined]


class RecordDayForm(forms.Form):
    summary = forms.CharField(
        label=_("Record of the day"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseIssueForm(ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000)


class BookingForm(ServiceErrorsMixin, forms.Form):
    """A resident's booking: a slot and a topic."""

    slot = forms.TypedChoiceField(label=_("Time"), coerce=int, widget=forms.RadioSelect)
    topic = forms.CharField(
        label=_("What would you like to talk about?"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    aliases = {"slot_id": "slot"}

    def __init__(self, *args: Any, slots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots  # type: ignore[attr-defined]


class SurveyForm(ProjectForm):
    """A new survey with the default questionnaire (questions can be added while it is a draft)."""

    title = forms.CharField(label=_("Title"), max_length=100)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput)
    counts_basically_satisfied = forms.BooleanField(label=_("Count “basically satisfied” as satisfied"), required=False)
    coverage_target = forms.IntegerField(label=_("Coverage target (%)"), initial=70, min_value=0, max_value=100)
    use_default = forms.BooleanField(
        label=_("Start from the default questionnaire (one question per service line)"), required=False, initial=True
    )


class QuestionForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    service_line = forms.ChoiceField(label=_("Service line"), choices=ANY + ServiceLine.choices, required=False)
    options = forms.CharField(
        label=_("Options, one a line"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class PaperEntryForm(ServiceErrorsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Household"), coerce=int)
    aliases = {"unit_id": "unit"}

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class ContactForm(PaperEntryForm):
    method = forms.ChoiceField(label=_("Method"), choices=ContactMethod.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PeriodicVisitForm(ServiceErrorsMixin, forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=ContactMethod.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PeriodicVisitOutcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PlanVisitsForm(ProjectForm):
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)


class ReturnVisitFilterForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(
        label=_("After"),
        required=False,
        choices=[*ANY, ("repair", _("Repair")), ("complaint", _("Complaint")), ("periodic", _("Periodic visit"))],
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[*ANY, ("due", _("Not done")), ("done", _("Done"))]
    )

    def __init__(self, *args: Any, projects: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("Any")), *projects]  # type: ignore[attr-defined]


LEVEL_CHOICES = [(level.value, level.label) for level in Level]


class AnswerForm(ServiceErrorsMixin, forms.Form):
    """The questionnaire as a form: one field per question, named ``q<id>`` (the service's error keys)."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.scale_fields: set[str] = set()  # the 5-level questions, shown as a row of big buttons
        for question in questions:
            name = f"q{question.pk}"
            required = question.is_required
            field: forms.Field
            if question.kind == QuestionKind.SATISFACTION:
                field = forms.TypedChoiceField(
                    choices=LEVEL_CHOICES, coerce=int, widget=forms.RadioSelect, required=required, empty_value=None
                )
                self.scale_fields.add(name)
            elif question.kind == QuestionKind.SINGLE_CHOICE:
                field = forms.ChoiceField(
                    choices=[(o, o) for o in question.options], widget=forms.RadioSelect, required=required
                )
            elif question.kind == QuestionKind.MULTIPLE_CHOICE:
                field = forms.MultipleChoiceField(
                    choices=[(o, o) for o in question.options],
                    widget=forms.CheckboxSelectMultiple,
                    required=required,
                )
            else:
                field = forms.CharField(max_length=2000, required=required, widget=forms.Textarea(attrs={"rows": 3}))
            field.label = question.text
            self.fields[name] = field

    def answers(self) -> list[dict[str, Any]]:
        found = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == QuestionKind.SATISFACTION:
                found.append({"question_id": question.pk, "level": value})
            elif question.kind == QuestionKind.SINGLE_CHOICE:
                found.append({"question_id": question.pk, "choices": [value] if value else []})
            elif question.kind == QuestionKind.MULTIPLE_CHOICE:
                found.append({"question_id": question.pk, "choices": list(value or [])})
            else:
                found.append({"question_id": question.pk, "text": value or ""})
        return found
