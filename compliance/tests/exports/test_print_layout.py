"""Print settings checked without printing: page fit, row heights, column widths, chart placement.

(test_printed.py prints through LibreOffice and reads the PDF; these run everywhere.)
"""

from __future__ import annotations

import datetime as dt

import pytest

from compliance.exports import build_audit_workbook
from compliance.exports.layout import (
    EVIDENCE_WIDTHS,
    HISTORY_WIDTHS,
    OVERDUE_WIDTHS,
    TASK_HEADERS,
    TASK_WIDTHS,
    RowHeights,
    text_lines,
)
from compliance.exports.overview import CHART_MAX_BARS, OVERVIEW_WIDTHS
from compliance.models import Assignment
from compliance.tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    EvidenceFactory,
    PolicyDocumentFactory,
    RequirementFactory,
)

from .conftest import TODAY, load, saved_bytes

pytestmark = pytest.mark.django_db

LANDSCAPE_PX = (11.69 - 2 * 0.3) * 96  # A4 landscape between the side margins, at 96 px per inch
PORTRAIT_PX = (8.27 - 2 * 0.3) * 96


def printed_size(widths, page_px: float, digit_px: float) -> float:
    """The body font's printed size when a row of these columns is fitted to the page width."""
    row_px = sum(w * digit_px + 5 for w in widths)
    return 10.5 * min(1.0, page_px / row_px)


@pytest.mark.parametrize(
    "widths",
    [TASK_WIDTHS, OVERDUE_WIDTHS, EVIDENCE_WIDTHS, HISTORY_WIDTHS],
    ids=["任务分解表", "逾期事项", "佐证材料", "操作记录"],
)
def test_every_table_prints_at_a_readable_size(widths):
    """Fitted to the width of an A4 landscape page, text stays at 7 pt or more: measured in the
    9 px digits LibreOffice uses when 宋体 is missing, and at 8.5 pt or more with Excel's 7 px."""
    assert printed_size(widths, LANDSCAPE_PX, 9) >= 7.0
    assert printed_size(widths, LANDSCAPE_PX, 7) >= 8.5


def test_the_overview_prints_at_a_readable_size_on_a_portrait_page():
    assert printed_size(OVERVIEW_WIDTHS, PORTRAIT_PX, 9) >= 8.5


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("已办结", 6, 1),  # fits whole
        ("2026年实验室安全检查工作方案（定稿）.pdf\n各学院安全责任书签订情况汇总表.xlsx", 16, 6),
        ("一、已制定工作方案。\n二、已完成全部检查。", 40, 2),
        ("健" * 40, 21.5, 4),  # 80 columns of text in 20 per line (a wrapped line loses 1.5)
    ],
)
def test_text_lines_are_estimated_generously(text, width, lines):
    assert text_lines(text, width) == lines


def test_rows_are_as_tall_as_their_wrapped_text(world):
    """A row whose cells wrap gets a fixed height for all its lines; a one-line row keeps the default."""
    wb = load(build_audit_workbook(as_of=TODAY))
    ws = wb["任务分解表"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    heights = RowHeights(TASK_WIDTHS)
    for number, values in enumerate(rows, start=4):
        lines = heights.lines([v if isinstance(v, str) else "" for v in values])
        if lines > 1:
            assert ws.row_dimensions[number].height >= lines * 10.5 * 1.4, number
            assert ws.row_dimensions[number].customHeight
    assert ws.sheet_format.defaultRowHeight >= 10.5 * 1.4 + 2  # one line of body text
    assert ws.row_dimensions[3].height >= 2 * 11 * 1.4  # 责任校领导 and 是否按期 wrap in the header


def test_dates_and_times_have_room(world):
    """No "###": the 生成时间 (date and time) and every date column are wide enough."""
    wb = load(build_audit_workbook(as_of=TODAY))
    assert wb["概览"].column_dimensions["B"].width >= len("2026-05-15 10:00") + 1
    tasks = wb["任务分解表"]
    for header in ("完成时限", "完成日期"):
        column = tasks.cell(row=3, column=TASK_HEADERS.index(header) + 1).column_letter
        assert tasks.column_dimensions[column].width >= len("2026-05-15") + 1
    assert wb["操作记录"].column_dimensions["B"].width >= len("2026-05-15 10:00") + 1


def test_a_long_title_and_scope_line_wrap_within_their_rows(world):
    """The title and the 截至 line are wrapped in rows tall enough for them."""
    doc = world["doc"]
    doc.title = "关于" + "深化新时代高等学校教育教学改革" * 6 + "的意见"
    doc.save()
    ws = load(build_audit_workbook(as_of=TODAY, document=doc))["任务分解表"]
    assert ws["A2"].alignment.wrap_text and ws["A1"].alignment.wrap_text
    assert ws.row_dimensions[1].height >= 2 * 16 * 1.4
    assert ws.row_dimensions[2].height >= 2 * 10 * 1.4


@pytest.fixture
def many_departments(db, frozen, admin_user):
    """30 departments with an item each: more than one chart can label."""
    frozen.move_to(dt.datetime(2026, 4, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    doc = PolicyDocumentFactory()
    for n in range(30):
        a = AssignmentFactory(
            department=DepartmentFactory(name=f"第{n + 1:02d}学院"), requirement=RequirementFactory(document=doc)
        )
        if n % 2:
            EvidenceFactory(assignment=a)
            a.status = Assignment.Status.COMPLETED
            a.completed_at = dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC)
            a.save()
    frozen.move_to(dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8))))


def test_charts_label_every_bar_and_start_on_a_new_page(many_departments):
    """30 departments make two charts of at most 24 bars; each chart starts on a page of its own,
    shows every category label and both axes."""
    wb = build_audit_workbook(as_of=TODAY)
    ws = wb.worksheets[0]
    saved_bytes(wb)  # a write-only workbook is written out once
    charts = ws._charts
    assert len(charts) == 3  # departments 1/2 and 2/2, documents
    breaks = {b.id for b in ws.row_breaks.brk}
    for chart in charts:
        assert chart.x_axis.tickLblSkip == 1
        assert chart.x_axis.delete is False and chart.y_axis.delete is False
        categories = chart.series[0].cat.numRef or chart.series[0].cat.strRef
        cells = [int(part.lstrip("$A")) for part in categories.f.split("!")[1].split(":")]
        first, last = cells[0], cells[-1]
        assert last - first + 1 <= CHART_MAX_BARS
        assert int(chart.anchor.lstrip("A")) - 2 in breaks  # a new page one empty row above the chart
    titles = [chart.title.tx.rich.p[0].r[0].t for chart in charts]
    assert titles[:2] == ["各部门完成率与按期率（1/2）", "各部门完成率与按期率（2/2）"]
