"""A streaming reader of .xlsx workbooks with limits, so that a small file cannot make the server build millions
of cells in memory.

A 272 KiB workbook holding one row of 2.5 million empty cells took openpyxl from 155 MiB to 2.3 GiB: its reader
builds each row whole, and the shared-string table whole, before anyone can count. This reader feeds the sheet's
XML to expat in chunks and keeps nothing but the current row (at most ``max_columns`` values) and the shared
strings, and it counts as it goes: cell elements in a row and in the sheet, row elements, shared strings and their
characters. Past a limit it stops with a message naming the row and column where it stopped. Document type
declarations (and so entity expansion) are refused outright; no real workbook has one.

Values come out as openpyxl's read-only mode with ``data_only=True`` gives them (the tests compare the two):
numbers as ``int`` or ``float``, date-formatted numbers as ``datetime`` (``timedelta`` for durations), booleans,
text from shared or inline strings (phonetic runs left out), the cached result of a formula, error codes as text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext_lazy

# Excel's own sheet limits (Excel specifications and limits): anything beyond is not a workbook Excel wrote.
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_ROWS = 1_048_576
# Cell elements read from one sheet, blank or not: a bound on work, since a styled blank costs as much to parse.
MAX_CELLS = 2_000_000
# The shared-string table must be held whole (cells point into it by number); these bound its memory.
MAX_SHARED_STRINGS = 300_000
MAX_SHARED_CHARACTERS = 10_000_000
MAX_CELL_CHARS = 32_767
# The workbook's small parts (workbook, relationships, styles) are read whole; more than this is not small.
MAX_PART_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024

TOO_MANY_ROW_CELLS = gettext_lazy(
    "Row %(row)s has more than %(limit)s cells (it reaches column %(column)s); no spreadsheet has rows that wide."
)
TOO_MANY_CELLS = gettext_lazy(
    "The sheet has more than %(limit)s cells (row %(row)s, column %(column)s); split it into smaller files."
)
BEYOND_LAST_ROW = gettext_lazy("Row %(row)s lies beyond the last row a spreadsheet can have.")
BEYOND_LAST_COLUMN = gettext_lazy("Row %(row)s has a cell beyond the last column a spreadsheet can have.")
TOO_MANY_SHARED_STRINGS = gettext_lazy(
    "The workbook holds more than %(limit)s different texts; split it into smaller files."
)
TOO_MUCH_SHARED_TEXT = gettext_lazy(
    "The workbook holds more than %(limit)s characters of text; split it into smaller files."
)
PART_TOO_LARGE = gettext_lazy("The workbook's %(part)s part is too large to be a spreadsheet we can read.")

_STRICT_DATE_1904 = {"1", "true", "on"}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)


class XlsxError(Exception):
    """The workbook breaks a limit or is damaged; ``message`` is for the person who uploaded it (``None`` when
    the file is simply damaged)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "damaged workbook")
        self.message = message


@dataclass(frozen=True)
class SheetRef:
    name: str
    path: str


@dataclass
class Workbook:
    """What the reader needs from a workbook before reading a sheet."""

    sheets: list[SheetRef]
    shared_strings_path: str | None
    styles_path: str | None
    epoch: dt.datetime = _EXCEL_EPOCH


