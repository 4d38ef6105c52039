"""Write side of the standard app: evaluation, evidence, findings, rectification and manager evaluation."""

from haofuwu.standard.services.evaluation import (
    compute,
    current_scorecard,
    scorecard_evaluate_for_user,
    scorecards_evaluate,
)
from haofuwu.standard.services.evidence import evidence_review, evidence_upload, finding_record
from haofuwu.standard.services.managers import manager_assessment_set, manager_evaluation_run
from haofuwu.standard.services.rectification import (
    rectification_escalation_sweep,
    rectification_respond,
    rectification_review,
)

__all__ = [
    "compute",
    "current_scorecard",
    "evidence_review",
    "evidence_upload",
    "finding_record",
    "manager_assessment_set",
    "manager_evaluation_run",
    "rectification_escalation_sweep",
    "rectification_respond",
    "rectification_review",
    "scorecard_evaluate_for_user",
    "scorecards_evaluate",
]
