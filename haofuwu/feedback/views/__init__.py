"""Pages of the feedback app: staff (reception days, surveys, return visits) and residents (phone pages)."""

from haofuwu.feedback.views.reception import reception_day_detail, reception_day_list
from haofuwu.feedback.views.resident import (
    resident_reception_days,
    resident_survey_answer,
    resident_survey_results,
    resident_surveys,
)
from haofuwu.feedback.views.surveys import survey_detail, survey_list, survey_results
from haofuwu.feedback.views.visits import return_visit_list

__all__ = [
    "reception_day_detail",
    "reception_day_list",
    "resident_reception_days",
    "resident_survey_answer",
    "resident_survey_results",
    "resident_surveys",
    "return_visit_list",
    "survey_detail",
    "survey_list",
    "survey_results",
]
