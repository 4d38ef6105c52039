"""The downloadable Chinese template of each kind and the error report of a run, as .xlsx workbooks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from haofuwu.estates.importing.specs import SPECS, ColumnType
from haofuwu.estates.spreadsheets import Sheet, write_xlsx

GENERAL_INSTRUCTIONS = (
    "填写说明",
    "1. 第一行是表头，请勿修改列名；列的顺序可以调整，不需要的非必填列可以删除。带 * 的列必填。",
    "2. 第二行是示例，导入前请删除（原样保留的示例行会被跳过）。空行会被跳过。",
    "3. 一次最多导入 20000 行；文件可以是 .xlsx，也可以是 UTF-8 或 GB18030（Excel 默认）编码的 .csv。",
    "4. 导入顺序：先导入楼栋，再导入房屋，最后导入住户；房屋和住户所在的楼栋、房屋必须已经存在。",
    "5. 再次导入同一文件不会产生重复：楼栋按名称、房屋按“楼栋+单元+房号”、住户按同一房屋内的身份证号（没有则手机号，再没有则姓名）更新。",
    "6. 更新已有记录时，空白单元格不会清除原有内容。",
    "7. 建议先勾选“试导入”检查，系统会逐行列出错误（行号、列、原因）；全部正确后再正式导入。",
    "8. 手机号、身份证号属于个人信息，仅用于物业服务，请妥善保管本文件。",
)


def template_file_name(kind: str) -> str:
    return f"haofuwu-{kind}-template.xlsx"


def import_template(kind: str) -> bytes:
    """The Chinese template of one kind: header row with notes, an example row, drop-down lists, and a 说明 sheet."""

    spec = SPECS[kind]
    columns = [column for column in spec.columns if column.key != "project"]
    header = [column.label + ("*" if column.is_required else "") for column in columns]
    example = [column.example for column in columns]
    notes = {index: f"{column.key}\n{column.note}" for index, column in enumerate(columns) if column.note}
    choice_lists: dict[int, Sequence[str]] = {
        index: column.choice_labels
        for index, column in enumerate(columns)
        if column.type == ColumnType.CHOICE and column.choice_labels
    }
    text_columns = [
        index
        for index, column in enumerate(columns)
        if column.type in (ColumnType.TEXT, ColumnType.PHONE, ColumnType.ID_NUMBER)
    ]
    widths = [max(12, len(column.label) * 3, len(str(column.example)) + 4) for column in columns]
    data = Sheet(
        title=spec.title,
        rows=[header, example],
        column_widths=widths,
        choice_lists=choice_lists,
        text_columns=text_columns,
        header_notes=notes,
    )
    instructions = [[line] for line in GENERAL_INSTRUCTIONS]
    instructions += [[], ["列名", "英文列名", "必填", "说明"]]
    instructions += [
        [column.label, column.key, "是" if column.is_required else "", column.note] for column in spec.columns
    ]
    guide = Sheet(title="说明", rows=instructions, header_rows=0, column_widths=[14, 16, 8, 90])
    return write_xlsx([data, guide])


def error_report(issues: list[dict[str, Any]]) -> bytes:
    """The issues of a run as a workbook a clerk can work through next to the original file."""

    header = [_("Row"), _("Column"), _("Value"), _("Reason"), _("Level")]
    levels = {"error": _("Error"), "warning": _("Warning")}
    rows = [
        [
            issue.get("row") or "",
            issue.get("column", ""),
            issue.get("value", ""),
            issue.get("message", ""),
            levels.get(issue.get("level", "error"), ""),
        ]
        for issue in issues
    ]
    return write_xlsx([Sheet(title=_("Errors"), rows=[header, *rows], column_widths=[8, 16, 24, 80, 10])])
