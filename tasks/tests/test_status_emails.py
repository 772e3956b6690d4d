"""Status changes reach the right people by e-mail: submitted → administrators; returned, approved,
extension decided → the unit."""

import datetime as dt

import pytest
from django.core import mail

from compliance.models import ExtensionRequest
from compliance.services import assignments as svc
from compliance.services.evidence import evidence_upload
from compliance.tests.views.conftest import PDF
from tasks import notifiers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue_runs_inline(monkeypatch):
    """The queued e-mail task runs at once, as a worker would."""
    monkeypatch.setattr(notifiers.send_notification_emails, "delay", notifiers.send_notification_emails)


def recipients():
    return sorted(addr for m in mail.outbox for addr in m.to)


def test_submitted_goes_to_the_administrators_only(
    unit, lead_a, admin_user, assignment_a, django_capture_on_commit_callbacks
):
    evidence_upload(assignment=assignment_a, by=lead_a, name="纪要.pdf", data=PDF)
    with django_capture_on_commit_callbacks(execute=True):
        svc.assignment_submit(assignment=assignment_a, by=lead_a)
    assert recipients() == [admin_user.email]
    assert "请审核" in mail.outbox[0].subject


def test_returned_and_approved_go_to_the_unit(
    unit, lead_a, member_a, liaison, head_a, admin_user, assignment_a, django_capture_on_commit_callbacks
):
    """退回 and 办结 are e-mailed to the unit's members, liaison and head, not to the office."""
    evidence_upload(assignment=assignment_a, by=lead_a, name="纪要.pdf", data=PDF)
    with django_capture_on_commit_callbacks(execute=True):
        svc.assignment_submit(assignment=assignment_a, by=lead_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        svc.assignment_return(assignment=assignment_a, by=admin_user, reason="材料不全")
    unit_emails = sorted(u.email for u in (lead_a, member_a, liaison, head_a))
    assert recipients() == unit_emails and "被退回" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        svc.assignment_submit(assignment=assignment_a, by=lead_a)
        svc.assignment_approve(assignment=assignment_a, by=admin_user)
    assert sorted(m.to[0] for m in mail.outbox if "办结" in m.subject) == unit_emails


def test_an_extension_decision_goes_to_the_unit(
    unit, lead_a, admin_user, assignment_a, django_capture_on_commit_callbacks
):
    req = svc.extension_request_create(
        assignment=assignment_a,
        by=lead_a,
        reason="等待上级文件",
        proposed_date=assignment_a.due_date + dt.timedelta(days=30),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        svc.extension_decide(request=ExtensionRequest.objects.get(pk=req.pk), by=admin_user, approve=True)
    assert lead_a.email in recipients() and admin_user.email not in recipients()
    assert any("延期申请已同意" in m.subject for m in mail.outbox)
