"""Reading and writing .xlsx and .csv: encodings, empty rows, limits, and files that are not spreadsheets."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from haofuwu.estates.spreadsheets import (
    Sheet,
    UnreadableSpreadsheet,
    decode_text,
    read_table,
    write_csv,
    write_xlsx,
)


def xlsx_bytes(rows: list[list[object]], *, title: str = "Sheet", extra_first: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if extra_first:
        sheet.title = extra_first
        sheet["A1"] = "说明文字"
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_keep_their_spreadsheet_numbers_and_skip_empty_rows():
    content = xlsx_bytes([["楼栋", "房号"], ["1号楼", 101], [None, None], ["1号楼", "102  "]])
    table = read_table(content, max_rows=100)
    assert table.rows == [(1, ["楼栋", "房号"]), (2, ["1号楼", 101]), (4, ["1号楼", "102  "])]


def test_xlsx_instructions_sheet_is_not_read_as_data():
    content = xlsx_bytes([["楼栋"], ["1号楼"]], title="楼栋", extra_first="说明")
    assert read_table(content, max_rows=10).rows == [(1, ["楼栋"]), (2, ["1号楼"])]


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "gb18030"],
)
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gb18030(encoding):
    content = "楼栋,房号,姓名\r\n1号楼,101,张三\r\n,,\r\n1号楼,102,李四\r\n".encode(encoding)
    table = read_table(content, max_rows=10)
    assert table.rows == [(1, ["楼栋", "房号", "姓名"]), (2, ["1号楼", "101", "张三"]), (4, ["1号楼", "102", "李四"])]


def test_csv_delimiter_may_be_tab_or_semicolon():
    assert read_table("楼栋\t房号\n1号楼\t101\n".encode(), max_rows=10).rows[1] == (2, ["1号楼", "101"])
    assert read_table("楼栋;房号\n1号楼;101\n".encode(), max_rows=10).rows[1] == (2, ["1号楼", "101"])


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (bytes(range(256)) * 20, "not a spreadsheet"),
        (b"\x00\x01\x02garbage\x00", "not a spreadsheet"),
        (_docx(), "not an Excel workbook"),
        (b"PK\x03\x04truncated zip", "could not be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ],
    ids=["empty", "blank", "random-bytes", "binary", "docx", "broken-zip", "legacy-xls"],
)
def test_anything_that_is_not_a_spreadsheet_is_one_clear_error(content, fragment):
    with pytest.raises(UnreadableSpreadsheet) as caught:
        read_table(content, max_rows=10)
    assert fragment in caught.value.message
    assert list(caught.value.errors) == ["file"]


def test_a_workbook_with_a_damaged_sheet_is_one_clear_error():
    good = xlsx_bytes([["楼栋"], ["1号楼"]])
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row><c"  # cut off mid-element
            archive.writestr(item, data)
    with pytest.raises(UnreadableSpreadsheet):
        read_table(buffer.getvalue(), max_rows=10)


def test_row_limit_stops_reading_early():
    content = ("a\n" + "x\n" * 50).encode()
    with pytest.raises(UnreadableSpreadsheet, match="more than 20 rows"):
        read_table(content, max_rows=20)
    with pytest.raises(UnreadableSpreadsheet, match="more than 20 rows"):
        read_table(xlsx_bytes([["a"]] + [["x"]] * 50), max_rows=20)


def test_size_limit():
    with pytest.raises(UnreadableSpreadsheet, match="larger than 1 MB"):
        read_table(b"a,b\n" * 300_000, max_rows=10, max_bytes=1024 * 1024)


def test_decode_text_prefers_utf8_and_falls_back_to_gb18030():
    assert decode_text("\ufeff独居老人".encode()) == "独居老人"
    assert decode_text("独居老人".encode("gb18030")) == "独居老人"


def test_written_workbook_keeps_formula_like_text_as_text_and_has_drop_downs():
    content = write_xlsx(
        [
            Sheet(
                title="房屋",
                rows=[["房号", "状态"], ["=HYPERLINK(1)", "自住"]],
                choice_lists={1: ["自住", "出租"]},
                text_columns=[0],
                header_notes={0: "room"},
            )
        ]
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["房屋"]
    assert sheet["A2"].value == "=HYPERLINK(1)"
    assert sheet["A2"].data_type == "s"
    assert sheet["A1"].comment.text == "room"
    assert sheet.data_validations.dataValidation[0].formula1 == '"自住,出租"'
    assert read_table(content, max_rows=10).rows[1] == (2, ["=HYPERLINK(1)", "自住"])


def test_written_csv_has_a_bom_and_neutralises_formulas():
    content = write_csv([["姓名", "备注"], ["张三", "=1+1"], ["李四", None]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == ["姓名,备注", "张三,'=1+1", "李四,"]
