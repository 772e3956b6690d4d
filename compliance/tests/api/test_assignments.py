"""Assignments through the API: filters, the whole life of an item, stale versions, evidence."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import Assignment, ExtensionRequest
from compliance.tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    PolicyDocumentFactory,
    RequirementFactory,
)

from .conftest import assert_error, token_client

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 10)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return sorted(row["id"] for row in response.json()["results"])


@pytest.fixture
def spread(dept_a, dept_b):
    """Assignments of both departments at different dates, statuses, roles and documents."""
    doc = PolicyDocumentFactory()
    other_doc = PolicyDocumentFactory()

    def make(dept, due, status="not_started", role="lead", document=doc):
        return AssignmentFactory(
            department=dept,
            due_date=due,
            status=status,
            role=role,
            requirement=RequirementFactory(document=document),
        )

    return {
        "overdue": make(dept_a, dt.date(2026, 5, 1)),
        "soon": make(dept_a, dt.date(2026, 5, 14), status="in_progress"),
        "later": make(dept_a, dt.date(2026, 9, 1), role="co"),
        "done": make(dept_a, dt.date(2026, 4, 1), status="completed", document=other_doc),
        "returned_b": make(dept_b, dt.date(2026, 5, 12), status="returned"),
        "doc": doc,
    }


@time_machine.travel(TODAY)
def test_list_filters_by_department_status_document_due_window_overdue_and_role(admin_user, spread, dept_a, dept_b):
    """Each filter narrows the administrator's list the way the pages' filters do."""
    c = token_client(admin_user)
    s = spread
    assert _ids(c.get(f"/api/assignments/?department={dept_b.pk}")) == [s["returned_b"].pk]
    assert _ids(c.get("/api/assignments/?status=in_progress&status=returned")) == sorted(
        [s["soon"].pk, s["returned_b"].pk]
    )
    assert _ids(c.get(f"/api/assignments/?document={s['doc'].pk}")) == sorted(
        a.pk for k, a in s.items() if k not in ("done", "doc")
    )
    assert _ids(c.get("/api/assignments/?due_after=2026-05-10&due_before=2026-05-31")) == sorted(
        [s["soon"].pk, s["returned_b"].pk]
    )
    assert _ids(c.get("/api/assignments/?due_within=7")) == sorted([s["soon"].pk, s["returned_b"].pk])
    assert _ids(c.get("/api/assignments/?overdue=true")) == [s["overdue"].pk]
    assert s["overdue"].pk not in _ids(c.get("/api/assignments/?overdue=false"))
    assert _ids(c.get("/api/assignments/?role=co")) == [s["later"].pk]


@time_machine.travel(TODAY)
def test_list_is_scoped_to_the_users_departments(lead_a, lead_b, school_leader, auditor, spread):
    """Leads see their own department's items only; the school leader the overseen ones; auditors all."""
    own = sorted(a.pk for k, a in spread.items() if k not in ("returned_b", "doc"))
    assert _ids(token_client(lead_a).get("/api/assignments/")) == own
    assert _ids(token_client(lead_b).get("/api/assignments/")) == [spread["returned_b"].pk]
    assert _ids(token_client(school_leader).get("/api/assignments/")) == own
    assert len(_ids(token_client(auditor).get("/api/assignments/"))) == 5


@time_machine.travel(TODAY)
def test_rows_carry_the_warning_level_and_version(lead_a, spread):
    rows = {r["id"]: r for r in token_client(lead_a).get("/api/assignments/").json()["results"]}
    assert rows[spread["overdue"].pk]["warning"] == "overdue"
    assert rows[spread["soon"].pk]["warning"] == "due_soon"
    assert rows[spread["later"].pk]["warning"] == "normal"
    assert rows[spread["done"].pk]["warning"] == "done"
    assert rows[spread["overdue"].pk]["version"] == 1
    assert rows[spread["overdue"].pk]["department"]["name"] == "教务处"


