"""The 进展汇总表 of a reporting round (one row per assignment) and the department scores sheet.

Sheets: 进展汇总表 (序号, 文件, 条款, 重点任务, 责任单位, 角色, 完成时限, 本期进展, 进度, 存在问题,
下一步计划, 报送状态, 报送时间, 是否迟报, 佐证材料), 报送情况 (per department: expected, submitted,
late) and 部门得分 (the scores over the round's period, with the rule printed above them).
Every value goes through the shared cell helper (no formula injection), A4 landscape with the
header row repeated on every printed page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .. import rules
from ..models import Assignment, ProgressReport, ReportRound
from ..selectors_reports import DepartmentProgress
from ..selectors_scores import ScoreRow, scoring_rule_text
from .cells import CellMaker, add_table_borders
from .scope import university_name

HEADER_ROW = 3


def _headers() -> tuple[str, ...]:
    return (
        _("序号"),
        _("文件"),
        _("条款"),
        _("重点任务"),
        _("责任单位"),
        _("角色"),
        _("完成时限"),
        _("本期进展"),
        _("进度"),
        _("存在问题"),
        _("下一步计划"),
        _("报送状态"),
        _("报送时间"),
        _("是否迟报"),
        _("佐证材料"),
    )


WIDTHS = (6, 22, 10, 36, 14, 7, 12, 40, 7, 26, 26, 10, 16, 9, 22)


def _sheet(wb: Workbook, title: str, heading: str, subtitle: str, headers: Sequence[str], widths: Sequence[int]):
    ws = wb.create_sheet(title)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    cells = CellMaker(ws)
    last = get_column_letter(len(headers))
    ws.append([cells(heading, "title")] + [cells(None, "title") for _ in headers[1:]])
    ws.merged_cells.add(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    ws.append([cells(subtitle, "subtitle")])
    ws.merged_cells.add(f"A2:{last}2")
    ws.append(cells.row(list(headers), "header"))
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.center.text = _("第 &P 页，共 &N 页")
    return ws, cells


def _finish(ws, ncols: int, rows: int) -> None:
    last = HEADER_ROW + max(rows, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(ncols)}{last}"
    add_table_borders(ws, ncols, HEADER_ROW + 1, last)


def progress_filename(rnd: ReportRound) -> str:
    name = university_name()
    return f"{name}{_('进展汇总表')}-{rnd.period}.xlsx"


def build_progress_workbook(
    *,
    rnd: ReportRound,
    reports: Sequence[ProgressReport],
    progress: Sequence[DepartmentProgress],
    scores: Sequence[ScoreRow],
    rule,
    today: dt.date,
) -> Workbook:
    """The round's workbook from rows the caller read through the selectors (scoped to the reader)."""
    wb = Workbook()
    wb.remove(wb.active)
    subtitle = _("期间 %(a)s 至 %(b)s；报送截止 %(d)s；导出日期 %(t)s") % {
        "a": rnd.period_start.isoformat(),
        "b": rnd.period_end.isoformat(),
        "d": rnd.due_date.isoformat(),
        "t": today.isoformat(),
    }
    headers = _headers()
    ws, cells = _sheet(
        wb, _("进展汇总表"), f"{university_name()}{rnd.title}{_('进展汇总表')}", subtitle, headers, WIDTHS
    )
    role_labels = dict(Assignment.Role.choices)
    for n, r in enumerate(reports, start=1):
        a = r.assignment
        req = a.requirement
        ws.append(
            [
                cells(n, "center"),
                cells(req.document.title),
                cells(" > ".join(req.path)),
                cells(req.heading or req.text),
                cells(r.department.name),
                cells(str(role_labels.get(a.role, a.role)), "center"),
                cells(a.due_date, "date"),
                cells(r.progress_text),
                cells(r.percent / 100, "percent"),
                cells(r.problems),
                cells(r.next_steps),
                cells(r.get_status_display(), "center"),
                cells(r.submitted_at, "datetime"),
                cells(_("是") if rules.report_is_late(r, today) else _("否"), "center"),
                cells("；".join(e.original_name for e in r.evidence.all())),
            ]
        )
    _finish(ws, len(headers), len(reports))

    dept_headers = (_("序号"), _("部门"), _("应报"), _("已报"), _("未报"), _("迟报"))
    ws2, cells2 = _sheet(wb, _("报送情况"), rnd.title + _("报送情况"), subtitle, dept_headers, (6, 24, 8, 8, 8, 8))
    for n, d in enumerate(progress, start=1):
        ws2.append(
            [cells2(n, "center"), cells2(d.name)]
            + [cells2(v, "center") for v in (d.total, d.submitted, d.missing, d.late)]
        )
    _finish(ws2, len(dept_headers), len(progress))

    write_scores_sheet(wb, scores=scores, rule=rule, subtitle=subtitle)
    return wb


def _score_headers() -> tuple[str, ...]:
    return (
        _("名次"),
        _("部门"),
        _("事项"),
        _("按期办结"),
        _("逾期"),
        _("退回"),
        _("迟报"),
        _("被催办"),
        _("按期率"),
        _("得分"),
        _("计算过程"),
    )


SCORE_WIDTHS = (6, 22, 7, 9, 7, 7, 7, 8, 9, 8, 60)


def write_scores_sheet(wb: Workbook, *, scores: Sequence[ScoreRow], rule, subtitle: str) -> None:
    headers = _score_headers()
    ws, cells = _sheet(
        wb, _("部门得分"), _("部门督办考核得分"), f"{subtitle}；{scoring_rule_text(rule)}", headers, SCORE_WIDTHS
    )
    for n, s in enumerate(scores, start=1):
        f = s.figures
        ws.append(
            [cells(n, "center"), cells(s.name)]
            + [cells(v, "center") for v in (f.assigned, f.on_time, f.overdue, f.returns, f.late_reports, f.urges)]
            + [cells(float(s.on_time_rate), "percent"), cells(float(s.score), "center"), cells(s.explanation)]
        )
    _finish(ws, len(headers), len(scores))


def build_scores_workbook(*, scores: Sequence[ScoreRow], rule, start: dt.date, end: dt.date) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    write_scores_sheet(
        wb, scores=scores, rule=rule, subtitle=_("期间 %(a)s 至 %(b)s") % {"a": start.isoformat(), "b": end.isoformat()}
    )
    return wb
