"""The sheets' layout: names, headers, column widths and styles, row heights, the print set-up.

Values and looks are kept apart: the row builders yield plain values, and each column's look is
its *_STYLES entry (see cells.py), so the benchmark can write the same rows with another library.

Printing (A4, fitted to the page width, header row repeated): LibreOffice and WPS do not grow a
row for wrapped text when they open a file, so every row whose text needs more than one line is
written with the height it needs (``RowHeights``), estimated generously from the text's width in
the column (a CJK character is two columns of the body font, other characters one).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .cells import BODY_SIZE, HEADER_SIZE, TITLE_SIZE, CellMaker, TableSheet, add_table_borders, set_column_widths
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
# Widths are in characters of the body font's digits. LibreOffice without 宋体 measures them in
# DejaVu Sans digits (9 px at 10.5 pt, Excel's SimSun 7 px), so a 任务分解表 row (about 163) fits an
# A4 landscape page at 69 % or more there (10.5 pt prints at 7.2 pt or larger) and at 88 % in Excel.
# 序号 holds six digits and dates "2026-04-30" / "2026-04-30 10:00" without "###".
TASK_WIDTHS = (6, 12, 8, 35, 9, 9, 7, 11, 6, 20, 16, 11, 6, 7)
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
OVERDUE_WIDTHS = (6, 12, 8, 40, 9, 5, 11, 6, 6, 28, 7)
OVERDUE_STYLES = ("center", "body", "center", "body", "center", "center", "date", "center", "center", "body", "center")
EVIDENCE_HEADERS = ("序号", "文件", "条款", "责任单位", "文件名", "上传人", "上传时间", "大小（字节）", "SHA-256")
EVIDENCE_WIDTHS = (6, 14, 8, 9, 26, 7, 17, 10, 66)
EVIDENCE_STYLES = ("center", "body", "center", "center", "body", "center", "datetime", "center", "body")
HISTORY_HEADERS = ("序号", "时间", "操作人", "对象", "操作", "文件", "条款", "部门", "字段", "原值", "新值", "说明")
HISTORY_WIDTHS = (6, 17, 7, 6, 6, 12, 8, 9, 9, 24, 30, 18)
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

# Line height per point of font size: the CJK fonts LibreOffice prints 宋体/黑体 with (Noto CJK)
# need about 1.44 em per line; Excel's SimSun needs less, so rows there get a little air.
LINE_PER_PT = 1.45
ROW_PADDING_PT = 2.5
DEFAULT_ROW_PT = round(BODY_SIZE * LINE_PER_PT + ROW_PADDING_PT)  # one line of body text
# A text that wraps loses about this many characters per line to the line-breaking rules (no line
# may start with ，。、); one that fits whole needs only the column (Excel's 7 px digits and 14 px
# CJK characters leave a few pixels to spare).
WRAP_SLACK = 1.5
FIT_SPARE = 0.25


def text_width(text: str) -> float:
    """Display width in body-font characters: 2 for CJK and full-width forms, 1 for ASCII."""
    # UTF-8 takes 3 bytes for CJK and full-width forms and 1 for ASCII: (bytes + chars) / 2.
    return (len(text.encode("utf-8")) + len(text)) / 2


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (explicit line breaks included)."""
    if len(text) * 2 <= width and "\n" not in text:
        return 1
    lines = 0
    for line in text.split("\n"):
        need = text_width(line)
        lines += 1 if need <= width + FIT_SPARE else math.ceil(need / max(width - WRAP_SLACK, 1.0))
    return lines


class RowHeights:
    """The height (points) a row needs for its wrapped text, or None when one line is enough."""

    def __init__(self, widths: Sequence[float], *, font_pt: float = BODY_SIZE) -> None:
        scale = BODY_SIZE / font_pt
        self.rooms = [w * scale for w in widths]
        self.line_pt = font_pt * LINE_PER_PT

    def lines(self, values: Sequence[Any]) -> int:
        most = 1
        for value, room in zip(values, self.rooms, strict=False):
            if value.__class__ is str and value:
                n = text_lines(value, room)
                if n > most:
                    most = n
        return most

    def height(self, lines: int) -> float:
        return round(lines * self.line_pt + ROW_PADDING_PT, 1)

    def __call__(self, values: Sequence[Any]) -> float | None:
        n = self.lines(values)
        return None if n <= 1 else self.height(n)


def set_row_height(ws: WriteOnlyWorksheet, row: int, height: float) -> None:
    """Give the next appended row (number ``row``) a fixed height; call right before appending it.

    A write-only sheet writes each row as it is appended and reads its dimensions then, so a plain
    attribute mapping is enough; ``forget_row_height`` drops it afterwards to keep memory flat.
    """
    ws.row_dimensions[row] = {"ht": str(height), "customHeight": "1"}


