"""Write side of the feedback app: reception days (``reception``), surveys (``surveys``), periodic visits
(``visits``)."""

from haofuwu.feedback.services.reception import (
    SlotIn,
    reception_booking_cancel,
    reception_booking_create,
    reception_booking_mark,
    reception_day_publish,
    reception_day_record,
    reception_issue_close,
    reception_issue_record,
    reception_reminders_send,
    reception_schedule_publish,
    reception_walk_in_record,
)
from haofuwu.feedback.services.surveys import (
    AnswerIn,
    QuestionIn,
    default_questions,
    ip_digest,
    survey_contact_record,
    survey_create,
    survey_publish,
    survey_question_add,
    survey_response_submit,
)
from haofuwu.feedback.services.visits import periodic_visit_plan, periodic_visit_record

__all__ = [
    "AnswerIn",
    "QuestionIn",
    "SlotIn",
    "default_questions",
    "ip_digest",
    "periodic_visit_plan",
    "periodic_visit_record",
    "reception_booking_cancel",
    "reception_booking_create",
    "reception_booking_mark",
    "reception_day_publish",
    "reception_day_record",
    "reception_issue_close",
    "reception_issue_record",
    "reception_reminders_send",
    "reception_schedule_publish",
    "reception_walk_in_record",
    "survey_contact_record",
    "survey_create",
    "survey_publish",
    "survey_question_add",
    "survey_response_submit",
]
