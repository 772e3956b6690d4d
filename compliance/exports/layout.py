"""The sheets' layout: names, headers, column widths and styles, and the print set-up.

Values and looks are kept apart: the row builders yield plain values, and each column's look is
its *_STYLES entry (see cells.py), so the benchmark can write the same rows with another library.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .cells import CellMaker, add_table_borders
from .scope import AuditScope

SHEET_OVERVIEW = "概览"
SHEET_TASKS = "任务分解表"
SHEET_OVERDUE = "逾期事项"
SHEET_EVIDENCE = "佐证材料"
SHEET_HISTORY = "操作记录"
SHEETS = (SHEET_OVERVIEW, SHEET_TASKS, SHEET_OVERDUE, SHEET_EVIDENCE, SHEET_HISTORY)

# The customary 任务分解表 layout; headers are stable (auditors and scripts look for them).
TASK_HEADERS = (
    "序号",
    "文件",
    "条款",
    "重点任务（原文）",
    "牵头单位",
    "配合单位",
    "责任校领导",
    "完成时限",
    "状态",
    "完成情况",
    "佐证材料",
    "完成日期",
    "是否按期",
    "备注",
)
TASK_WIDTHS = (6, 22, 10, 60, 14, 18, 10, 12, 9, 36, 24, 12, 9, 16)
# Per column: "body" cells carry no style (the workbook default is the body style), see cells.py.
TASK_STYLES = (
    "center",
    "body",
    "center",
    "body",
    "body",
    "body",
    "center",
    "date",
    "center",
    "body",
    "body",
    "date",
    "center",
    "body",
)
OVERDUE_HEADERS = (
    "序号",
    "文件",
    "条款",
    "重点任务（原文）",
    "责任单位",
    "角色",
    "完成时限",
    "逾期天数",
    "状态",
    "最新进展",
    "责任校领导",
)
OVERDUE_WIDTHS = (6, 22, 10, 56, 14, 8, 12, 9, 9, 36, 10)
OVERDUE_STYLES = ("center", "body", "center", "body", "center", "center", "date", "center", "center", "body", "center")
EVIDENCE_HEADERS = ("序号", "文件", "条款", "责任单位", "文件名", "上传人", "上传时间", "大小（字节）", "SHA-256")
EVIDENCE_WIDTHS = (6, 22, 10, 14, 30, 10, 17, 12, 66)
EVIDENCE_STYLES = ("center", "body", "center", "center", "body", "center", "datetime", "center", "body")
HISTORY_HEADERS = ("序号", "时间", "操作人", "对象", "操作", "文件", "条款", "部门", "字段", "原值", "新值", "说明")
HISTORY_WIDTHS = (7, 17, 10, 9, 8, 22, 10, 14, 12, 30, 30, 20)
HISTORY_STYLES = (
    "center",
    "datetime",
    "center",
    "center",
    "center",
    "body",
    "center",
    "center",
    "center",
    "body",
    "body",
    "body",
)

HEADER_ROW = 3  # row 1 title, row 2 "截至…" and filters, row 3 headers
FIRST_DATA_ROW = HEADER_ROW + 1


def setup_sheet(
    ws: WriteOnlyWorksheet, widths: tuple[int, ...], *, landscape: bool = True, freeze: bool = True
) -> None:
    """Column widths, frozen header, A4 landscape fitted to the page width: all before any row."""
    for idx, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    if freeze:
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.row_dimensions[1].height = 30
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def write_head(
    ws: WriteOnlyWorksheet, cells: CellMaker, title: str, scope: AuditScope, headers: tuple[str, ...]
) -> None:
    last = get_column_letter(len(headers))
    ws.append([cells(title, "title")] + [cells(None, "title") for _ in headers[1:]])
    ws.merged_cells.add(f"A1:{last}1")
    ws.append([cells(scope.describe(), "subtitle")])
    ws.merged_cells.add(f"A2:{last}2")
    ws.append(cells.row(headers, "header"))
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # The as-of date on every printed page too, not only on the first.
    ws.oddHeader.right.text = _("截至 %(d)s") % {"d": scope.as_of.isoformat()}
    ws.oddFooter.center.text = _("第 &P 页，共 &N 页")


def finish_table(ws: WriteOnlyWorksheet, ncols: int, last_row: int) -> None:
    """Auto-filter over header and body; thin borders on the body (one conditional-format rule)."""
    last_row = max(last_row, FIRST_DATA_ROW)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(ncols)}{last_row}"
    add_table_borders(ws, ncols, FIRST_DATA_ROW, last_row)


def excel_str(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