def test_an_item_goes_from_start_to_completed_through_the_api(lead_a, member_a, admin_user, assignment_a):
    """Member starts and reports, uploads evidence; the lead submits; the office approves."""
    member, lead, office = token_client(member_a), token_client(lead_a), token_client(admin_user)
    url = f"/api/assignments/{assignment_a.pk}"

    started = member.post(f"{url}/start/", {"version": 1}, format="json").json()
    assert (started["status"], started["version"]) == ("in_progress", 2)

    reported = member.post(f"{url}/progress/", {"version": 2, "percent": 60, "note": "已完成初稿"}, format="json")
    assert reported.json()["progress"] == 60 and reported.json()["progress_note"] == "已完成初稿"

    data = "工作总结：已完成。".encode()
    upload = member.post(
        f"{url}/evidence/", {"file": SimpleUploadedFile("总结.txt", data), "note": "总结"}, format="multipart"
    )
    assert upload.status_code == 201
    assert upload.json()["sha256"] == hashlib.sha256(data).hexdigest()
    assert upload.json()["original_name"] == "总结.txt"

    refused = member.post(f"{url}/submit/", {"version": 3}, format="json")
    assert_error(refused, 403, "permission_denied")

    submitted = lead.post(f"{url}/submit/", {"version": 3, "note": "请审核"}, format="json").json()
    assert submitted["status"] == "submitted"

    approved = office.post(f"{url}/approve/", {"version": 4, "note": "同意"}, format="json").json()
    assert approved["status"] == "completed"
    assignment_a.refresh_from_db()
    assert assignment_a.status == Assignment.Status.COMPLETED and assignment_a.completed_by == admin_user


def test_the_office_returns_a_submission_with_a_reason(admin_user, assignment_a):
    EvidenceFactory(assignment=assignment_a)
    Assignment.objects.filter(pk=assignment_a.pk).update(status="submitted")
    resp = token_client(admin_user).post(
        f"/api/assignments/{assignment_a.pk}/return/", {"version": 1, "reason": "缺少会议纪要"}, format="json"
    )
    assert resp.status_code == 200
    assert (resp.json()["status"], resp.json()["return_reason"]) == ("returned", "缺少会议纪要")


def test_a_stale_version_is_409_with_the_current_version_and_changes_nothing(member_a, lead_a, assignment_a):
    """Two people edit at once: the second gets 409 and its input is not saved."""
    first, second = token_client(member_a), token_client(lead_a)
    assert (
        first.post(
            f"/api/assignments/{assignment_a.pk}/progress/", {"version": 1, "percent": 30}, format="json"
        ).status_code
        == 200
    )
    resp = second.post(
        f"/api/assignments/{assignment_a.pk}/progress/", {"version": 1, "percent": 90, "note": "覆盖"}, format="json"
    )
    error = assert_error(resp, 409, "conflict")
    assert error["details"] == {"current_version": 2}
    assignment_a.refresh_from_db()
    assert (assignment_a.progress, assignment_a.version) == (30, 2)


def test_a_business_rule_refusal_is_400_rule_violation(lead_a, assignment_a):
    """Submitting without evidence is refused with the service's message."""
    resp = token_client(lead_a).post(f"/api/assignments/{assignment_a.pk}/submit/", {"version": 1}, format="json")
    error = assert_error(resp, 400, "rule_violation")
    assert "佐证材料" in error["message"]


def test_an_evidence_file_whose_content_does_not_match_its_extension_is_refused(member_a, assignment_a):
    resp = token_client(member_a).post(
        f"/api/assignments/{assignment_a.pk}/evidence/",
        {"file": SimpleUploadedFile("报告.pdf", b"not a pdf at all")},
        format="multipart",
    )
    assert_error(resp, 400, "rule_violation")
    assert not assignment_a.evidence.exists()


def test_evidence_is_listed_and_downloaded_with_its_original_name(lead_a, assignment_a):
    ev = EvidenceFactory(assignment=assignment_a)
    client = token_client(lead_a)
    listed = client.get(f"/api/assignments/{assignment_a.pk}/evidence/").json()["results"]
    assert [row["id"] for row in listed] == [ev.pk]
    resp = client.get(listed[0]["download_url"])
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in resp["Content-Disposition"]
    assert resp["X-Content-Type-Options"] == "nosniff"


