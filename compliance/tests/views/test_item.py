"""The item page: clause, other units, progress, evidence, submit, extension, history, conflicts."""

from __future__ import annotations

import hashlib

import pytest
from django.utils.html import escape

from compliance.models import Assignment, Evidence, ExtensionRequest, Notification
from compliance.tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    EvidenceFactory,
    MembershipFactory,
    UserFactory,
)

from .conftest import PDF, PNG, pdf

pytestmark = pytest.mark.django_db
S = Assignment.Status


def test_item_page_shows_clause_path_document_deadline_and_other_units(as_user, lead_a, assignment_a, dept_b):
    """The work tab shows the clause with its path and document and the deadline; the others tab the other units."""
    req = assignment_a.requirement
    co = AssignmentFactory(requirement=req, department=dept_b, role="co", progress=40, progress_note="已完成初稿")
    client = as_user(lead_a)
    page = client.get(f"/assignments/{assignment_a.pk}/").content.decode()
    assert req.text[:20] in page and escape(req.path_display) in page and req.document.title in page
    assert "2026-06-30" in page
    others = client.get(f"/assignments/{assignment_a.pk}/?tab=others").content.decode()
    assert "科学技术处" in others and "已完成初稿" in others and "40%" in others
    assert co.pk  # the co part exists; its evidence is never listed to the lead unit


def test_progress_update_is_saved_with_a_history_entry(as_user, member_a, assignment_a):
    """A member records 60 % with a note; the item moves to 进行中 and the history shows who changed what."""
    client = as_user(member_a)
    resp = client.post(
        f"/assignments/{assignment_a.pk}/progress/", {"percent": 60, "note": "已召开专题会", "version": 1}
    )
    assert resp.status_code == 302
    assignment_a.refresh_from_db()
    assert (assignment_a.progress, assignment_a.status, assignment_a.version) == (60, S.IN_PROGRESS, 2)
    history = client.get(f"/assignments/{assignment_a.pk}/?tab=history").content.decode()
    assert str(member_a) in history and "未开始" in history and "进行中" in history and "60" in history


def test_stale_version_gets_a_conflict_message_and_keeps_the_input(as_user, lead_a, member_a, assignment_a):
    """Two people edit the same item: the second is told about the conflict, nothing is overwritten, the note stays in the form."""
    as_user(lead_a).post(
        f"/assignments/{assignment_a.pk}/progress/", {"percent": 30, "note": "第一位的进展", "version": 1}
    )
    client = as_user(member_a)
    resp = client.post(
        f"/assignments/{assignment_a.pk}/progress/", {"percent": 90, "note": "第二位的进展", "version": 1}
    )
    assert resp.status_code == 409
    page = resp.content.decode()
    assert "编辑冲突" in page and "已被他人修改" in page
    assert "第二位的进展" in page  # the user's text is still in the form
    assignment_a.refresh_from_db()
    assert assignment_a.progress == 30 and assignment_a.progress_note == "第一位的进展"


def test_stale_submit_is_refused_too(as_user, lead_a, assignment_a):
    """Submitting a version someone has since changed is refused with the conflict message."""
    EvidenceFactory(assignment=assignment_a)
    assignment_a.version = 3
    assignment_a.save()
    resp = as_user(lead_a).post(f"/assignments/{assignment_a.pk}/submit/", {"version": 2, "note": "请审核"})
    assert resp.status_code == 409
    assignment_a.refresh_from_db()
    assert assignment_a.status == S.NOT_STARTED


def test_several_files_are_uploaded_with_sha256(as_user, member_a, assignment_a):
    """A member uploads two files at once; each is stored with its size and sha256 and listed on the page."""
    client = as_user(member_a)
    resp = client.post(
        f"/assignments/{assignment_a.pk}/evidence/",
        {"files": [pdf("方案.pdf"), pdf("照片.png", PNG)], "note": "会议材料"},
    )
    assert resp.status_code == 302
    stored = {e.original_name: e for e in Evidence.objects.filter(assignment=assignment_a)}
    assert set(stored) == {"方案.pdf", "照片.png"}
    assert stored["方案.pdf"].sha256 == hashlib.sha256(PDF).hexdigest()
    page = client.get(f"/assignments/{assignment_a.pk}/?tab=evidence").content.decode()
    assert hashlib.sha256(PDF).hexdigest() in page and "方案.pdf" in page


