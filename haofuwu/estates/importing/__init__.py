"""Spreadsheet import of buildings, households and residents, with a row-level report.

Three layers, from pure to ORM:

1. **Row specs** (:data:`SPECS`, in ``specs``): the columns of each kind, Chinese and English headers, types and
   limits.
2. **Parsing** (:func:`parse_table`, in ``parsing``, converting cells with ``cells``): headers matched, every cell
   converted and checked, duplicate keys found — pure, on the rows :mod:`haofuwu.estates.spreadsheets` read, giving
   :class:`ParsedRow` values and row issues.
3. **The service** (:func:`estates_import`, in ``service``, planning with ``planning``): authorises, loads the
   project's existing rows once into dicts, plans creates and updates in memory, and writes them with
   ``bulk_create``/``bulk_update`` — a constant number of queries whatever the number of rows. A commit is
   all-or-nothing unless ``only_valid_rows`` is set.

Re-running a file updates instead of duplicating. Keys: a building by name; a household by (building, entrance,
room); a resident by household and then ID number, else phone, else exact name (see ``planning._match_resident``).
The messages are in ``messages``; the downloadable template and the error report in ``workbooks``.
"""

from haofuwu.estates.importing.cells import (
    CellError,
    convert,
    floor_from_room,
    id_number_check_character,
    id_number_problem,
    normalise_entrance,
    normalise_phone,
    normalise_room,
)
from haofuwu.estates.importing.messages import (
    ID_AS_NUMBER,
    ID_BIRTH_DATE,
    ID_CHARACTERS,
    ID_CHECK_DIGIT,
    ID_LENGTH,
    ID_OLD_FORMAT,
)
from haofuwu.estates.importing.parsing import ParsedRow, ParsedTable, RowIssue, mask_value, parse_table, row_key
from haofuwu.estates.importing.service import ImportResult, estates_import, result_from_run
from haofuwu.estates.importing.specs import (
    BUILDINGS,
    MAX_DATA_ROWS,
    RELATION_LABELS,
    RESIDENTS,
    SPECS,
    TAG_LABELS,
    UNIT_STATUS_LABELS,
    UNITS,
    Column,
    ColumnType,
    Spec,
)
from haofuwu.estates.importing.workbooks import error_report, import_template, template_file_name

__all__ = [
    "BUILDINGS",
    "ID_AS_NUMBER",
    "ID_BIRTH_DATE",
    "ID_CHARACTERS",
    "ID_CHECK_DIGIT",
    "ID_LENGTH",
    "ID_OLD_FORMAT",
    "MAX_DATA_ROWS",
    "RELATION_LABELS",
    "RESIDENTS",
    "SPECS",
    "TAG_LABELS",
    "UNITS",
    "UNIT_STATUS_LABELS",
    "CellError",
    "Column",
    "ColumnType",
    "ImportResult",
    "ParsedRow",
    "ParsedTable",
    "RowIssue",
    "Spec",
    "convert",
    "error_report",
    "estates_import",
    "floor_from_room",
    "id_number_check_character",
    "id_number_problem",
    "import_template",
    "mask_value",
    "normalise_entrance",
    "normalise_phone",
    "normalise_room",
    "parse_table",
    "result_from_run",
    "row_key",
    "template_file_name",
]
