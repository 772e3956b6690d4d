"""Review queue: approve, return with a reason, extension decisions; auditors read only."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance.models import Assignment, ExtensionRequest
from compliance.tests.factories import AssignmentFactory, EvidenceFactory

pytestmark = pytest.mark.django_db
S = Assignment.Status


@pytest.fixture
def submitted(dept_a, dept_b):
    lead = AssignmentFactory(department=dept_a, status=S.SUBMITTED, progress_note="已完成方案修订")
    co = AssignmentFactory(requirement=lead.requirement, department=dept_b, role="co", status=S.SUBMITTED)
    EvidenceFactory(assignment=lead)
    return lead, co


def test_queue_lists_submitted_items_and_approval_closes_them_with_their_co_parts(as_user, admin_user, submitted):
    """The office sees the submitted item and approves it: lead and submitted co part become 已办结."""
    lead, co = submitted
    client = as_user(admin_user)
    page = client.get("/review/").content.decode()
    assert "已完成方案修订" in page and "通过" in page
    resp = client.post(f"/assignments/{lead.pk}/approve/", {"version": lead.version, "next": "/review/"})
    assert resp.status_code == 302 and resp["Location"] == "/review/"
    lead.refresh_from_db()
    co.refresh_from_db()
    assert lead.status == S.COMPLETED and co.status == S.COMPLETED
    assert "已完成方案修订" not in client.get("/review/").content.decode()


def test_return_needs_a_reason_and_is_shown_to_the_unit(as_user, admin_user, lead_a, submitted):
    """Returning without a reason is refused; with one the item is 已退回 and the unit sees why."""
    lead, _ = submitted
    client = as_user(admin_user)
    resp = client.post(f"/assignments/{lead.pk}/return/", {"version": lead.version, "reason": ""})
    assert resp.status_code == 400
    client.post(f"/assignments/{lead.pk}/return/", {"version": lead.version, "reason": "佐证材料不完整"})
    lead.refresh_from_db()
    assert lead.status == S.RETURNED
    page = as_user(lead_a).get(f"/assignments/{lead.pk}/").content.decode()
    assert "佐证材料不完整" in page and "已退回" in page


def test_approving_twice_is_a_conflict_not_a_second_approval(as_user, admin_user, submitted):
    """Two administrators approve the same item: the second one is told it changed meanwhile."""
    lead, _ = submitted
    client = as_user(admin_user)
    version = lead.version
    client.post(f"/assignments/{lead.pk}/approve/", {"version": version})
    resp = client.post(f"/assignments/{lead.pk}/approve/", {"version": version})
    assert resp.status_code == 409 and "已被他人修改" in resp.content.decode()


def test_extension_approval_moves_the_deadline(as_user, admin_user, assignment_a, member_a):
    """Approving a 延期申请 sets the new due date; refusing keeps the old one."""
    req = ExtensionRequest.objects.create(
        assignment=assignment_a,
        requested_by=member_a,
        reason="等待批复",
        proposed_date=dt.date(2026, 9, 30),
        previous_due_date=assignment_a.due_date,
    )
    client = as_user(admin_user)
    assert "等待批复" in client.get("/review/").content.decode()
    client.post(f"/review/extensions/{req.pk}/decide/", {"decision": "approve", "note": "同意"})
    assignment_a.refresh_from_db()
    req.refresh_from_db()
    assert assignment_a.due_date == dt.date(2026, 9, 30) and req.status == "approved"


def test_extension_refusal_keeps_the_deadline(as_user, admin_user, assignment_b, lead_b):
    """A refused extension leaves the due date alone."""
    req = ExtensionRequest.objects.create(
        assignment=assignment_b,
        requested_by=lead_b,
        reason="x",
        proposed_date=dt.date(2026, 9, 30),
        previous_due_date=assignment_b.due_date,
    )
    as_user(admin_user).post(f"/review/extensions/{req.pk}/decide/", {"decision": "reject", "note": "时限不变"})
    assignment_b.refresh_from_db()
    req.refresh_from_db()
    assert assignment_b.due_date == dt.date(2026, 6, 30) and req.status == "rejected"


def test_auditor_reads_the_queue_without_buttons_and_cannot_decide(as_user, auditor, submitted, assignment_a, member_a):
    """An auditor sees what waits for review but has no buttons; approve, return and decide are refused."""
    lead, _ = submitted
    req = ExtensionRequest.objects.create(
        assignment=assignment_a, requested_by=member_a, reason="r", proposed_date=dt.date(2026, 9, 30)
    )
    client = as_user(auditor)
    page = client.get("/review/").content.decode()
    assert "已完成方案修订" in page and "只读" in page and 'name="decision"' not in page
    assert client.post(f"/assignments/{lead.pk}/approve/", {"version": lead.version}).status_code == 403
    assert client.post(f"/assignments/{lead.pk}/return/", {"version": lead.version, "reason": "x"}).status_code == 404
    assert client.post(f"/review/extensions/{req.pk}/decide/", {"decision": "approve"}).status_code == 403
    lead.refresh_from_db()
    req.refresh_from_db()
    assert lead.status == S.SUBMITTED and req.status == "pending"


def test_leads_cannot_open_the_review_queue(as_user, lead_a):
    """The review queue is the office's page."""
    assert as_user(lead_a).get("/review/").status_code == 403
