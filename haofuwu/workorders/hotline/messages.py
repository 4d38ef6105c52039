"""Messages of the 12345 import (English source, translated when the report is made)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# Messages (English source, translated when the report is made).
NOT_ALLOWED = gettext_lazy(
    "Only a project manager, company administrator, customer service or platform administrator can import 12345 cases."
)
NO_HEADER_ROW = gettext_lazy(
    "No header row was found in the first %(rows)s rows. The columns are 工单编号, 受理时间, 诉求内容, 地址 and "
    "办结时限 (or case number, received at, content, address, deadline)."
)
MISSING_HEADERS = gettext_lazy("Required columns are missing: %(columns)s.")
NO_DATA_ROWS = gettext_lazy("The file has a header row but no data rows.")
TOO_MANY_DATA_ROWS = gettext_lazy("The file has %(count)s data rows; at most %(limit)s can be imported at once.")
UNKNOWN_COLUMN = gettext_lazy("Unknown column; it was ignored.")
REPEATED_COLUMN = gettext_lazy("This column appears twice; the second one was ignored.")
REQUIRED = gettext_lazy("%(column)s: this value is required.")
CASE_NUMBER_TOO_LONG = gettext_lazy("%(column)s: at most %(limit)s characters.")
NOT_A_DATETIME = gettext_lazy("%(column)s: “%(value)s” is not a date and time; write it as 2026-09-01 10:20.")
IN_THE_FUTURE = gettext_lazy("%(column)s: the time is in the future.")
DEADLINE_BEFORE_RECEIVED = gettext_lazy("%(column)s: the deadline is before the case was received.")
DUPLICATE_CASE = gettext_lazy("The same case number appears in rows %(rows)s.")
NO_PROJECT = gettext_lazy("No project of yours matches this address.")
SEVERAL_PROJECTS = gettext_lazy("The address matches several projects: %(projects)s.")
NOT_YOUR_PROJECT = gettext_lazy("%(project)s is not in your projects: you may not register its 12345 cases.")
ALREADY_REGISTERED = gettext_lazy("Already registered.")
CONTENT_CUT = gettext_lazy("The content was cut to %(limit)s characters.")
MATCHED_BY_CONTENT = gettext_lazy("The project was found in the content, not the address.")
ONLY_PROJECT = gettext_lazy("Only the project matched: the address names no building and room.")
NO_BUILDING = gettext_lazy("Only the project matched: it has no building %(building)s.")
NO_HOUSEHOLD = gettext_lazy("Only the building matched: it has no household %(household)s.")
SEVERAL_HOUSEHOLDS = gettext_lazy("Only the building matched: %(household)s is in several entrances; say which.")
