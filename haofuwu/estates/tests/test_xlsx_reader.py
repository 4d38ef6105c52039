"""The streaming .xlsx reader: the same values as openpyxl on ordinary workbooks, and crafted workbooks refused at
the row and column where they cross a limit, before memory grows."""

from __future__ import annotations

import datetime as dt
import io
import random
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from haofuwu.estates import xlsx_reader
from haofuwu.estates.spreadsheets import MAX_COLUMNS, UnreadableSpreadsheet, is_blank, read_table


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(sheet_xml: bytes, *, shared_strings: bytes | None = None) -> bytes:
    """An openpyxl workbook whose first sheet (and optionally shared strings) is replaced by crafted XML."""
    workbook = Workbook()
    workbook.active["A1"] = "x"
    source = zipfile.ZipFile(io.BytesIO(_workbook_bytes(workbook)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            elif item.filename == "xl/_rels/workbook.xml.rels" and shared_strings is not None:
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org'
                    b'/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
                )
            archive.writestr(item.filename, data)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


SHEET_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_CLOSE = b"</sheetData></worksheet>"


def refusal(content: bytes) -> str:
    with pytest.raises(UnreadableSpreadsheet) as caught:
        read_table(content, max_rows=20_000)
    return caught.value.message


def test_one_row_of_two_and_a_half_million_cells_is_refused_at_its_row_and_column_without_growing_memory():
    # What the review reproduced: a 272 KiB workbook with one row of 2.5 million cells took openpyxl to 2.3 GiB.
    crafted = with_sheet_xml(SHEET_OPEN + b'<row r="1">' + b"<c/>" * 2_500_000 + b"</row>" + SHEET_CLOSE)
    assert len(crafted) < 300 * 1024
    tracemalloc.start()
    try:
        message = refusal(crafted)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == ("Row 1 has more than 16,384 cells (it reaches column XFE); no spreadsheet has rows that wide.")
    assert peak < 16 * 1024 * 1024  # openpyxl needed about 870 bytes a cell, 2 GiB here


def test_the_sheets_cell_budget_names_where_it_ran_out(monkeypatch):
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 1000)
    rows = b"".join(b'<row r="%d">' % n + b"<c><v>1</v></c>" * 10 + b"</row>" for n in range(1, 201))
    message = refusal(with_sheet_xml(SHEET_OPEN + rows + SHEET_CLOSE))
    assert message == "The sheet has more than 1,000 cells (row 101, column A); split it into smaller files."


def test_rows_beyond_the_last_row_and_cells_beyond_the_last_column_are_refused():
    far_row = SHEET_OPEN + b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>' + SHEET_CLOSE
    assert refusal(with_sheet_xml(far_row)) == "Row 1048577 lies beyond the last row a spreadsheet can have."
    far_column = SHEET_OPEN + b'<row r="3"><c r="XFE3"><v>1</v></c></row>' + SHEET_CLOSE
    assert refusal(with_sheet_xml(far_column)) == "Row 3 has a cell beyond the last column a spreadsheet can have."


def test_the_shared_string_table_is_bounded_in_count_and_characters(monkeypatch):
    sheet = SHEET_OPEN + b'<row r="1"><c t="s"><v>0</v></c></row>' + SHEET_CLOSE
    table = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>'
    many = table % (b"<si><t>ab</t></si>" * 101)
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 100)
    assert "more than 100 different texts" in refusal(with_sheet_xml(sheet, shared_strings=many))
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 1000)
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_CHARACTERS", 150)
    assert "more than 150 characters of text" in refusal(with_sheet_xml(sheet, shared_strings=many))


def test_entity_declarations_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        + SHEET_OPEN
        + b'<row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        + SHEET_CLOSE
    )
    assert "could not be read" in refusal(with_sheet_xml(bomb))


def test_cells_past_the_columns_we_read_are_dropped_while_reading():
    cells = b"".join(b'<c r="%s1"><v>%d</v></c>' % (xlsx_reader.column_letters(n).encode(), n) for n in range(1, 200))
    table = read_table(with_sheet_xml(SHEET_OPEN + b'<row r="1">' + cells + b"</row>" + SHEET_CLOSE), max_rows=5)
    assert table.rows == [(1, list(range(1, MAX_COLUMNS + 1)))]


def test_inline_strings_rich_text_and_phonetic_runs_read_as_the_text_a_person_sees():
    shared = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<si><r><t>\xe5\xbc\xa0</t></r><r><t>\xe4\xb8\x89</t></r><rPh sb="0" eb="1"><t>zhang</t></rPh></si>'
        b"</sst>"
    )
    row = (
        b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2" t="inlineStr"><is><t>1\xe5\x8f\xb7\xe6\xa5\xbc</t></is></c>'
        b'<c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="str"><f>A1</f><v>x</v></c></row>'
    )
    table = read_table(with_sheet_xml(SHEET_OPEN + row + SHEET_CLOSE, shared_strings=shared), max_rows=5)
    assert table.rows == [(2, ["张三", None, "1号楼", True, "#N/A", "x"])]


def _random_value(rng: random.Random):  # type: ignore[no-untyped-def]
    kind = rng.randrange(8)
    if kind == 0:
        return None
    if kind == 1:
        return rng.randint(-(10**12), 10**12)
    if kind == 2:
        return round(rng.uniform(-1e6, 1e6), rng.randint(0, 6))
    if kind == 3:
        return dt.datetime(2020, 1, 1) + dt.timedelta(minutes=rng.randint(0, 5_000_000))
    if kind == 4:
        return dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 15_000))
    if kind == 5:
        return rng.random() < 0.5
    if kind == 6:
        return "".join(rng.choice("甲乙丙丁号楼室 abcXYZ0123-") for _ in range(rng.randint(1, 12)))
    return f"  {rng.randint(100, 3000)}  "


@pytest.mark.parametrize("seed", range(6))
def test_values_are_the_ones_openpyxl_reads(seed):
    """An independent reading: openpyxl's own read-only mode on random workbooks with gaps, dates, both epochs."""
    rng = random.Random(seed)
    workbook = Workbook()
    if seed % 2:
        workbook.epoch = dt.datetime(1904, 1, 1)  # the Mac 1904 date system
    sheet = workbook.active
    for row in range(1, 60):
        if rng.random() < 0.15:
            continue  # an empty row
        for column in range(1, rng.randint(1, 70)):
            value = _random_value(rng)
            if value is not None:
                sheet.cell(row=row, column=column, value=value)
    content = _workbook_bytes(workbook)

    expected = []
    reference = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    for number, values in enumerate(reference.active.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        cells = list(values)
        while cells and is_blank(cells[-1]):
            cells.pop()
        if cells and not all(is_blank(value) for value in cells):
            expected.append((number, cells))
    reference.close()
    assert read_table(content, max_rows=1000).rows == expected


def test_a_csv_line_wider_than_a_spreadsheet_is_refused_with_its_line_number():
    content = ("楼栋,房号\n1号楼,101\n" + "," * 20_000 + "\n").encode()
    assert refusal(content) == (
        "Row 3 has more than 16,384 cells (it reaches column XFE); no spreadsheet has rows that wide."
    )
