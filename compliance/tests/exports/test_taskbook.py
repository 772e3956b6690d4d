"""The 任务分解表 importer goes through the document import and routing services."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from compliance.exports.taskbook_sheet import document_title, parsed_document, read_taskbook
from compliance.models import Assignment, PolicyDocument, Requirement
from compliance.services import PermissionDeniedError, ServiceError
from compliance.services.documents import document_fingerprint
from compliance.services.taskbook import taskbook_import
from compliance.tests.factories import PolicyDocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "文件", "条款", "重点任务（原文）", "牵头单位", "配合单位", "责任校领导", "完成时限"]


def _xlsx(rows: list[list], headers: list[str] = HEADERS, title: str = "示范大学重点任务分解表") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


DOC = "关于加强实验室安全的通知（教技〔2026〕3号）"


def test_a_new_document_is_stored_by_the_import_service_with_parents_and_history(admin_user, dept_a, dept_b):
    """Hierarchical clauses get parents; the content hash is the import service's; the history names the user."""
    data = _xlsx(
        [
            [1, DOC, "一", "健全安全责任体系。", "教务处", "", "", ""],
            [2, DOC, "一 > （一）", "明确实验室安全责任人。", "本科生院", "科技处", "", "2030-06-30"],
            [3, DOC, "一 > （二）", "每学期开展一次安全检查。", "科学技术处", "", "", "每学期开学前"],
        ]
    )
    report = taskbook_import(data=data, by=admin_user, source_name="分解表.xlsx")
    assert report.documents_created == ["关于加强实验室安全的通知"]
    doc = PolicyDocument.objects.get()
    assert (doc.doc_number, doc.status, doc.imported_by) == ("教技〔2026〕3号", "published", admin_user)
    rows = read_taskbook(data)
    expected = parsed_document(title="关于加强实验室安全的通知", doc_number="教技〔2026〕3号", rows=rows, year=None)
    assert doc.sha256 == document_fingerprint(expected)
    parent, child, sibling = doc.requirements.order_by("order")
    assert (child.parent, sibling.parent, parent.parent) == (parent, parent, None)
    assert child.deadline_date == dt.date(2030, 6, 30) and sibling.recurrence == "semester"
    assert child.history.earliest().history_user == admin_user
    assert {(a.department.name, a.role) for a in child.assignments.all()} == {("教务处", "lead"), ("科学技术处", "co")}
    assert report.assignments_created == 4
    assert [r.outcome for r in report.rows] == ["新建", "新建", "新建"]
    assert "完成时限“每学期开学前”未识别出日期，仅保存原文" in report.rows[2].problems


def test_rows_of_several_documents_become_several_documents(admin_user, dept_a):
    other = "关于推进智慧教室建设的意见"
    data = _xlsx([[1, DOC, "1", "任务甲。", "教务处", "", "", ""], [2, other, "1", "任务乙。", "教务处", "", "", ""]])
    report = taskbook_import(data=data, by=admin_user)
    assert sorted(report.documents_created) == sorted(["关于加强实验室安全的通知", other])
    assert PolicyDocument.objects.count() == 2 and Assignment.objects.count() == 2


def test_a_draft_document_keeps_the_tables_routing_as_its_plan_until_published(admin_user, dept_a, dept_b):
    """Matching rows of an imported draft: the plan is stored, nothing is assigned before publication."""
    doc = PolicyDocumentFactory(title="关于加强实验室安全的通知", status=PolicyDocument.Status.DRAFT)
    req = RequirementFactory(document=doc, label="（一）", path=["一", "（一）"], text="明确实验室安全责任人。")
    data = _xlsx([[1, DOC, "一 > （一）", "明确实验室安全责任人。", "科技处", "本科生院", "", ""]])
    report = taskbook_import(data=data, by=admin_user)
    assert report.requirements_matched == 1 and report.assignments_created == 0
    req.refresh_from_db()
    assert req.routing_plan == {"lead": ["科学技术处"], "co": ["教务处"]}
    assert not Assignment.objects.exists()
    assert "尚未发布" in report.notes[0]


def test_a_published_document_gets_the_new_units_at_once_and_unknown_rows_are_reported(
    admin_user, dept_a, dept_b, school_leader
):
    doc = PolicyDocumentFactory(title="关于加强实验室安全的通知")
    req = RequirementFactory(document=doc, label="（一）", text="明确实验室安全责任人。", deadline_date=None)
    data = _xlsx(
        [
            [1, DOC, "（一）", "明确实验室安全责任人。", "教务处", "", str(school_leader), "2026-07-15"],
            [2, DOC, "（九）", "表里有、文件里没有的任务。", "教务处", "", "", ""],
        ]
    )
    report = taskbook_import(data=data, by=admin_user)
    req.refresh_from_db()
    assert [a.department.name for a in req.assignments.all()] == ["教务处"]
    assert (req.school_leader, req.deadline_date) == (school_leader, dt.date(2026, 7, 15))
    assert req.assignments.get().due_date == dt.date(2026, 7, 15)
    assert report.rows[0].outcome == "已存在" and report.rows[0].problems == []
    assert report.rows[1].outcome == "跳过"
    assert "没有与该行对应的条款" in report.rows[1].problems[0]
    assert Requirement.objects.count() == 1  # nothing appended to the document


def test_the_administrator_may_name_the_document(admin_user, dept_a):
    doc = PolicyDocumentFactory(title="某文件")
    RequirementFactory(document=doc, label="1", path=["1"], text="任务甲。")
    data = _xlsx([[1, "", "1", "任务甲（表中措辞不同）。", "教务处", "", "", ""]])
    report = taskbook_import(data=data, by=admin_user, document=doc)
    assert report.requirements_matched == 1  # by its unique label
    assert Assignment.objects.get().department.name == "教务处"


def test_only_administrators_import_and_bad_files_are_refused(lead_a, admin_user):
    with pytest.raises(PermissionDeniedError):
        taskbook_import(data=_xlsx([]), by=lead_a)
    with pytest.raises(ServiceError, match="未找到表头"):
        taskbook_import(data=_xlsx([], headers=["甲", "乙"]), by=admin_user)
    assert not PolicyDocument.objects.exists()


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("关于加强实验室安全的通知", ("关于加强实验室安全的通知", "")),
        ("《关于加强实验室安全的通知》", ("关于加强实验室安全的通知", "")),
        ("关于加强实验室安全的通知（教技〔2026〕3号）", ("关于加强实验室安全的通知", "教技〔2026〕3号")),
    ],
)
def test_document_titles_are_read_without_quotes_and_numbers(printed, expected):
    assert document_title(printed) == expected


def test_units_in_one_cell_split_on_punctuation_and_line_breaks():
    data = _xlsx([[1, DOC, "1", "任务。", "教务处、学生处", "科技处\n财务处；人事处", "", ""]])
    (row,) = read_taskbook(data)
    assert row.lead_units == ["教务处", "学生处"] and row.co_units == ["科技处", "财务处", "人事处"]