def test_a_file_whose_content_does_not_match_its_type_is_refused_and_nothing_is_stored(as_user, member_a, assignment_a):
    """An executable renamed to .pdf is refused by content; the good file sent with it is not stored either."""
    resp = as_user(member_a).post(
        f"/assignments/{assignment_a.pk}/evidence/",
        {"files": [pdf("好文件.pdf"), pdf("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 100)]},
    )
    assert resp.status_code == 400
    assert "内容与扩展名" in resp.content.decode()
    assert not Evidence.objects.exists()


def test_files_over_the_size_limit_are_refused(as_user, member_a, assignment_a, settings):
    """A file over DUBAN_MAX_UPLOAD_BYTES is refused with the limit in the message."""
    settings.DUBAN_MAX_UPLOAD_BYTES = 1024 * 1024
    big = pdf("大文件.pdf", PDF + b"0" * (1024 * 1024))
    resp = as_user(member_a).post(f"/assignments/{assignment_a.pk}/evidence/", {"files": [big]})
    assert resp.status_code == 400 and "超过大小上限" in resp.content.decode()
    assert not Evidence.objects.exists()


def test_members_upload_but_only_leads_submit(as_user, member_a, lead_a, assignment_a, admin_user):
    """A member cannot submit (no button, POST refused); the lead submits and the office is notified."""
    EvidenceFactory(assignment=assignment_a)
    client = as_user(member_a)
    assert "提交督查办审核" not in client.get(f"/assignments/{assignment_a.pk}/").content.decode()
    resp = client.post(f"/assignments/{assignment_a.pk}/submit/", {"version": 1})
    assert resp.status_code == 403
    assignment_a.refresh_from_db()
    assert assignment_a.status == S.NOT_STARTED
    resp = as_user(lead_a).post(f"/assignments/{assignment_a.pk}/submit/", {"version": 1, "note": "已全部完成"})
    assert resp.status_code == 302
    assignment_a.refresh_from_db()
    assert assignment_a.status == S.SUBMITTED
    assert Notification.objects.filter(user=admin_user, verb="submitted").exists()


def test_submit_without_evidence_is_refused_with_a_message(as_user, lead_a, assignment_a):
    """Submitting without any evidence is rejected and says why."""
    resp = as_user(lead_a).post(f"/assignments/{assignment_a.pk}/submit/", {"version": 1})
    assert resp.status_code == 400 and "请先上传至少一份佐证材料" in resp.content.decode()


def test_cooperating_unit_submits_to_the_lead_unit_which_may_return_it(client, dept_a, dept_b, lead_a, lead_b):
    """The co unit's submission notifies the lead unit; the lead unit sees it and can send it back."""
    lead_part = AssignmentFactory(department=dept_a, role="lead")
    co_part = AssignmentFactory(requirement=lead_part.requirement, department=dept_b, role="co")
    EvidenceFactory(assignment=co_part)
    client.force_login(lead_b)
    assert "提交至牵头单位" in client.get(f"/assignments/{co_part.pk}/").content.decode()
    client.post(f"/assignments/{co_part.pk}/submit/", {"version": 1, "note": "配合部分已完成"})
    co_part.refresh_from_db()
    assert co_part.status == S.SUBMITTED
    assert Notification.objects.filter(user=lead_a, verb="co_submitted").exists()
    client.force_login(lead_a)
    others = client.get(f"/assignments/{lead_part.pk}/?tab=others").content.decode()
    assert "配合部分已完成" in others and "退回配合单位" in others
    resp = client.post(f"/assignments/{co_part.pk}/return/", {"version": co_part.version, "reason": "请补充数据"})
    assert resp.status_code == 302
    co_part.refresh_from_db()
    assert co_part.status == S.RETURNED and co_part.return_reason == "请补充数据"


def test_extension_request_and_comment(as_user, member_a, assignment_a):
    """A unit asks for more time with a reason and a date, and comments; both appear on the page."""
    client = as_user(member_a)
    client.post(
        f"/assignments/{assignment_a.pk}/extension/", {"proposed_date": "2026-08-31", "reason": "需等待上级文件"}
    )
    req = ExtensionRequest.objects.get(assignment=assignment_a)
    assert req.status == "pending" and str(req.proposed_date) == "2026-08-31"
    client.post(f"/assignments/{assignment_a.pk}/comment/", {"text": "已与财务处沟通"})
    page = client.get(f"/assignments/{assignment_a.pk}/").content.decode()
    assert "需等待上级文件" in page and "已与财务处沟通" in page


def test_extension_date_must_be_later_than_the_deadline(as_user, member_a, assignment_a):
    """An extension to a date before the current deadline is refused with the current deadline in the message."""
    resp = as_user(member_a).post(
        f"/assignments/{assignment_a.pk}/extension/", {"proposed_date": "2026-05-01", "reason": "x"}
    )
    assert resp.status_code == 400 and "2026-06-30" in resp.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_reassign_keeps_both_departments_in_the_history(as_user, admin_user, assignment_a, dept_b):
    """The office moves an item to another department; the history shows from which to which, by whom."""
    client = as_user(admin_user)
    assert client.get(f"/assignments/{assignment_a.pk}/reassign/").status_code == 200
    resp = client.post(f"/assignments/{assignment_a.pk}/reassign/", {"department": dept_b.pk, "version": 1})
    assert resp.status_code == 302
    assignment_a.refresh_from_db()
    assert assignment_a.department == dept_b
    history = client.get(f"/assignments/{assignment_a.pk}/?tab=history").content.decode()
    assert "教务处" in history and "科学技术处" in history and str(admin_user) in history


def test_reassign_with_a_stale_version_is_a_conflict(as_user, admin_user, assignment_a, dept_b):
    """Reassigning an item someone changed meanwhile is refused, and the department stays."""
    resp = as_user(admin_user).post(
        f"/assignments/{assignment_a.pk}/reassign/", {"department": dept_b.pk, "version": 7}
    )
    assert resp.status_code == 409 and "已被他人修改" in resp.content.decode()
    assignment_a.refresh_from_db()
    assert assignment_a.department.name == "教务处"


def test_a_school_leader_reads_overseen_items_but_cannot_change_them(as_user, school_leader, assignment_a):
    """A school leader may comment, write 批示 and urge, but not change progress; a progress POST is refused."""
    client = as_user(school_leader)
    page = client.get(f"/assignments/{assignment_a.pk}/").content.decode()
    assert "保存进展" not in page and "发出批示" in page and "发表评论" in page
    assert client.post(f"/assignments/{assignment_a.pk}/progress/", {"percent": 10, "version": 1}).status_code == 403


def test_member_of_two_departments_sees_department_column(as_user, dept_a):
    """Someone in two departments sees which department each item belongs to."""
    other = DepartmentFactory(name="研究生院")
    user = UserFactory(username="t_two")
    MembershipFactory(user=user, department=dept_a)
    MembershipFactory(user=user, department=other)
    AssignmentFactory(department=other)
    page = as_user(user).get("/tasks/").content.decode()
    assert "研究生院" in page
