"""Redis down: users can still mark items done and upload evidence; the e-mails follow once it is back."""

import datetime as dt
import logging

import pytest
import redis
import time_machine
from django.core import mail

from compliance.models import Assignment, Notification
from compliance.services.assignments import assignment_submit
from compliance.services.evidence import evidence_upload
from compliance.tests.views.conftest import PDF
from tasks.reminders import deliver_pending

from .conftest import at
from .services import PrivateRedis, celery_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_with_redis_up_the_status_change_email_is_queued(
    private_redis, lead_a, admin_user, assignment_a, django_capture_on_commit_callbacks
):
    """Sanity check of the set-up: with the broker reachable the e-mail task lands in Redis."""
    evidence_upload(assignment=assignment_a, by=lead_a, name="纪要.pdf", data=PDF)
    with celery_broker(private_redis.url), django_capture_on_commit_callbacks(execute=True):
        assignment_submit(assignment=assignment_a, by=lead_a)
    assert redis.Redis.from_url(private_redis.url).llen("notifications") == 1  # its own queue


def test_with_redis_down_submit_and_upload_succeed_and_only_a_warning_is_logged(
    private_redis, lead_a, admin_user, assignment_a, django_capture_on_commit_callbacks, caplog
):
    """Broker gone: evidence is stored, the item is submitted, the failed enqueue is a logged warning."""
    private_redis.stop()
    caplog.set_level(logging.WARNING)
    with time_machine.travel(at(dt.date(2026, 6, 25)), tick=True):
        with celery_broker(private_redis.url), django_capture_on_commit_callbacks(execute=True):
            evidence = evidence_upload(assignment=assignment_a, by=lead_a, name="纪要.pdf", data=PDF)
            submitted = assignment_submit(assignment=assignment_a, by=lead_a, note="已完成")
        assert evidence.pk and submitted.status == Assignment.Status.SUBMITTED
        assert any("Could not queue tasks.notifiers.send_notification_emails" in r.getMessage() for r in caplog.records)
        note = Notification.objects.get(user=admin_user, verb="submitted")
        assert note.emailed_at is None and not mail.outbox

    # Redis is back: the next delivery run (every 10 minutes) sweeps the e-mail out, once.
    with time_machine.travel(at(dt.date(2026, 6, 25)) + dt.timedelta(minutes=10), tick=False):
        deliver_pending()
        deliver_pending()
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    note.refresh_from_db()
    assert note.emailed_at is not None
