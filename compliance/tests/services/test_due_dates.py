"""One service moves a due date: it records why, and the department hears about it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from compliance.models import Assignment, ExtensionRequest, Notification, PolicyDocument
from compliance.services import ConflictError, PermissionDeniedError, ServiceError
from compliance.services.assignments import assignment_due_date_change, extension_decide
from compliance.services.routing import requirements_bulk_update
from compliance.tests.factories import AssignmentFactory, RequirementFactory

pytestmark = pytest.mark.django_db

NEW_DATE = dt.date(2026, 9, 30)


def _notes(assignment: Assignment) -> list[Notification]:
    return list(Notification.objects.filter(assignment=assignment).order_by("id"))


def test_moving_a_due_date_records_the_reason_and_notifies_the_department(admin_user, lead_a, member_a, assignment_a):
    before = assignment_a.version
    changed = assignment_due_date_change(
        assignment=assignment_a, by=admin_user, due_date=NEW_DATE, reason="上级文件调整了完成时间"
    )
    assert changed.due_date == NEW_DATE and changed.version == before + 1
    last = assignment_a.history.order_by("-history_id").first()
    assert last.history_change_reason == "上级文件调整了完成时间"
    assert last.history_user == admin_user and last.due_date == NEW_DATE
    notes = _notes(assignment_a)
    assert {n.user for n in notes} == {lead_a, member_a}
    assert all(n.verb == "due_date_changed" for n in notes)
    assert "2026-06-30" in notes[0].message and "2026-09-30" in notes[0].message
    assert "上级文件调整了完成时间" in notes[0].message


def test_the_notification_is_written_in_the_site_language_whoever_acts(admin_user, lead_a, assignment_a):
    with translation.override("en"):
        assignment_due_date_change(assignment=assignment_a, by=admin_user, due_date=NEW_DATE, reason="调整")
    assert "完成时限" in _notes(assignment_a)[0].message


@pytest.mark.parametrize(
    ("who", "reason", "status", "error"),
    [
        ("lead", "调整", Assignment.Status.IN_PROGRESS, PermissionDeniedError),
        ("admin", "   ", Assignment.Status.IN_PROGRESS, ServiceError),
        ("admin", "调整", Assignment.Status.COMPLETED, ServiceError),
        ("admin", "调整", Assignment.Status.NOT_APPLICABLE, ServiceError),
    ],
)
def test_refused_changes_change_nothing(admin_user, lead_a, assignment_a, who, reason, status, error):
    """Only the office moves dates, always with a reason, and never on a closed item."""
    Assignment.objects.filter(pk=assignment_a.pk).update(status=status)
    assignment_a.refresh_from_db()
    with pytest.raises(error):
        assignment_due_date_change(
            assignment=assignment_a, by=admin_user if who == "admin" else lead_a, due_date=NEW_DATE, reason=reason
        )
    assignment_a.refresh_from_db()
    assert assignment_a.due_date == dt.date(2026, 6, 30) and _notes(assignment_a) == []


def test_a_stale_version_is_a_conflict(admin_user, lead_a, assignment_a):
    with pytest.raises(ConflictError):
        assignment_due_date_change(
            assignment=assignment_a,
            by=admin_user,
            due_date=NEW_DATE,
            reason="调整",
            expected_version=assignment_a.version + 5,
        )
    assignment_a.refresh_from_db()
    assert assignment_a.due_date == dt.date(2026, 6, 30)


def test_setting_the_same_date_changes_nothing_and_tells_nobody(admin_user, lead_a, assignment_a):
    version = assignment_a.version
    assignment_due_date_change(assignment=assignment_a, by=admin_user, due_date=assignment_a.due_date, reason="调整")
    assignment_a.refresh_from_db()
    assert assignment_a.version == version and _notes(assignment_a) == []


def test_bulk_deadline_on_a_published_document_goes_through_the_service(admin_user, lead_a, dept_a, dept_b):
    """Bulk routing used to write due dates silently; now every open item's department is told why."""
    req = RequirementFactory()
    assert req.document.status == PolicyDocument.Status.PUBLISHED
    open_item = AssignmentFactory(requirement=req, department=dept_a)
    closed = AssignmentFactory(requirement=req, department=dept_b, status=Assignment.Status.COMPLETED)
    outcome = requirements_bulk_update(
        document=req.document, requirement_ids=[req.pk], by=admin_user, deadline=NEW_DATE
    )
    assert outcome.changed == 1 and outcome.problems == []
    open_item.refresh_from_db()
    closed.refresh_from_db()
    assert open_item.due_date == NEW_DATE and closed.due_date == dt.date(2026, 6, 30)
    assert open_item.history.order_by("-history_id").first().history_change_reason == "督查办设定完成时限"
    notes = _notes(open_item)
    assert [n.user for n in notes] == [lead_a] and notes[0].verb == "due_date_changed"
    assert "督查办设定完成时限" in notes[0].message and _notes(closed) == []


def test_an_approved_extension_moves_the_date_once_with_one_notification(admin_user, lead_a, member_a, assignment_a):
    req = ExtensionRequest.objects.create(
        assignment=assignment_a,
        requested_by=member_a,
        reason="需等待上级批复",
        proposed_date=NEW_DATE,
        previous_due_date=assignment_a.due_date,
    )
    extension_decide(request=req, by=admin_user, approve=True, note="同意")
    assignment_a.refresh_from_db()
    assert assignment_a.due_date == NEW_DATE
    reason = assignment_a.history.order_by("-history_id").first().history_change_reason
    assert "同意延期申请" in reason and "需等待上级批复" in reason
    notes = _notes(assignment_a)
    assert len(notes) == 2  # one each for the lead and the member, not two each
    assert {n.verb for n in notes} == {"extension_decided"} and "2026-09-30" in notes[0].message


def test_a_refused_extension_keeps_the_date_and_says_why(admin_user, lead_a, member_a, assignment_a):
    req = ExtensionRequest.objects.create(
        assignment=assignment_a, requested_by=member_a, reason="材料未齐", proposed_date=NEW_DATE
    )
    extension_decide(request=req, by=admin_user, approve=False, note="请按期完成")
    assignment_a.refresh_from_db()
    assert assignment_a.due_date == dt.date(2026, 6, 30)
    assert {n.message for n in _notes(assignment_a)} == {"延期申请未同意：请按期完成"}


def test_an_extension_of_a_closed_item_is_refused_and_stays_pending(admin_user, member_a, assignment_a):
    req = ExtensionRequest.objects.create(
        assignment=assignment_a, requested_by=member_a, reason="材料未齐", proposed_date=NEW_DATE
    )
    Assignment.objects.filter(pk=assignment_a.pk).update(status=Assignment.Status.COMPLETED)
    with pytest.raises(ServiceError):
        extension_decide(request=req, by=admin_user, approve=True)
    req.refresh_from_db()
    assert req.status == ExtensionRequest.Status.PENDING
