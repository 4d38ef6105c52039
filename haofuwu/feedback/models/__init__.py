"""Models of the feedback app: reception days (``reception``), surveys (``surveys``) and periodic household
visits (``visits``)."""

from haofuwu.feedback.models.reception import ReceptionBooking, ReceptionDay, ReceptionIssue, ReceptionSlot
from haofuwu.feedback.models.surveys import Answer, ContactAttempt, Question, Survey, SurveyResponse
from haofuwu.feedback.models.visits import PeriodicVisit

__all__ = [
    "Answer",
    "ContactAttempt",
    "PeriodicVisit",
    "Question",
    "ReceptionBooking",
    "ReceptionDay",
    "ReceptionIssue",
    "ReceptionSlot",
    "Survey",
    "SurveyResponse",
]