def forget_row_height(ws: WriteOnlyWorksheet, row: int) -> None:
    ws.row_dimensions.pop(row, None)


class TableRows:
    """Append value rows below a table's header, each with the height its text needs.

    The sheet writes each value in its column's style (``TableSheet.start_body``).
    """

    def __init__(self, ws: TableSheet, widths: Sequence[float], styles: tuple[str, ...]) -> None:
        self.ws = ws
        ws.start_body(styles)
        self.heights = RowHeights(widths)
        self.count = 0

    def append(self, values: list[Any]) -> None:
        self.count += 1
        height = self.heights(values)
        if height is None:
            self.ws.append(values)
            return
        row = HEADER_ROW + self.count
        set_row_height(self.ws, row, height)
        self.ws.append(values)
        forget_row_height(self.ws, row)


EXCEL_MAX_ROWS = 1_048_576  # rows in one Excel sheet


class SpillingRows:
    """TableRows over as many sheets as the rows need: a sheet holds EXCEL_MAX_ROWS rows, and
    操作记录 at 1,000,000 assignments has 1.8 million. When one is full, ``more(part)`` (part 2, 3…)
    gives the next sheet, already headed; ``sheets()`` lists each sheet with its row count.
    """

    def __init__(
        self,
        ws: TableSheet,
        widths: Sequence[float],
        styles: tuple[str, ...],
        *,
        more: Callable[[int], TableSheet],
        capacity: int | None = None,
    ) -> None:
        self.parts = [TableRows(ws, widths, styles)]
        self.widths, self.styles, self.more = widths, styles, more
        self.capacity = capacity or EXCEL_MAX_ROWS - HEADER_ROW

    def append(self, values: list[Any]) -> None:
        if self.parts[-1].count >= self.capacity:
            self.parts.append(TableRows(self.more(len(self.parts) + 1), self.widths, self.styles))
        self.parts[-1].append(values)

    @property
    def count(self) -> int:
        return sum(p.count for p in self.parts)

    def sheets(self) -> list[tuple[TableSheet, int]]:
        return [(p.ws, p.count) for p in self.parts]


def setup_sheet(
    ws: WriteOnlyWorksheet, widths: tuple[float, ...], *, landscape: bool = True, freeze: bool = True
) -> None:
    """Column widths, frozen header, A4 fitted to the page width (as many pages down as needed)."""
    set_column_widths(ws, widths)
    if freeze:
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.sheet_format.defaultRowHeight = DEFAULT_ROW_PT
    ws.sheet_format.customHeight = True
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    # The page header (截至…) and footer (page numbers) sit inside the top and bottom margins.
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = _("第 &P 页，共 &N 页")


def write_head(
    ws: WriteOnlyWorksheet,
    cells: CellMaker,
    title: str,
    scope: AuditScope,
    headers: tuple[str, ...],
    widths: tuple[float, ...],
) -> None:
    """Title, the scope line (截至…) and the header row, each as tall as its text needs."""
    last = get_column_letter(len(headers))
    total = sum(widths)
    title_rows = RowHeights([total], font_pt=TITLE_SIZE)
    ws.row_dimensions[1].height = title_rows.height(title_rows.lines([title]))
    ws.append([cells(title, "title")] + [cells(None, "title") for _ in headers[1:]])
    ws.merged_cells.add(f"A1:{last}1")
    describe = scope.describe()
    scope_rows = RowHeights([total])
    ws.row_dimensions[2].height = scope_rows.height(scope_rows.lines([describe]))
    ws.append([cells(describe, "subtitle")])
    ws.merged_cells.add(f"A2:{last}2")
    header_rows = RowHeights(widths, font_pt=HEADER_SIZE)
    ws.row_dimensions[HEADER_ROW].height = header_rows.height(header_rows.lines(headers))
    ws.append(cells.row(headers, "header"))
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # The as-of date on every printed page too, not only on the first.
    ws.oddHeader.right.text = _("截至 %(d)s") % {"d": scope.as_of.isoformat()}


def finish_table(ws: WriteOnlyWorksheet, ncols: int, last_row: int) -> None:
    """Auto-filter over header and body; thin borders on the body (one conditional-format rule)."""
    last_row = max(last_row, FIRST_DATA_ROW)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(ncols)}{last_row}"
    add_table_borders(ws, ncols, FIRST_DATA_ROW, last_row)


def excel_str(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
