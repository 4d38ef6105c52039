"""Reading and writing spreadsheets: .xlsx through openpyxl and .csv in UTF-8 (with or without BOM) or GB18030.

Pure functions over bytes. Reading gives the non-empty rows of the first data sheet with their row numbers as the
spreadsheet shows them, cell values as openpyxl or the CSV reader produced them; the import decides what they mean.
Anything that is not a readable spreadsheet is one :class:`UnreadableSpreadsheet` with a message a user can act on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from haofuwu.core.errors import ValidationFailed
from haofuwu.estates import xlsx_reader

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Sheets of a workbook that hold instructions, not data (our templates put them second; users move them).
INSTRUCTION_SHEET_NAMES = frozenset({"说明", "填写说明", "instructions", "readme"})
# Wider than any of our row specs; a stray value far to the right must not make us read thousands of columns.
MAX_COLUMNS = 64
# Excel's own limit on a cell; longer text in a CSV is not something a person typed.
MAX_CELL_CHARS = 32_767

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)

EMPTY_FILE = gettext_lazy("The file is empty.")
NOT_A_SPREADSHEET = gettext_lazy("The file is not a spreadsheet. Upload an .xlsx workbook or a .csv file.")
LEGACY_XLS = gettext_lazy(
    "Old-style .xls workbooks cannot be read. Open the file in Excel or WPS and save it as .xlsx, then upload it again."
)
OTHER_ZIP = gettext_lazy("The file is a zip archive but not an Excel workbook (.xlsx). Upload an .xlsx or .csv file.")
DAMAGED_XLSX = gettext_lazy("The workbook could not be read; it may be damaged or password-protected.")
NO_DATA_SHEET = gettext_lazy("The workbook has no sheet with data.")
UNDECODABLE_CSV = gettext_lazy("The CSV file is neither UTF-8 nor GB18030 text. Save it again as “CSV UTF-8”.")
TOO_MANY_ROWS = gettext_lazy("The file has more than %(limit)s rows; split it into smaller files.")
FILE_TOO_LARGE = gettext_lazy("The file is larger than %(limit)s MB.")


class UnreadableSpreadsheet(ValidationFailed):
    """The uploaded bytes are not a spreadsheet we can read, or exceed a limit; one message for the ``file`` field."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": [str(message)]})


@dataclass(frozen=True)
class Table:
    """The non-empty rows of one sheet: ``(row number, cell values)``, numbered from 1 like the spreadsheet."""

    rows: list[tuple[int, list[Any]]]
    sheet_name: str = ""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(content: bytes, *, max_rows: int, max_bytes: int | None = None) -> Table:
    """Read the first data sheet of an .xlsx workbook or a CSV file; refuse anything else with one clear error.

    ``max_rows`` bounds the non-empty rows read (headers included), so a huge file stops early instead of filling
    memory; the caller adds room for its header rows.
    """
    if max_bytes is not None and len(content) > max_bytes:
        raise UnreadableSpreadsheet(str(FILE_TOO_LARGE) % {"limit": max_bytes // (1024 * 1024)})
    if not content or not content.strip():
        raise UnreadableSpreadsheet(str(EMPTY_FILE))
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content, max_rows=max_rows)
    if content.startswith(OLE2_MAGIC):
        raise UnreadableSpreadsheet(str(LEGACY_XLS))
    return _read_csv(content, max_rows=max_rows)


def _read_xlsx(content: bytes, *, max_rows: int) -> Table:
    # Streaming, with limits on cells, rows, columns and shared strings (see xlsx_reader): a crafted workbook is
    # refused at the row and column where it crosses a limit, before memory grows.
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableSpreadsheet(str(DAMAGED_XLSX)) from None
    with archive:
        if "xl/workbook.xml" not in set(archive.namelist()):
            # A .docx, .pptx, .ods or any other zip: say what it is not rather than fail deep inside the reader.
            raise UnreadableSpreadsheet(str(OTHER_ZIP))
        try:
            workbook = xlsx_reader.read_workbook(archive)
            sheets = [sheet for sheet in workbook.sheets if sheet.name.strip().lower() not in INSTRUCTION_SHEET_NAMES]
            if not sheets:
                raise UnreadableSpreadsheet(str(NO_DATA_SHEET))
            sheet = sheets[0]
            rows: list[tuple[int, list[Any]]] = []
            for number, cells in xlsx_reader.iter_sheet_rows(archive, workbook, sheet, max_columns=MAX_COLUMNS):
                if all(is_blank(value) for value in cells):
                    continue
                if len(rows) >= max_rows:
                    raise UnreadableSpreadsheet(str(TOO_MANY_ROWS) % {"limit": max_rows})
                rows.append((number, _trim(cells)))
        except xlsx_reader.XlsxError as error:
            raise UnreadableSpreadsheet(error.message or str(DAMAGED_XLSX)) from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError):
            # A damaged or encrypted member, or a compression method zipfile cannot read.
            raise UnreadableSpreadsheet(str(DAMAGED_XLSX)) from None
    return Table(rows=rows, sheet_name=sheet.name)