def column_letters(index: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            break
    return index


def _local(name: str) -> str:
    # Names arrive as "namespace-uri local-name" (namespace_separator=" "); transitional and strict OOXML differ
    # only in the namespace, so the local name is what counts.
    return name.rpartition(" ")[2]


def _parser(
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse_doctype(*_args: Any) -> None:
        raise XlsxError()

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    if start is not None:
        parser.StartElementHandler = lambda name, attributes: start(
            _local(name), {_local(key): value for key, value in attributes.items()}
        )
    if end is not None:
        parser.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _feed(parser: expat.XMLParserType, stream: IO[bytes]) -> None:
    try:
        while chunk := stream.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise XlsxError() from None


def _small_part(archive: zipfile.ZipFile, path: str) -> bytes:
    try:
        info = archive.getinfo(path)
    except KeyError:
        raise XlsxError() from None
    if info.file_size > MAX_PART_BYTES:
        raise XlsxError(str(PART_TOO_LARGE) % {"part": posixpath.basename(path)})
    with archive.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise XlsxError(str(PART_TOO_LARGE) % {"part": posixpath.basename(path)})
    return data


def _parse_small(archive: zipfile.ZipFile, path: str, start: Callable[[str, dict[str, str]], None]) -> None:
    parser = _parser(start=start)
    try:
        parser.Parse(_small_part(archive, path), True)
    except expat.ExpatError:
        raise XlsxError() from None


def read_workbook(archive: zipfile.ZipFile) -> Workbook:
    """The worksheets in workbook order with their parts, the shared strings and styles parts, and the epoch."""
    relations: dict[str, tuple[str, str]] = {}

    def relation(name: str, attributes: dict[str, str]) -> None:
        if name == "Relationship" and "Id" in attributes:
            target = attributes.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            relations[attributes["Id"]] = (attributes.get("Type", "").rpartition("/")[2], path)

    _parse_small(archive, "xl/_rels/workbook.xml.rels", relation)
    sheets: list[SheetRef] = []
    workbook = Workbook(sheets=sheets, shared_strings_path=None, styles_path=None)

    def sheet(name: str, attributes: dict[str, str]) -> None:
        if name == "sheet":
            kind, path = relations.get(attributes.get("id", ""), ("", ""))
            if kind == "worksheet":
                sheets.append(SheetRef(attributes.get("name", ""), path))
        elif name == "workbookPr" and attributes.get("date1904", "").lower() in _STRICT_DATE_1904:
            workbook.epoch = _MAC_EPOCH

    _parse_small(archive, "xl/workbook.xml", sheet)
    for kind, path in relations.values():
        if kind == "sharedStrings":
            workbook.shared_strings_path = path
        elif kind == "styles":
            workbook.styles_path = path
    return workbook


def read_date_styles(archive: zipfile.ZipFile, path: str | None) -> tuple[set[int], set[int]]:
    """The cell style numbers whose number format is a date (and those that are durations), as openpyxl finds them."""
    if path is None or path not in archive.namelist():
        return set(), set()
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    custom: dict[int, str] = {}
    formats: list[int] = []
    depth = {"cellXfs": False}

    def start(name: str, attributes: dict[str, str]) -> None:
        if name == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(attributes.get("numFmtId", ""))] = attributes.get("formatCode", "")
        elif name == "cellXfs":
            depth["cellXfs"] = True
        elif name == "xf" and depth["cellXfs"]:
            try:
                formats.append(int(attributes.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    parser = _parser(start=start, end=lambda name: depth.update(cellXfs=False) if name == "cellXfs" else None)
    try:
        parser.Parse(_small_part(archive, path), True)
    except expat.ExpatError:
        raise XlsxError() from None
    dates, durations = set(), set()
    for index, number in enumerate(formats):
        code = custom.get(number, BUILTIN_FORMATS.get(number, "General"))
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def read_shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    """The shared-string table, refused past ``MAX_SHARED_STRINGS`` strings or ``MAX_SHARED_CHARACTERS``."""
    strings: list[str] = []
    if path is None or path not in archive.namelist():
        return strings
    state = {"in_text": False, "phonetic": 0, "total": 0}
    parts: list[str] = []
    length = [0]

    def start(name: str, attributes: dict[str, str]) -> None:
        if name == "si":
            parts.clear()
            length[0] = 0
        elif name == "rPh":
            state["phonetic"] += 1
        elif name == "t" and not state["phonetic"]:
            state["in_text"] = True

    def end(name: str) -> None:
        if name == "t":
            state["in_text"] = False
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == "si":
            if len(strings) >= MAX_SHARED_STRINGS:
                raise XlsxError(str(TOO_MANY_SHARED_STRINGS) % {"limit": f"{MAX_SHARED_STRINGS:,}"})
            strings.append("".join(parts))

    def text(data: str) -> None:
        if not state["in_text"]:
            return
        state["total"] += len(data)
        if state["total"] > MAX_SHARED_CHARACTERS:
            raise XlsxError(str(TOO_MUCH_SHARED_TEXT) % {"limit": f"{MAX_SHARED_CHARACTERS:,}"})
        room = MAX_CELL_CHARS - length[0]
        if room > 0:
            parts.append(data[:room])
            length[0] += min(len(data), room)

    with archive.open(path) as stream:
        _feed(_parser(start=start, end=end, text=text), stream)
    return strings


@dataclass
class _SheetState:
    row: int = 0
    column: int = 0
    row_cells: int = 0
    cells: int = 0
    rows_seen: int = 0
    cell_type: str = "n"
    cell_style: int = 0
    in_value: bool = False
    in_inline: bool = False
    phonetic: int = 0
    text: list[str] = field(default_factory=list)
    has_value: bool = False
    values: dict[int, Any] = field(default_factory=dict)


def iter_sheet_rows(
    archive: zipfile.ZipFile,
    workbook: Workbook,
    sheet: SheetRef,
    *,
    max_columns: int,
    convert: Callable[[Any], Any] = lambda value: value,
) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row number, values of columns 1…max_columns)`` for every row element of a sheet, in order; values
    beyond ``max_columns`` are dropped as they are read. Limits raise :class:`XlsxError` with the row and column."""
    shared = read_shared_strings(archive, workbook.shared_strings_path)
    dates, durations = read_date_styles(archive, workbook.styles_path)
    state = _SheetState()
    finished: list[tuple[int, list[Any]]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if name == "c":
            state.cells += 1
            state.row_cells += 1
            reference = attributes.get("r")
            state.column = _column_index(reference) if reference else state.column + 1
            if state.row_cells > EXCEL_MAX_COLUMNS:
                raise XlsxError(
                    str(TOO_MANY_ROW_CELLS)
                    % {"row": state.row, "limit": f"{EXCEL_MAX_COLUMNS:,}", "column": column_letters(state.column)}
                )
            if state.column > EXCEL_MAX_COLUMNS:
                raise XlsxError(str(BEYOND_LAST_COLUMN) % {"row": state.row})
            if state.cells > MAX_CELLS:
                raise XlsxError(
                    str(TOO_MANY_CELLS)
                    % {"limit": f"{MAX_CELLS:,}", "row": state.row, "column": column_letters(state.column)}
                )
            state.cell_type = attributes.get("t", "n")
            try:
                state.cell_style = int(attributes.get("s", "0"))
            except ValueError:
                state.cell_style = 0
            state.text.clear()
            state.has_value = False
        elif name == "row":
            state.rows_seen += 1
            reference = attributes.get("r")
            try:
                state.row = int(reference) if reference else state.row + 1
            except ValueError:
                raise XlsxError() from None
            if state.row > EXCEL_MAX_ROWS or state.rows_seen > EXCEL_MAX_ROWS:
                raise XlsxError(str(BEYOND_LAST_ROW) % {"row": state.row})
            state.column = 0
            state.row_cells = 0
            state.values = {}
        elif name == "v":
            state.in_value = True
            state.has_value = True
        elif name == "is":
            state.in_inline = True
            state.has_value = True
        elif name == "rPh":
            state.phonetic += 1

    def end(name: str) -> None:
        if name == "c":
            if state.has_value and state.column <= max_columns:
                state.values[state.column] = _cell_value(state, shared, dates, durations, workbook.epoch)
        elif name == "row":
            width = max(state.values, default=0)
            finished.append((state.row, [convert(state.values.get(index)) for index in range(1, width + 1)]))
        elif name == "v":
            state.in_value = False
        elif name == "is":
            state.in_inline = False
        elif name == "rPh":
            state.phonetic -= 1

    def text(data: str) -> None:
        is_text = state.in_value or (state.in_inline and not state.phonetic)
        # Text of a cell past the columns we keep is not gathered, and a cell's text stops at Excel's cell limit.
        if is_text and state.column <= max_columns and sum(len(part) for part in state.text) < MAX_CELL_CHARS:
            state.text.append(data)

    parser = _parser(start=start, end=end, text=text)
    try:
        stream = archive.open(sheet.path)
    except KeyError:
        raise XlsxError() from None
    with stream:
        try:
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
                yield from finished
                finished.clear()
            parser.Parse(b"", True)
        except expat.ExpatError:
            raise XlsxError() from None
    yield from finished


def _cell_value(state: _SheetState, shared: list[str], dates: set[int], durations: set[int], epoch: dt.datetime) -> Any:
    raw = "".join(state.text)[:MAX_CELL_CHARS]
    kind = state.cell_type
    if kind == "inlineStr":
        return raw
    if raw == "":
        return None
    if kind == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            raise XlsxError() from None
    if kind == "b":
        return raw.strip() not in ("0", "false", "")
    if kind in ("str", "e"):
        return raw
    if kind == "d":
        from openpyxl.utils.datetime import from_ISO8601

        try:
            return from_ISO8601(raw)
        except ValueError:
            return raw
    try:
        number: int | float = float(raw) if any(char in raw for char in ".eE") else int(raw)
    except ValueError:
        raise XlsxError() from None
    if state.cell_style in dates:
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, epoch, timedelta=state.cell_style in durations)
        except (OverflowError, ValueError):
            return "#VALUE!"
    return number
