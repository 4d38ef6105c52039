"""Forms of the work-order pages: the board's filters, the staff and resident report forms, the transition forms,
return visits, 12345 replies and ratings.

Forms only parse and render; every write goes through ``workorders.services``, which validates again. Choices of
projects, buildings, households and staff come from scoped selectors, so a form never offers what the user cannot
see.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haofuwu.core.forms import ServiceErrorsMixin
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders.choices import Action, Category, Channel, Kind, Urgency, VisitMethod, VisitOutcome
from haofuwu.workorders.services import CATEGORY_TRADES

ANY = [("", _("Any"))]
ACTIVE_STATUSES = ("submitted", "accepted", "dispatched", "in_progress", "on_hold", "resolved")
# Channels a member of staff records by hand; the app and alarms create their own work orders.
STAFF_CHANNELS = [
    (Channel.PHONE.value, Channel.PHONE.label),
    (Channel.WALK_IN.value, Channel.WALK_IN.label),
    (Channel.PATROL.value, Channel.PATROL.label),
    (Channel.HOTLINE_12345.value, Channel.HOTLINE_12345.label),
    (Channel.RECEPTION_DAY.value, Channel.RECEPTION_DAY.label),
]
# Actions whose form asks for a note, and whether it must be filled in (the service checks it again).
NOTE_REQUIRED = frozenset({Action.HOLD, Action.CANCEL, Action.RESOLVE, Action.REOPEN})
NOTE_OPTIONAL = frozenset({Action.ACCEPT, Action.DISPATCH, Action.START, Action.RESUME, Action.CLOSE})


class SearchInput(forms.TextInput):
    input_type = "search"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultiplePhotoInput(forms.ClearableFileInput):
    """A file input that takes several photos at once; on a phone it opens the camera."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None, *, camera: bool = False) -> None:
        base = {"multiple": True, "accept": "image/*"}
        if camera:
            base["capture"] = "environment"
        super().__init__({**base, **(attrs or {})})


class MultiplePhotoField(forms.FileField):
    """Collects the uploaded files as a list; their type and size are checked by the service."""

    def __init__(self, *args: Any, camera: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(camera=camera))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


# The staff board


