"""Enumerations of work orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    COMPLAINT = "complaint", _("Complaint")
    HELP = "help", _("Help request")
    ENQUIRY = "enquiry", _("Enquiry")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Category(models.TextChoices):
    WATER = "water", _("Water supply and drainage")
    ELECTRICITY = "electricity", _("Electricity")
    ELEVATOR = "elevator", _("Elevator")
    DOORS_WINDOWS = "doors_windows", _("Doors and windows")
    PUBLIC_AREA = "public_area", _("Public area")
    CLEANING = "cleaning", _("Cleaning")
    GREENING = "greening", _("Greening")
    SECURITY = "security", _("Security")
    NOISE = "noise", _("Noise")
    PARKING = "parking", _("Parking")
    DECORATION = "decoration", _("Decoration")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    APPOINTMENT = "appointment", _("By appointment")


class Channel(models.TextChoices):
    APP = "app", _("Resident app")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    RECEPTION_DAY = "reception_day", _("Reception day")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    PATROL = "patrol", _("Patrol or inspection")
    ALARM = "alarm", _("Alarm")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.ON_HOLD})
DONE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.CANCELLED})


class Action(models.TextChoices):
    """Transitions a person can ask for (``POST /work-orders/{id}/transitions``)."""

    ACCEPT = "accept", _("Accept")
    DISPATCH = "dispatch", _("Dispatch")
    START = "start", _("Start work")
    HOLD = "hold", _("Put on hold")
    RESUME = "resume", _("Resume")
    RESOLVE = "resolve", _("Resolve")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    CANCEL = "cancel", _("Cancel")


class VisitOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNREACHABLE = "unreachable", _("Could not be reached")


class VisitMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    HOME_VISIT = "home_visit", _("Home visit")
    MESSAGE = "message", _("Message")


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("None")
    WARNED = 1, _("Assignee warned")
    MANAGER = 2, _("Escalated to the project manager")
    COMPANY = 3, _("Escalated to the company")
