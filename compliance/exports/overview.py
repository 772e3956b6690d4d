"""The 概览 sheet: totals and rates by department and by document, with native bar charts.

The figures are tallied while the table sheets are written (one pass over the rows) and written
last, into the first sheet. The rates are the shared ones (compliance.rules.CompletionRates).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..models import Assignment
from ..rules import CompletionRates
from .cells import CellMaker
from .layout import setup_sheet
from .scope import AuditScope
from .source import ON_TIME_YES

S = Assignment.Status
OVERVIEW_WIDTHS = (28, 12, 12, 12, 12, 12, 12, 12)


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

    def put(self, values: list) -> None:
        self.ws.append(values)
        self.row += 1

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
        dept_range = self._table([_("部门"), _("任务数"), *rate_headers], dept_items)
        doc_range = self._table([_("文件"), _("条款数"), *rate_headers], doc_items)
        anchor_row = self.row + 2
        self._chart(dept_range, _("各部门完成率与按期率"), anchor_row)
        self._chart(doc_range, _("各文件完成率与按期率"), anchor_row + 20)

    def _head(self) -> None:
        ws, c, scope = self.ws, self.c, self.scope
        self.put([c(_("审计工作簿 · 概览"), "title")] + [c(None, "title")] * 6)
        ws.merged_cells.add("A1:G1")
        self.put([c(scope.describe(), "subtitle")])
        ws.merged_cells.add("A2:G2")
        ws.oddHeader.right.text = _("截至 %(d)s") % {"d": scope.as_of.isoformat()}
        ws.oddFooter.center.text = _("第 &P 页，共 &N 页")
        self.put([c(_("截至日期"), "label"), c(scope.as_of, "date")])
        self.put([c(_("文件"), "label"), c(scope.document.title if scope.document else _("全部"))])
        self.put([c(_("部门"), "label"), c(scope.department.name if scope.department else _("全部"))])
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
        self.put(
            [c(_("完成率 = 已办结 ÷（任务数 − 不适用）；按期率 = 按期办结 ÷（已办结 + 逾期未办结）。"), "subtitle")]
        )
        self.put([])

    def _table(self, headers: list[str], items: list[tuple[str, Tally]]) -> tuple[int, int]:
        """A rates table; returns its first and last body row."""
        c = self.c
        self.put(c.row(headers, "header"))
        start = self.row + 1
        for name, tally in items:
            self.put(
                [
                    c(name),
                    c(tally.total, "center"),
                    c(tally.completed, "center"),
                    c(tally.on_time, "center"),
                    c(tally.overdue, "center"),
                    c(tally.completion_rate, "percent"),
                    c(tally.on_time_rate, "percent"),
                ]
            )
        self.put([])
        return start, start + len(items) - 1

    def _chart(self, rows: tuple[int, int], title: str, anchor_row: int) -> None:
        first, last = rows
        if last < first:
            return
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.y_axis.title = _("比例")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.height = max(7.5, 0.6 * (last - first + 1) + 3)
        chart.width = 22
        data = Reference(self.ws, min_col=6, max_col=7, min_row=first - 1, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(self.ws, min_col=1, min_row=first, max_row=last))
        self.ws.add_chart(chart, f"A{anchor_row}")
