"""The audit workbook opened with openpyxl: sheets, headers, values, styles, print settings, safety."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from compliance.exports import (
    SHEETS,
    TASK_HEADERS,
    AuditScope,
    audit_filename,
    build_audit_workbook,
)
from compliance.exports.cells import clean_text
from compliance.models import PolicyDocument
from compliance.tests.factories import AssignmentFactory, PolicyDocumentFactory, RequirementFactory

from .conftest import FORMULA_NOTE, TODAY, load, saved_bytes

pytestmark = pytest.mark.django_db


def _rows(ws, start=4):
    return list(ws.iter_rows(min_row=start, values_only=True))


def test_sheets_and_headers_are_exactly_as_agreed(world):
    wb = load(build_audit_workbook(as_of=TODAY))
    assert wb.sheetnames == ["概览", "任务分解表", "逾期事项", "佐证材料", "操作记录"] == list(SHEETS)
    ws = wb["任务分解表"]
    assert [c.value for c in ws[3]] == list(TASK_HEADERS)
    assert ws["A1"].value == "示范大学贯彻落实《关于深化本科教育教学改革的意见》任务分解表"


def test_university_name_comes_from_settings(world, settings):
    settings.DUBAN_UNIVERSITY_NAME = "东方大学"
    wb = load(build_audit_workbook(as_of=TODAY))
    assert wb["任务分解表"]["A1"].value.startswith("东方大学贯彻落实《")


def test_without_a_university_name_the_title_names_none(world, settings):
    """No made-up university: an unset DUBAN_UNIVERSITY_NAME leaves the prefix out."""
    settings.DUBAN_UNIVERSITY_NAME = ""
    wb = load(build_audit_workbook(as_of=TODAY))
    assert wb["任务分解表"]["A1"].value == "贯彻落实《关于深化本科教育教学改革的意见》任务分解表"


def test_as_of_date_is_printed_on_every_sheet(world):
    wb = load(build_audit_workbook(as_of=TODAY))
    for ws in wb.worksheets:
        assert "截至 2026-05-15" in ws["A2"].value, ws.title
        assert "2026-05-15" in ws.oddHeader.right.text


def test_one_row_per_tracked_requirement_in_the_customary_layout(world):
    """Lead and cooperating units, Chinese status, evidence names, on-time flags; unassigned rows too."""
    wb = load(build_audit_workbook(as_of=TODAY))
    rows = _rows(wb["任务分解表"])
    assert [r[0] for r in rows] == [1, 2, 3]  # 序号 is a number
    r1, r2, r3 = (dict(zip(TASK_HEADERS, r, strict=True)) for r in rows)
    assert r1["文件"] == "关于深化本科教育教学改革的意见（教高〔2026〕1号）"
    assert r1["条款"] == "一 > （一）"
    assert r1["重点任务（原文）"] == "完善课程体系。"
    assert (r1["牵头单位"], r1["配合单位"]) == ("教务处", "科学技术处")
    assert r1["责任校领导"] == str(world["a1"].department.school_leader)
    assert r1["完成时限"] == dt.datetime(2026, 4, 30)
    assert (r1["状态"], r1["是否按期"]) == ("已办结", "是")
    assert r1["完成日期"] == dt.datetime(2026, 4, 20)
    assert r1["佐证材料"] == "课程体系方案.pdf"
    assert r1["完成情况"].count("已完成课程体系修订") == 2
    assert (r2["状态"], r2["是否按期"]) == ("进行中", "否")
    assert (r3["牵头单位"], r3["配合单位"], r3["状态"]) == (None, None, "未分配")
    assert r3["完成时限"] == "长期坚持"


def test_formula_like_text_stays_text_and_illegal_characters_are_removed(world):
    data = saved_bytes(build_audit_workbook(as_of=TODAY))
    ws = load(data)["任务分解表"]
    cell = ws.cell(row=5, column=TASK_HEADERS.index("完成情况") + 1)
    assert cell.value == FORMULA_NOTE  # shown as typed, the \x07 removed
    assert cell.data_type == "s"
    assert cell.quotePrefix  # stays text when someone edits the cell in Excel
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) for n in sheets)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=x"])
def test_clean_text_flags_every_formula_trigger(text):
    assert clean_text(text)[1] is True
    assert clean_text("普通文字=1")[1] is False
    assert clean_text("a\x00b\x1fc") == ("abc", False)


def test_layout_styles_and_print_settings(world):
    ws = load(build_audit_workbook(as_of=TODAY))["任务分解表"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:N6"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
    assert int(ws.page_setup.fitToWidth) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["A3"].font.name == "黑体" and ws["A3"].font.b
    assert ws["D4"].font.name == "宋体"
    assert ws["D4"].alignment.wrap_text
    assert ws.column_dimensions["D"].width >= 30  # the widest column: the task's text
    assert ws["H4"].number_format == "yyyy-mm-dd"
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    rules = [(str(rng.sqref), rule.formula[0]) for rng in ws.conditional_formatting for rule in rng.rules]
    assert rules and rules[0][0] == "A4:N6"
    assert '$M4="否"' in rules[0][1] and '$I4="进行中"' in rules[0][1]


def test_overdue_sheet_lists_open_items_past_due(world):
    ws = load(build_audit_workbook(as_of=TODAY))["逾期事项"]
    rows = _rows(ws)
    assert len(rows) == 1
    assert rows[0][3] == "加强实验室安全。" and rows[0][4] == "教务处" and rows[0][7] == 5  # 5 days late


def test_evidence_sheet_has_name_uploader_time_and_checksum(world):
    ws = load(build_audit_workbook(as_of=TODAY))["佐证材料"]
    assert [c.value for c in ws[3]] == [
        "序号",
        "文件",
        "条款",
        "责任单位",
        "文件名",
        "上传人",
        "上传时间",
        "大小（字节）",
        "SHA-256",
    ]
    (row,) = _rows(ws)
    assert row[4] == "课程体系方案.pdf"
    assert row[5] == str(world["a1"].evidence.get().uploaded_by)
    assert row[6] == dt.datetime(2026, 4, 20, 10, 0)
    assert len(row[8]) == 64


def test_change_log_lists_who_when_what_field_from_to(world, lead_a):
    """操作记录: who, when, which object, what was done, which field, from, to (labels, not codes)."""
    ws = load(build_audit_workbook(as_of=TODAY))["操作记录"]
    assert [c.value for c in ws[3]] == [
        "序号",
        "时间",
        "操作人",
        "对象",
        "操作",
        "文件",
        "条款",
        "部门",
        "字段",
        "原值",
        "新值",
        "说明",
    ]
    rows = _rows(ws)
    changes = [(r[2], r[3], r[4], r[8], r[9], r[10]) for r in rows if r[8] == "状态"]
    assert (str(lead_a), "任务", "修改", "状态", "未开始", "进行中") in changes
    assert any(r[1] == dt.datetime(2026, 5, 2, 10, 0) and r[8] == "状态" for r in rows)
    (upload,) = [r for r in rows if r[3] == "佐证材料"]
    assert upload[4] == "上传" and "课程体系方案.pdf" in upload[10] and upload[7] == "教务处"


def test_as_of_a_past_date_uses_the_state_on_that_day(world):
    """On 2026-04-10 nothing was completed yet and nothing was overdue; the evidence did not exist."""
    wb = load(build_audit_workbook(as_of=dt.date(2026, 4, 10)))
    rows = [dict(zip(TASK_HEADERS, r, strict=True)) for r in _rows(wb["任务分解表"])]
    assert [r["状态"] for r in rows] == ["未开始", "未开始", "未分配"]
    assert [r["是否按期"] for r in rows] == ["未到期", "未到期", None]
    assert _rows(wb["佐证材料"]) == []
    assert all(r[1] < dt.datetime(2026, 4, 11) for r in _rows(wb["操作记录"]))
    # By 2026-05-11 the second item was overdue, though it was being worked on only from 05-02.
    wb = load(build_audit_workbook(as_of=dt.date(2026, 5, 11)))
    assert len(_rows(wb["逾期事项"])) == 1


def test_overview_has_totals_rates_and_native_charts(world):
    data = saved_bytes(build_audit_workbook(as_of=TODAY))
    ws = load(data)["概览"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert values["截至日期"] == dt.datetime(2026, 5, 15)
    assert values["跟踪条款"] == 3 and values["任务（部门×条款）"] == 3
    assert values["已办结"] == 2 and values["逾期未办结"] == 1
    assert values["完成率"] == pytest.approx(2 / 3)
    rows = list(ws.iter_rows(values_only=True))
    dept = {r[0]: r for r in rows if r[0] in ("教务处", "科学技术处")}
    assert dept["教务处"][1:5] == (2, 1, 1, 1)  # tasks, completed, on time, overdue
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_a_requirement_worked_in_two_periods_is_two_rows_but_one_tracked_clause(world, dept_a):
    """Each period of a recurring requirement is a row of its own (期次 in 备注); 概览 counts the
    clause once among 跟踪条款 and both rows among 分解表行数."""
    r4 = RequirementFactory(
        document=world["doc"], label="（四）", path=["一", "（四）"], heading="", text="每学期检查。"
    )
    for period in ("2026春", "2026秋"):
        AssignmentFactory(requirement=r4, department=dept_a, period=period)
    wb = load(build_audit_workbook(as_of=TODAY))
    rows = [r for r in _rows(wb["任务分解表"]) if r[3] == "每学期检查。"]
    assert [r[13] for r in rows] == ["期次：2026春", "期次：2026秋"]
    values = {r[0]: r[1] for r in wb["概览"].iter_rows(values_only=True) if r[0]}
    assert (values["跟踪条款"], values["分解表行数"]) == (4, 5)


def test_filters_by_document_and_department(world, dept_b):
    wb = load(build_audit_workbook(as_of=TODAY, department=dept_b))
    rows = _rows(wb["任务分解表"])
    assert len(rows) == 1 and rows[0][5] == "科学技术处"
    assert "部门：科学技术处" in wb["任务分解表"]["A2"].value


def test_file_name_is_chinese_and_safe(world):
    doc = world["doc"]
    doc.title = '关于"质量/安全"的意见'
    name = audit_filename(AuditScope(as_of=TODAY, document=doc))
    assert name == "示范大学《关于_质量_安全_的意见》审计工作簿_截至2026-05-15.xlsx"


def test_progress_is_reported(world):
    seen = []
    saved_bytes(build_audit_workbook(as_of=TODAY, progress=lambda done, total: seen.append((done, total))))
    assert seen[-1] == (3, 3)


def test_body_text_is_unstyled_yet_shows_in_songti_wrapped_with_borders(world):
    """Body cells carry no style of their own: the workbook's default format is the body style
    (宋体 10.5, wrapped, top), which is what Excel shows them in; borders come from one
    conditional-format rule per table, header and title cells keep their own 黑体 styles."""
    data = saved_bytes(build_audit_workbook(as_of=TODAY))
    wb = load(data)
    normal = wb._named_styles["Normal"]
    assert (normal.font.name, normal.font.sz, normal.font.scheme) == ("宋体", 10.5, None)
    for name in ("任务分解表", "逾期事项", "佐证材料", "操作记录"):
        ws = wb[name]
        body = {"佐证材料": ws["E4"], "操作记录": ws["F4"]}.get(name, ws["D4"])
        assert body.value, name
        assert body.style_id == 0, name  # no per-cell style
        assert (body.font.name, body.font.sz) == ("宋体", 10.5), name
        assert body.alignment.wrap_text and body.alignment.vertical == "top", name
        assert ws["A3"].font.name == "黑体" and ws["A3"].border.left.style == "thin", name
        borders = [rule for cf in ws.conditional_formatting for rule in cf.rules if rule.formula == ["TRUE"]]
        assert borders and borders[0].dxf.border.left.style == "thin", name
    tasks = wb["任务分解表"]
    assert tasks["A4"].alignment.horizontal == "center" and tasks["A4"].font.name == "宋体"
    assert tasks["L4"].number_format == "yyyy-mm-dd" and tasks["L4"].font.name == "宋体"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    assert '<c r="D4" t="inlineStr">' in sheet  # written without an s attribute


def test_drafts_are_left_out_unless_asked(world):
    """A document never published (not routed yet) is not in the workbook unless drafts are asked for."""
    draft = PolicyDocumentFactory(title="尚未发布的文件", status=PolicyDocument.Status.DRAFT)
    RequirementFactory(document=draft, heading="", text="草稿里的条款。")
    wb = load(build_audit_workbook(as_of=TODAY))
    texts = [r[3] for r in _rows(wb["任务分解表"])]
    assert "草稿里的条款。" not in texts and len(texts) == 3
    overview = [r[0] for r in wb["概览"].iter_rows(values_only=True)]
    assert not any("尚未发布的文件" in str(v) for v in overview)
    wb = load(build_audit_workbook(as_of=TODAY, include_drafts=True))
    assert "草稿里的条款。" in [r[3] for r in _rows(wb["任务分解表"])]
    assert "含未发布的草稿" in wb["任务分解表"]["A2"].value


def test_table_rows_keep_every_kind_of_value_in_their_columns_look():
    """A table body row is plain values: each reads back as written, in its column's style
    (centred, date, date and time), text cleaned and formula-like text quoted, empties left empty."""
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from openpyxl import Workbook

    from compliance.exports.cells import TableSheet, make_body_style_the_default

    wb = Workbook(write_only=True)
    make_body_style_the_default(wb)
    ws = TableSheet(parent=wb, title="表")
    wb._add_sheet(ws)
    ws.append(["标题"])
    styles = ("center", "body", "date", "datetime", "body", "center", "body", "body", "body", "date", "center")
    ws.start_body(styles)
    aware = dt.datetime(2026, 5, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    row = [7, "正文\x07", dt.date(2026, 4, 30), aware, "=1+1", Decimal("2.5"), None, "", True, dt.date(2026, 1, 2)]
    ws.append([*row, gettext_lazy("否")])
    ws.append([8, dt.date(2026, 6, 1), "长期坚持", None, "#N/A"])  # a date in a body column, text in a date column
    cells = list(load(wb)["表"].iter_rows(min_row=2))
    first, second = cells[0], cells[1]
    assert [c.value for c in first[:4]] == [7, "正文", dt.datetime(2026, 4, 30), dt.datetime(2026, 5, 2, 9, 30)]
    assert [c.value for c in first[4:6]] == ["=1+1", 2.5]
    assert first[0].alignment.horizontal == "center" and first[0].font.name == "宋体"
    assert first[1].style_id == 0  # body text carries no style of its own
    assert (first[2].number_format, first[3].number_format) == ("yyyy-mm-dd", "yyyy-mm-dd hh:mm")
    assert first[4].data_type == "s" and first[4].quotePrefix
    assert [c.value for c in first[6:]] == [None, None, True, dt.datetime(2026, 1, 2), "否"]
    assert first[8].style_id == 0 and first[10].alignment.horizontal == "center"
    assert second[1].value == dt.datetime(2026, 6, 1) and second[1].is_date  # still shown as a date
    assert second[2].value == "长期坚持" and second[2].number_format == "yyyy-mm-dd"
