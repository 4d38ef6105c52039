"""Pages of work orders: the staff board, my tasks, the detail page with its actions, the staff report form, and the
resident's phone pages (their requests, reporting a problem, following and rating it).

Views only parse, authorise, call one selector or service and render. Reads go through the scoped selectors (an
object outside the scope is a 404), writes through the services, whose errors come back on the same page: field
errors beside the field (422), conflicts (409) and refusals (403) as a message above it.

The board and my tasks are in ``board``, the detail page and its actions in ``detail``, the staff report form in
``create``, the resident's pages in ``resident``; how clocks read in ``clocks`` and shared checks in ``common``.
"""

from haofuwu.workorders.views.board import board, bulk_dispatch, my_tasks
from haofuwu.workorders.views.clocks import clock_view
from haofuwu.workorders.views.create import create
from haofuwu.workorders.views.detail import detail, hotline_reply, photo, return_visit, transition
from haofuwu.workorders.views.resident import resident_create, resident_detail, resident_list

__all__ = [
    "board",
    "bulk_dispatch",
    "clock_view",
    "create",
    "detail",
    "hotline_reply",
    "my_tasks",
    "photo",
    "resident_create",
    "resident_detail",
    "resident_list",
    "return_visit",
    "transition",
]