class BoardFilterForm(forms.Form):
    """Filters of the board. A value that does not validate is dropped and its message shown beside the field."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=SearchInput)
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + Kind.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=ANY + Category.choices, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ANY + Urgency.choices, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=ANY + Channel.choices, required=False)
    assignee = forms.TypedChoiceField(label=_("Assignee"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    status = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data)
        projects = estates.project_list_for_user(scope).select_related(None).only("id", "name")
        self.fields["project"].choices = ANY + [(project.pk, project.name) for project in projects]
        staff = (
            estates.staff_list_for_user(scope, is_active=True)
            .select_related(None)
            .only("id", "name")
            .order_by("name", "id")
        )
        self.fields["assignee"].choices = ANY + [(member.pk, member.name) for member in staff]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}


def staff_choices(scope: Scope, *, project_id: int, category: str = "", kind: str = "") -> list[tuple[Any, str]]:
    """Active staff of a project for an assignee select, those of the trade the repair needs first."""
    staff = list(estates.staff_list_for_user(scope, project_id=project_id, is_active=True).order_by("name", "id"))
    trades = CATEGORY_TRADES.get(category) if kind in ("", Kind.REPAIR) else None
    if not trades:
        return [(member.pk, f"{member.name} · {member.get_trade_display()}") for member in staff]
    preferred = [member for member in staff if member.trade in trades or member.is_manager]
    others = [member for member in staff if member not in preferred]
    choices: list[tuple[Any, Any]] = []
    if preferred:
        choices.append(
            (_("Recommended for this work"), [(m.pk, f"{m.name} · {m.get_trade_display()}") for m in preferred])
        )
    if others:
        choices.append((_("Other staff"), [(m.pk, f"{m.name} · {m.get_trade_display()}") for m in others]))
    return choices


class BulkDispatchForm(forms.Form):
    work_orders = forms.TypedMultipleChoiceField(label=_("Work orders"), coerce=int, choices=())
    assignee = forms.TypedChoiceField(label=_("Dispatch to"), coerce=int, choices=())

    def __init__(self, data: Any = None, *, assignees: list[tuple[Any, str]], work_order_ids: list[int]) -> None:
        super().__init__(data)
        self.fields["assignee"].choices = [("", _("Choose a staff member")), *assignees]
        self.fields["work_orders"].choices = [(pk, str(pk)) for pk in work_order_ids]
        self.fields["work_orders"].error_messages["required"] = _("Tick the work orders to dispatch.")


# Creating work orders


class StaffWorkOrderForm(ServiceErrorsMixin, forms.Form):
    """A request that came by phone, at the desk, on a patrol or from the 12345 hotline."""

    aliases = {"project_id": "project", "building_id": "building", "unit_id": "unit"}

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS, initial=Channel.PHONE)
    building = forms.TypedChoiceField(label=_("Building"), coerce=int, required=False, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Household"), coerce=int, required=False, empty_value=None)
    public_area = forms.CharField(
        label=_("Public area"), max_length=100, required=False, help_text=_("For example: north gate, car park B1.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.REPAIR)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    appointment_start = forms.DateTimeField(label=_("Appointment from"), required=False, widget=DateTimeInput())
    appointment_end = forms.DateTimeField(label=_("Appointment until"), required=False, widget=DateTimeInput())
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    reporter_name = forms.CharField(label=_("Reporter name"), max_length=50, required=False)
    reporter_phone = forms.CharField(
        label=_("Reporter phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    hotline_case_number = forms.CharField(label=_("12345 case number"), max_length=40, required=False)
    hotline_deadline = forms.DateTimeField(label=_("12345 deadline"), required=False, widget=DateTimeInput())
    photos = MultiplePhotoField(label=_("Photos"))

    def __init__(self, *args: Any, scope: Scope, project_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = list(estates.project_list_for_user(scope).select_related(None).only("id", "name"))
        self.fields["project"].choices = [("", _("Choose a project"))] + [(p.pk, p.name) for p in projects]
        if project_id is None and len(projects) == 1:
            project_id = projects[0].pk
            self.initial.setdefault("project", project_id)
        buildings = estates.building_list_for_user(scope, project_id=project_id) if project_id else []
        self.fields["building"].choices = [("", "—")] + [(b.pk, b.name) for b in buildings]
        units = estates.unit_list_for_user(scope, project_id=project_id) if project_id else []
        self.fields["unit"].choices = [("", "—")] + [(u.pk, u.label) for u in units]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {
            "project_id": data["project"],
            "channel": data["channel"],
            "building_id": data["building"],
            "unit_id": data["unit"],
            "public_area": data["public_area"],
            "kind": data["kind"],
            "category": data["category"],
            "urgency": data["urgency"],
            "appointment_start": data["appointment_start"],
            "appointment_end": data["appointment_end"],
            "title": data["title"],
            "description": data["description"],
            "reporter_name": data["reporter_name"],
            "reporter_phone": data["reporter_phone"],
            "hotline_case_number": data["hotline_case_number"],
            "hotline_deadline": data["hotline_deadline"],
            "photos": data["photos"],
        }


RESIDENT_URGENCIES = [
    (Urgency.URGENT.value, _("Urgent — it cannot wait")),
    (Urgency.NORMAL.value, _("Normal")),
    (Urgency.APPOINTMENT.value, _("At a time I choose")),
]
WHERE_CHOICES = [("home", _("In my home")), ("public", _("In a public area"))]


class ResidentReportForm(ServiceErrorsMixin, forms.Form):
    """What a resident reports from their phone."""

    aliases = {"unit_id": "unit", "project_id": "unit", "title": "description"}

    kind = forms.ChoiceField(
        label=_("What is it?"), choices=Kind.choices, initial=Kind.REPAIR, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("About"), choices=Category.choices, initial=Category.WATER)
    urgency = forms.ChoiceField(
        label=_("How urgent?"), choices=RESIDENT_URGENCIES, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    appointment_start = forms.DateTimeField(label=_("Come from"), required=False, widget=DateTimeInput())
    appointment_end = forms.DateTimeField(label=_("Come until"), required=False, widget=DateTimeInput())
    where = forms.ChoiceField(label=_("Where?"), choices=WHERE_CHOICES, initial="home", widget=forms.RadioSelect)
    unit = forms.TypedChoiceField(label=_("My home"), coerce=int)
    public_area = forms.CharField(
        label=_("Which public area?"),
        max_length=100,
        required=False,
        help_text=_("For example: lift of building 3, north gate."),
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("What happened, since when, anything we should know.")}
        ),
    )
    photos = MultiplePhotoField(label=_("Photos"), camera=True, help_text=_("Up to 6 photos."))

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["unit"].choices = [(unit.pk, f"{unit.building.project.name} {unit.label}") for unit in units]
        if len(units) == 1:
            # One home: nothing to choose, so the field is neither shown nor required.
            self.initial.setdefault("unit", units[0].pk)
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].required = False
            self.fields["unit"].empty_value = units[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("where") == "public" and not (data.get("public_area") or "").strip():
            self.add_error("public_area", _("Say which public area."))
        if data.get("urgency") == Urgency.APPOINTMENT and not (
            data.get("appointment_start") and data.get("appointment_end")
        ):
            self.add_error("appointment_start", _("Choose when we may come."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        unit = self.units[data["unit"]]
        description = data["description"].strip()
        # Residents are not asked for a title: the first line of what they wrote serves as one.
        first_line = description.splitlines()[0] if description else ""
        title = first_line if len(first_line) <= 40 else first_line[:39] + "…"
        is_home = data["where"] == "home"
        is_appointment = data["urgency"] == Urgency.APPOINTMENT
        return {
            "project_id": unit.building.project_id,
            "unit_id": unit.pk if is_home else None,
            "public_area": "" if is_home else data["public_area"],
            "kind": data["kind"],
            "category": data["category"],
            "urgency": data["urgency"],
            "appointment_start": data["appointment_start"] if is_appointment else None,
            "appointment_end": data["appointment_end"] if is_appointment else None,
            "title": title,
            "description": description,
            "photos": data["photos"],
        }


# Acting on a work order


class TransitionForm(ServiceErrorsMixin, forms.Form):
    """One action of the state machine with the fields it needs; prefixed by the action so that several of them
    can sit on one page."""

    aliases = {"assignee_id": "assignee", "files": "photos"}

    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    materials = forms.CharField(label=_("Materials used"), max_length=500, required=False)
    photos = MultiplePhotoField(label=_("Photos of the result"))

    def __init__(self, *args: Any, action: str, assignees: list[tuple[Any, str]] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        if action == Action.DISPATCH:
            self.fields["assignee"].choices = [("", _("Choose a staff member")), *(assignees or [])]
        else:
            del self.fields["assignee"]
        if action in NOTE_REQUIRED:
            self.fields["note"].required = True
            if action == Action.RESOLVE:
                self.fields["note"].label = _("What was done")
            elif action == Action.REOPEN:
                self.fields["note"].label = _("What is still wrong")
            else:
                self.fields["note"].label = _("Reason")
        elif action in NOTE_OPTIONAL:
            self.fields["note"].required = False
        if action != Action.RESOLVE:
            del self.fields["materials"]
            del self.fields["photos"]

    @property
    def label(self) -> str:
        return str(Action(self.action).label)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "action": self.action,
            "assignee_id": data.get("assignee"),
            "note": data.get("note", ""),
            "materials": data.get("materials", ""),
            "photos": data.get("photos", []),
        }


class ReturnVisitForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VisitOutcome.choices)
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices, initial=VisitMethod.PHONE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HotlineReplyForm(ServiceErrorsMixin, forms.Form):
    reply = forms.CharField(
        label=_("Reply to the 12345 hotline"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(ServiceErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("What is still wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
