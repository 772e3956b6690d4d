"""The 概览 sheet: totals and rates by department and by document, with native bar charts.

The figures are tallied while the table sheets are written (one pass over the rows) and written
last, into the first sheet. The rates are the shared ones (compliance.rules.CompletionRates).

Printed, every chart sits whole on its own page (a page break before each) with a label for every
bar: a chart shows at most ``CHART_MAX_BARS`` departments or documents, more make several charts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from ..models import Assignment
from ..rules import CompletionRates
from .cells import CellMaker
from .layout import DEFAULT_ROW_PT, RowHeights, setup_sheet
from .scope import AuditScope
from .source import ON_TIME_YES

S = Assignment.Status
# Seven columns that fit an A4 portrait page at full size; B holds the 生成时间 date and time.
OVERVIEW_WIDTHS = (28, 17, 10, 10, 10, 10, 10)
LAST_COLUMN = "G"
CHART_WIDTH_CM = 17
CHART_MAX_BARS = 24  # categories per chart, so that a chart with all its labels fits a page
CHART_FRAME_CM = 4.0  # title, legend and the value axis
CHART_CM_PER_BAR = {"department": 0.7, "document": 1.3}  # document titles wrap onto several lines
ROW_CM = DEFAULT_ROW_PT * 2.54 / 72


@dataclass
class Tally(CompletionRates):
    total: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    not_applicable: int = 0

    def add(self, *, status: str, on_time: str, overdue: bool) -> None:
        self.total += 1
        if status == S.COMPLETED:
            self.completed += 1
            if on_time == ON_TIME_YES:
                self.on_time += 1
        elif status == S.NOT_APPLICABLE:
            self.not_applicable += 1
        if overdue:
            self.overdue += 1


@dataclass
class AuditTotals:
    requirements: int = 0
    rows: Tally = field(default_factory=Tally)
    by_department: dict[int, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_document: dict[int, Tally] = field(default_factory=lambda: defaultdict(Tally))
    assignments: Tally = field(default_factory=Tally)
    document_titles: dict[int, str] = field(default_factory=dict)


class OverviewWriter:
    """Write 概览 row by row (write-only sheets cannot go back), then anchor the charts."""

    def __init__(self, ws: WriteOnlyWorksheet, scope: AuditScope, totals: AuditTotals, departments: dict) -> None:
        self.ws, self.scope, self.totals, self.departments = ws, scope, totals, departments
        self.c = CellMaker(ws)
        self.row = 0
        self.wide = RowHeights([sum(OVERVIEW_WIDTHS)])
        self.names = RowHeights(OVERVIEW_WIDTHS[:1])
        self.values = RowHeights([sum(OVERVIEW_WIDTHS[1:])])

    def put(self, values: list, *, height: float | None = None, merge_from: str | None = None) -> None:
        """Append a row; ``merge_from`` merges that column to the last one (for long text)."""
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(values)
        if merge_from is not None:
            self.ws.merged_cells.add(f"{merge_from}{self.row}:{LAST_COLUMN}{self.row}")

    def write(self) -> None:
        setup_sheet(self.ws, OVERVIEW_WIDTHS, landscape=False, freeze=False)
        self._head()
        self._summary()
        rate_headers = [_("已办结"), _("按期办结"), _("逾期"), _("完成率"), _("按期率")]
        t = self.totals
        dept_items = sorted(
            ((self.departments[k][0], v) for k, v in t.by_department.items()),
            key=lambda kv: (-(kv[1].completion_rate or 0), kv[0]),
        )
        doc_items = [(t.document_titles[k], v) for k, v in sorted(t.by_document.items())]
        dept_rows = self._table([_("部门"), _("任务数"), *rate_headers], dept_items)
        doc_rows = self._table([_("文件"), _("条款数"), *rate_headers], doc_items)
        anchor = self.row + 2
        for rows, title, kind in (
            (dept_rows, _("各部门完成率与按期率"), "department"),
            (doc_rows, _("各文件完成率与按期率"), "document"),
        ):
            anchor = self._charts(rows, title, kind, anchor)

    def _head(self) -> None:
        c, scope = self.c, self.scope
        self.put([c(_("审计工作簿 · 概览"), "title")] + [c(None, "title")] * 6, height=30, merge_from="A")
        describe = scope.describe()
        self.put([c(describe, "subtitle")], height=self.wide.height(self.wide.lines([describe])), merge_from="A")
        self.ws.oddHeader.right.text = _("截至 %(d)s") % {"d": scope.as_of.isoformat()}
        self.put([c(_("截至日期"), "label"), c(scope.as_of, "date")])
        for label, value in (
            (_("文件"), scope.document.title if scope.document else _("全部")),
            (_("部门"), scope.department.name if scope.department else _("全部")),
        ):
            self.put([c(label, "label"), c(value)], height=self.values([value]), merge_from="B")
        self.put([c(_("生成时间"), "label"), c(timezone.localtime(), "datetime")])
        self.put([])

    def _summary(self) -> None:
        c, t = self.c, self.totals
        self.put(c.row([_("合计"), _("数量")], "header"))
        for label, value, style in (
            (_("跟踪条款"), t.requirements, "center"),
            (_("分解表行数"), t.rows.total, "center"),
            (_("任务（部门×条款）"), t.assignments.total, "center"),
            (_("已办结"), t.assignments.completed, "center"),
            (_("按期办结"), t.assignments.on_time, "center"),
            (_("逾期未办结"), t.assignments.overdue, "center"),
            (_("完成率"), t.assignments.completion_rate, "percent"),
            (_("按期率"), t.assignments.on_time_rate, "percent"),
        ):
            self.put([c(label), c(value, style)])
        self.put([])
        note = _("完成率 = 已办结 ÷（任务数 − 不适用）；按期率 = 按期办结 ÷（已办结 + 逾期未办结）。")
        self.put([c(note, "subtitle")], height=self.wide.height(self.wide.lines([note])), merge_from="A")
        self.put([])

    def _table(self, headers: list[str], items: list[tuple[str, Tally]]) -> tuple[int, int]:
        """A rates table; returns its first and last body row."""
        c = self.c
        self.put(c.row(headers, "header"), height=RowHeights(OVERVIEW_WIDTHS, font_pt=11).height(2))
        start = self.row + 1
        for name, tally in items:
            cells = [
                c(name),
                c(tally.total, "center"),
                c(tally.completed, "center"),
                c(tally.on_time, "center"),
                c(tally.overdue, "center"),
                c(tally.completion_rate, "percent"),
                c(tally.on_time_rate, "percent"),
            ]
            self.put(cells, height=self.names([name]))
        self.put([])
        return start, start + len(items) - 1

    def _charts(self, rows: tuple[int, int], title: str, kind: str, anchor: int) -> int:
        """Bar charts of the rows' two rates, each whole on a new page; return the next free row."""
        first, last = rows
        chunks = [(f, min(f + CHART_MAX_BARS - 1, last)) for f in range(first, last + 1, CHART_MAX_BARS)]
        for n, (top, bottom) in enumerate(chunks, start=1):
            label = title if len(chunks) == 1 else f"{title}（{n}/{len(chunks)}）"
            height = CHART_FRAME_CM + CHART_CM_PER_BAR[kind] * (bottom - top + 1)
            # A new page starts one empty row above the chart: a chart that touches the row of the
            # break is drawn (clipped) on the page before as well.
            self.ws.row_breaks.append(Break(id=anchor - 2))
            self.ws.add_chart(self._chart(label, top, bottom, first - 1, height), f"A{anchor}")
            anchor += math.ceil(height / ROW_CM) + 2
        return anchor

    def _chart(self, title: str, top: int, bottom: int, header_row: int, height: float) -> BarChart:
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.y_axis.title = _("比例")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        # Show both axes (openpyxl 3.1 otherwise marks them deleted) and a label for every bar.
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.x_axis.tickLblSkip = 1
        chart.height, chart.width = height, CHART_WIDTH_CM
        for col in (6, 7):
            series = Reference(self.ws, min_col=col, min_row=top, max_row=bottom)
            chart.add_data(series, titles_from_data=False)
        for series, col in zip(chart.series, "FG", strict=True):
            # The series names are the table's header cells (完成率, 按期率).
            series.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(self.ws.title)}!${col}${header_row}"))
        chart.set_categories(Reference(self.ws, min_col=1, min_row=top, max_row=bottom))
        return chart