def decode_text(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 — what Chinese Excel and WPS write for “CSV (逗号分隔)”."""
    if b"\x00" in content:
        # UTF-16 text or a binary file; neither is a CSV a person saved from Excel.
        raise UnreadableSpreadsheet(str(NOT_A_SPREADSHEET))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        break
    raise UnreadableSpreadsheet(str(NOT_A_SPREADSHEET))


def _looks_like_text(text: str) -> bool:
    # GB18030 decodes almost any byte string; a text file has few control characters.
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t")
    return controls <= len(sample) // 100


def _read_csv(content: bytes, *, max_rows: int) -> Table:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    # The CSV reader builds a whole line's fields before we can drop those past MAX_COLUMNS: refuse a line with
    # more separators than a spreadsheet has columns first (a quoted separator counts too; no real file comes near).
    for number, line in enumerate(io.StringIO(text), start=1):
        if line.count(delimiter) >= xlsx_reader.EXCEL_MAX_COLUMNS:
            raise UnreadableSpreadsheet(
                str(xlsx_reader.TOO_MANY_ROW_CELLS)
                % {
                    "row": number,
                    "limit": f"{xlsx_reader.EXCEL_MAX_COLUMNS:,}",
                    "column": xlsx_reader.column_letters(xlsx_reader.EXCEL_MAX_COLUMNS + 1),
                }
            )
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            cells: list[Any] = [value[:MAX_CELL_CHARS] for value in values[:MAX_COLUMNS]]
            if all(is_blank(value) for value in cells):
                continue
            if len(rows) >= max_rows:
                raise UnreadableSpreadsheet(str(TOO_MANY_ROWS) % {"limit": max_rows})
            rows.append((reader.line_num, _trim(cells)))
    except csv.Error:
        raise UnreadableSpreadsheet(str(NOT_A_SPREADSHEET)) from None
    return Table(rows=rows)


def _trim(cells: list[Any]) -> list[Any]:
    while cells and is_blank(cells[-1]):
        cells.pop()
    return cells


# Writing


@dataclass
class Sheet:
    """One sheet to write: a title, header rows, data rows, and optional presentation."""

    title: str
    rows: Sequence[Sequence[Any]]
    header_rows: int = 1
    column_widths: Sequence[int] = ()
    # Column index (0-based) → the allowed values, offered as an in-cell drop-down list.
    choice_lists: dict[int, Sequence[str]] = field(default_factory=dict)
    # Column indexes whose cells are text even when they look like numbers (phone, ID number, room).
    text_columns: Iterable[int] = ()
    # Column index (0-based) → a note shown when the pointer rests on the first header cell of that column.
    header_notes: dict[int, str] = field(default_factory=dict)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: Any) -> Any:
    """Keep a cell from being read as a formula (CSV/formula injection, OWASP) when the file is opened."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with bold frozen headers, column widths, drop-down lists and text columns as asked."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        text_columns = set(spec.text_columns)
        for row_index, values in enumerate(spec.rows, start=1):
            for column_index, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_index, column=column_index)
                if isinstance(value, str):
                    # Assigning a str that starts with "=" would make openpyxl write a formula; force text.
                    cell.value = value
                    cell.data_type = "s"
                else:
                    cell.value = value
                    if isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
                if row_index <= spec.header_rows:
                    cell.font = bold
                    cell.fill = fill
                elif column_index - 1 in text_columns:
                    cell.number_format = "@"
        for index, note in spec.header_notes.items():
            comment = Comment(note, "haofuwu")
            comment.width, comment.height = 320, 120
            sheet.cell(row=1, column=index + 1).comment = comment
        for index, width in enumerate(spec.column_widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for index in text_columns:
            # Typed-in ID numbers keep all 18 digits only when the column is text before they are typed.
            sheet.column_dimensions[get_column_letter(index + 1)].number_format = "@"
        if spec.header_rows:
            sheet.freeze_panes = sheet.cell(row=spec.header_rows + 1, column=1)
        for index, choices in spec.choice_lists.items():
            letter = get_column_letter(index + 1)
            formula = '"' + ",".join(choices) + '"'
            # Excel limits an inline list to 255 characters; longer lists are documented on the instructions sheet.
            if len(formula) > 255:
                continue
            # A warning, not a stop: the English codes and a few synonyms are accepted too.
            validation = DataValidation(
                type="list", formula1=formula, allow_blank=True, showErrorMessage=True, errorStyle="warning"
            )
            validation.add(f"{letter}{spec.header_rows + 1}:{letter}{spec.header_rows + 20000}")
            sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM, which is what makes Excel on Windows open Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for values in rows:
        writer.writerow(["" if value is None else _safe_text(_csv_text(value)) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
