"""Pages of the standard app."""

from haofuwu.standard.views.files import evidence_file
from haofuwu.standard.views.managers import manager_evaluations
from haofuwu.standard.views.rectifications import rectification_detail, rectification_list
from haofuwu.standard.views.resident import resident_score
from haofuwu.standard.views.scorecards import (
    company,
    home,
    indicator_detail,
    league,
    project_evaluate,
    project_scorecard,
)

__all__ = [
    "company",
    "evidence_file",
    "home",
    "indicator_detail",
    "league",
    "manager_evaluations",
    "project_evaluate",
    "project_scorecard",
    "rectification_detail",
    "rectification_list",
    "resident_score",
]
