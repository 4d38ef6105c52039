"""Write side of work orders: submit, move through the state machine, rate, record return visits, escalate.

Submitting is in ``submit``, moves of the state machine in ``moves``, ratings, return visits and 12345 replies in
``feedback``, photos in ``attachments``, the escalation sweep in ``escalation``, SLA policies in ``sla_policies``;
the steps they share (events, deadlines, relations, manager notices, row locks) in ``common``.
"""

from haofuwu.workorders.services.attachments import work_order_add_photos
from haofuwu.workorders.services.common import project_managers_notify, recompute_deadlines
from haofuwu.workorders.services.escalation import SweepResult, _claim, escalation_sweep
from haofuwu.workorders.services.feedback import hotline_reply, return_visit_record, work_order_rate
from haofuwu.workorders.services.moves import CATEGORY_TRADES, work_order_bulk_dispatch, work_order_transition
from haofuwu.workorders.services.sla_policies import sla_policy_save
from haofuwu.workorders.services.submit import Location, work_order_submit

__all__ = [
    "CATEGORY_TRADES",
    "Location",
    "SweepResult",
    "_claim",
    "escalation_sweep",
    "hotline_reply",
    "project_managers_notify",
    "recompute_deadlines",
    "return_visit_record",
    "sla_policy_save",
    "work_order_add_photos",
    "work_order_bulk_dispatch",
    "work_order_rate",
    "work_order_submit",
    "work_order_transition",
]
