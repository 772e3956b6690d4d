"""One change history for the item page and the 操作记录 sheet: sentences, not internal codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from compliance import selectors
from compliance.exports import build_audit_workbook
from compliance.models import Assignment, Requirement
from compliance.selectors_history import assignment_history, history_entries, reason_sentence
from compliance.services import assignments as svc
from compliance.services.evidence import evidence_upload
from compliance.tests.factories import AssignmentFactory, RequirementFactory

from .conftest import TODAY, load

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 evidence"


@pytest.fixture
def worked(frozen, admin_user, lead_a, dept_a, dept_b):
    """An item that went through the whole flow via the services, each step a day apart."""
    day = dt.date(2026, 4, 1)

    def step():
        nonlocal day
        day += dt.timedelta(days=1)
        frozen.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=dt.timezone(dt.timedelta(hours=8))))

    step()
    a = AssignmentFactory(department=dept_b, requirement=RequirementFactory(deadline_date=dt.date(2026, 5, 1)))
    step()
    a = svc.assignment_reassign(assignment=a, by=admin_user, department=dept_a)
    step()
    a = svc.assignment_update_progress(assignment=a, by=lead_a, percent=40, note="已起草方案")
    step()
    ext = svc.extension_request_create(
        assignment=a, by=lead_a, reason="等待上级批复", proposed_date=dt.date(2026, 6, 1)
    )
    step()
    svc.extension_decide(request=ext, by=admin_user, approve=True)
    step()
    evidence_upload(assignment=a, by=lead_a, name="方案.pdf", data=PDF)
    svc.comment_add(assignment=a, by=admin_user, text="请补充会议纪要")
    step()
    a = svc.assignment_submit(assignment=Assignment.objects.get(pk=a.pk), by=lead_a)
    step()
    svc.assignment_approve(assignment=a, by=admin_user)
    frozen.move_to(dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8))))
    return Assignment.objects.get(pk=a.pk)


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("submit", "提交审核"),
        ("approve", "审核通过，已办结"),
        ("routing", "督查办调整分派"),
        ("reassign 教务处 -> 财务处", "由 教务处 改派至 财务处"),
        ("extension approved to 2026-06-01", "同意延期申请，新时限 2026-06-01"),
        ("something new", "something new"),  # an unknown code stays readable as written
        (None, ""),
    ],
)
def test_reason_codes_read_as_sentences(code, sentence):
    assert reason_sentence(code) == sentence


def test_reason_sentences_follow_the_readers_language():
    with translation.override("en"):
        assert reason_sentence("submit") == "Submitted for review"
        assert reason_sentence("reassign 教务处 -> 财务处") == "Reassigned from 教务处 to 财务处"


def test_item_history_tells_the_whole_story_in_order(worked, lead_a, admin_user):
    """Reassignment, progress, extension, upload, comment, submit, approval: who, what, from, to, why."""
    entries = assignment_history(user=lead_a, assignment=worked)
    assert [e.when for e in entries] == sorted(e.when for e in entries)
    facts = {(e.who, e.subject, e.action, e.field, e.old, e.new, e.note) for e in entries}
    admin, lead = str(admin_user), str(lead_a)
    assert (admin, "任务", "修改", "部门", "科学技术处", "教务处", "由 科学技术处 改派至 教务处") in facts
    assert (lead, "任务", "修改", "状态", "未开始", "进行中", "更新进展") in facts
    (extension,) = [f for f in facts if f[3] == "完成时限"]
    assert extension[:6] == (admin, "任务", "修改", "完成时限", "2026-05-01", "2026-06-01")
    assert extension[6].startswith("同意延期申请")  # the service's reason, as a sentence
    assert (lead, "任务", "修改", "状态", "进行中", "已提交", "提交审核") in facts
    assert (admin, "任务", "修改", "状态", "已提交", "已办结", "审核通过，已办结") in facts
    assert (admin, "任务", "评论", "", "", "", "请补充会议纪要") in facts
    assert any(e.subject == "延期申请" and e.action == "申请延期" and "2026-06-01" in e.new for e in entries)
    assert any(e.subject == "延期申请" and e.field == "状态" and e.new == "已同意" for e in entries)
    assert any(
        e.subject == "佐证材料" and e.action == "上传" and "方案.pdf" in e.new and e.who == lead for e in entries
    )
    codes = ("submit", "approve", "progress", "reassign", "extension approved")
    assert not any(e.note.startswith(codes) for e in entries)


def test_item_page_and_sheet_show_the_same_entries(worked, admin_user):
    """The 操作记录 sheet lists exactly the entries the item page shows for that item."""
    page = [
        (e.who, e.subject, e.action, e.field, e.old, e.new, e.note)
        for e in selectors.assignment_history(user=admin_user, assignment=worked)
    ]
    ws = load(build_audit_workbook(as_of=TODAY))["操作记录"]
    sheet = [
        (r[2], r[3], r[4], r[8] or "", r[9] or "", r[10] or "", r[11] or "")
        for r in ws.iter_rows(min_row=4, values_only=True)
    ]
    assert sorted(page) == sorted(sheet)


def test_item_page_history_tab_shows_sentences_in_english(worked, client, lead_a):
    client.force_login(lead_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/assignments/{worked.pk}/?tab=history").content.decode()
    assert "Submitted for review" in page and "Reassigned from 科学技术处 to 教务处" in page
    assert ">submit<" not in page and "reassign 科学技术处" not in page


def test_no_history_for_someone_who_may_not_read_the_item(worked, lead_b):
    assert assignment_history(user=lead_b, assignment=worked) == []


def test_history_of_many_items_takes_the_same_queries_for_2_or_20(db, dept_a, admin_user):
    """The workbook reads the history of any number of items in a fixed number of queries."""

    def count_for(n: int) -> int:
        before = set(Requirement.objects.values_list("pk", flat=True))  # records are never deleted
        for _ in range(n):
            a = AssignmentFactory(department=dept_a)
            a.status = Assignment.Status.IN_PROGRESS
            a._history_user = admin_user
            a.save()
            svc.comment_add(assignment=a, by=admin_user, text="进展如何？")
        with CaptureQueriesContext(connection) as ctx:
            entries = list(history_entries(requirements=Requirement.objects.exclude(pk__in=before)))
        assert len([e for e in entries if e.field == "状态"]) == n
        return len(ctx.captured_queries)

    assert count_for(2) == count_for(20)


def test_a_table_longer_than_a_sheet_continues_on_further_sheets(worked, monkeypatch):
    """Excel holds 1,048,576 rows a sheet and 操作记录 at a million assignments has 1.8 million:
    the rows go on in 操作记录（2）, （3）…, each headed like the first, numbered on, none lost."""
    from compliance.exports import layout

    whole = load(build_audit_workbook(as_of=TODAY))
    rows = list(whole["操作记录"].iter_rows(min_row=4, values_only=True))
    assert len(rows) >= 3
    monkeypatch.setattr(layout, "EXCEL_MAX_ROWS", layout.HEADER_ROW + 2)  # two rows a sheet
    split = load(build_audit_workbook(as_of=TODAY))
    parts = [name for name in split.sheetnames if name.startswith("操作记录")]
    assert parts == ["操作记录"] + [f"操作记录（{n}）" for n in range(2, len(parts) + 1)]
    assert len(parts) == (len(rows) + 1) // 2
    again = [r for name in parts for r in split[name].iter_rows(min_row=4, values_only=True)]
    assert again == rows  # same rows, same order, numbered 1, 2, 3… across the sheets
    header = next(whole["操作记录"].iter_rows(min_row=3, max_row=3, values_only=True))
    for name in parts[1:]:
        assert next(split[name].iter_rows(min_row=3, max_row=3, values_only=True)) == header
        assert split[name]["A1"].value.endswith("（续）")
    # The continuations follow 操作记录 (the last of the five); the five keep their order.
    assert split.sheetnames == whole.sheetnames + parts[1:]
