"""Import of 12345 hotline cases (12345工单) from the city's export, as work orders of the matched projects.

Three layers, from pure to ORM, like the estates import (``haofuwu.estates.importing``):

1. **Parsing** (:func:`parse_cases`, in ``parsing``): header matched (Chinese or English), cells converted — case
   number, received at, content, address, deadline — pure, on the rows :mod:`haofuwu.estates.spreadsheets` read.
2. **Matching** (:func:`match_project`, :func:`parse_household`, :func:`match_household`, in ``matching``): which
   project the address names (by name, then address, then community), then which building and household
   (``3号楼2单元301``, ``3-2-301``, ``3栋301``) — pure, on plain :class:`ProjectRef`/:class:`UnitRef` values.
3. **The service** (:func:`hotline_import`, in ``service``): authorises, loads the actor's projects, households and
   the case numbers already registered once each, plans every row, and on commit registers each case through
   ``services.work_order_submit`` (channel 12345, so the 5-working-day rule of P-25 applies unless the sheet's
   deadline is earlier). A dry run writes nothing; a commit writes every row or none unless ``only_valid_rows``.
   A case number already registered is reported as "exists", not as an error, so re-running a file is harmless.

The messages are in ``messages``.
"""

from haofuwu.workorders.hotline.matching import (
    HouseholdAddress,
    HouseholdMatch,
    ProjectMatch,
    ProjectRef,
    UnitRef,
    match_household,
    match_project,
    parse_household,
)
from haofuwu.workorders.hotline.parsing import (
    COLUMNS,
    MAX_DATA_ROWS,
    CaseRow,
    CellError,
    Column,
    ParsedCases,
    guess_category,
    guess_kind,
    make_title,
    parse_cases,
    parse_datetime,
)
from haofuwu.workorders.hotline.service import (
    HotlineImportResult,
    ReportRow,
    RowStatus,
    hotline_import,
    may_register,
)

__all__ = [
    "COLUMNS",
    "MAX_DATA_ROWS",
    "CaseRow",
    "CellError",
    "Column",
    "HotlineImportResult",
    "HouseholdAddress",
    "HouseholdMatch",
    "ParsedCases",
    "ProjectMatch",
    "ProjectRef",
    "ReportRow",
    "RowStatus",
    "UnitRef",
    "guess_category",
    "guess_kind",
    "hotline_import",
    "make_title",
    "match_household",
    "match_project",
    "may_register",
    "parse_cases",
    "parse_datetime",
    "parse_household",
]
