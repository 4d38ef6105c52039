"""Enumerations of the feedback app: reception days, surveys and periodic visits."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceptionDayStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Came")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_BOOKING_STATUSES = frozenset({BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW})


class IssueOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered on the spot")
    WORK_ORDER = "work_order", _("Work order raised")
    FOLLOW_UP = "follow_up", _("To follow up")


class ServiceLine(models.TextChoices):
    """The service lines surveys rate (research/standard.md §4.2, R-02 分项满意率)."""

    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    REPAIRS = "repairs", _("Repairs and maintenance")
    SECURITY = "security", _("Security")
    CLEANING = "cleaning", _("Cleaning")
    GREENING = "greening", _("Greening")
    FACILITIES = "facilities", _("Common facilities")
    FEE_TRANSPARENCY = "fee_transparency", _("Transparency of fees")


class QuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction (5 levels)")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    FREE_TEXT = "free_text", _("Free text")


class Level(models.IntegerChoices):
    """The 5-level verbal scale most surveys use (research/standard.md §4.3): 很满意 … 很不满意."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    HOME_VISIT = "home_visit", _("Home visit")
    MESSAGE = "message", _("Message")


class ContactOutcome(models.TextChoices):
    UNREACHABLE = "unreachable", _("Could not be reached")
    DECLINED = "declined", _("Declined to answer")
    WILL_ANSWER = "will_answer", _("Will answer later")


class PeriodicVisitOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNREACHABLE = "unreachable", _("Could not be reached")