def test_a_lead_of_another_department_can_neither_read_change_nor_download(lead_b, assignment_a):
    """Every way in to another department's item answers 404, as for an id that does not exist."""
    ev = EvidenceFactory(assignment=assignment_a)
    client = token_client(lead_b)
    a = assignment_a.pk
    attempts = [
        client.get(f"/api/assignments/{a}/"),
        client.get(f"/api/assignments/{a}/evidence/"),
        client.get(f"/api/evidence/{ev.pk}/"),
        client.get(f"/api/evidence/{ev.pk}/download/"),
        client.get(f"/api/assignments/{a}/comments/"),
        client.post(f"/api/assignments/{a}/start/", {"version": 1}, format="json"),
        client.post(f"/api/assignments/{a}/progress/", {"version": 1, "percent": 10}, format="json"),
        client.post(f"/api/assignments/{a}/evidence/", {"file": SimpleUploadedFile("a.txt", b"x")}, format="multipart"),
        client.post(f"/api/assignments/{a}/comments/", {"text": "hi"}, format="json"),
    ]
    unknown = client.get("/api/assignments/999999/")
    for resp in attempts:
        assert_error(resp, 404, "not_found")
        assert resp.json() == unknown.json()
    assert a not in _ids(client.get("/api/assignments/"))
    assignment_a.refresh_from_db()
    assert (assignment_a.status, assignment_a.version, assignment_a.evidence.count()) == ("not_started", 1, 1)


def test_comments_are_added_and_listed_in_order(member_a, admin_user, assignment_a):
    token_client(member_a).post(f"/api/assignments/{assignment_a.pk}/comments/", {"text": "第一条"}, format="json")
    token_client(admin_user).post(f"/api/assignments/{assignment_a.pk}/comments/", {"text": "第二条"}, format="json")
    rows = token_client(member_a).get(f"/api/assignments/{assignment_a.pk}/comments/").json()["results"]
    assert [r["text"] for r in rows] == ["第一条", "第二条"]
    assert rows[1]["author"]["id"] == admin_user.pk


def test_an_extension_is_requested_then_approved_and_moves_the_due_date(member_a, admin_user, assignment_a):
    proposed = assignment_a.due_date + dt.timedelta(days=30)
    created = token_client(member_a).post(
        f"/api/assignments/{assignment_a.pk}/extension-requests/",
        {"reason": "等待上级批复", "proposed_date": proposed.isoformat()},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pending = token_client(admin_user).get("/api/extension-requests/?status=pending").json()["results"]
    assert [r["id"] for r in pending] == [created.json()["id"]]
    decided = token_client(admin_user).post(
        f"/api/extension-requests/{created.json()['id']}/decide/", {"approve": True, "note": "同意"}, format="json"
    )
    assert decided.json()["status"] == "approved"
    assignment_a.refresh_from_db()
    assert assignment_a.due_date == proposed
    again = token_client(admin_user).post(
        f"/api/extension-requests/{created.json()['id']}/decide/", {"approve": False}, format="json"
    )
    assert_error(again, 400, "rule_violation")
    assert ExtensionRequest.objects.get().status == "approved"


def test_reassigning_moves_the_item_out_of_the_old_departments_sight(admin_user, lead_a, lead_b, assignment_a, dept_b):
    resp = token_client(admin_user).post(
        f"/api/assignments/{assignment_a.pk}/reassign/", {"version": 1, "department": dept_b.pk}, format="json"
    )
    assert resp.json()["department"]["id"] == dept_b.pk
    assert_error(token_client(lead_a).get(f"/api/assignments/{assignment_a.pk}/"), 404)
    assert token_client(lead_b).get(f"/api/assignments/{assignment_a.pk}/").status_code == 200


def test_notifications_are_the_users_own_and_can_be_marked_read(lead_a, member_a, admin_user, assignment_a):
    """Approving notifies the department; each person sees and marks only their own."""
    EvidenceFactory(assignment=assignment_a)
    Assignment.objects.filter(pk=assignment_a.pk).update(status="submitted")
    token_client(admin_user).post(f"/api/assignments/{assignment_a.pk}/approve/", {"version": 1}, format="json")
    lead = token_client(lead_a)
    unread = lead.get("/api/notifications/?unread=true").json()["results"]
    assert len(unread) == 1 and unread[0]["verb"] == "approved"
    assert_error(token_client(member_a).post(f"/api/notifications/{unread[0]['id']}/read/"), 404)
    marked = lead.post(f"/api/notifications/{unread[0]['id']}/read/").json()
    assert marked["read_at"] is not None
    assert lead.get("/api/notifications/?unread=true").json()["count"] == 0
