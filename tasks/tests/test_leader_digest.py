"""The school leader's weekly digest goes through the reminder ledger: once a week, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from compliance.models import Assignment, Notification, ReminderDelivery
from compliance.services import assignments as svc
from tasks import leader_digest
from tasks.reminders import deliver_pending

from .conftest import at

pytestmark = pytest.mark.django_db
S = Assignment.Status
MONDAY = dt.date(2026, 6, 22)  # a working Monday


@pytest.fixture
def items(unit, make_assignment, lead_a):
    """教务处 (his department): one overdue, one returned, one with an extension request, one fine."""
    overdue = make_assignment(dt.date(2026, 6, 10), heading="完善课程思政体系", status=S.IN_PROGRESS)
    returned = make_assignment(dt.date(2026, 7, 30), heading="修订本科专业目录", status=S.RETURNED)
    asked = make_assignment(dt.date(2026, 7, 3), heading="建设智慧教室", status=S.IN_PROGRESS)
    make_assignment(dt.date(2026, 9, 1), heading="按计划推进的事项", status=S.IN_PROGRESS)
    with time_machine.travel(at(MONDAY, 7), tick=False):
        svc.extension_request_create(
            assignment=asked, by=lead_a, reason="设备到货延迟", proposed_date=dt.date(2026, 8, 31)
        )
    mail.outbox.clear()
    Notification.objects.all().delete()
    return overdue, returned, asked


def _run(moment: dt.datetime):
    with time_machine.travel(moment, tick=False):
        planned = leader_digest.plan(now=moment)
        report = deliver_pending(today=moment.date(), send_notifications=False)
    return planned, report


def test_the_weekly_digest_lists_overdue_returned_and_extension_items_in_one_email(items, school_leader):
    planned, _report = _run(at(MONDAY, 9))
    assert {(r.kind, r.assignment_id) for r in planned} == {
        ("weekly_overdue", items[0].pk),
        ("weekly_returned", items[1].pk),
        ("weekly_extension", items[2].pk),
    }
    digests = [m for m in mail.outbox if m.to == [school_leader.email]]
    assert len(digests) == 1
    body = digests[0].body
    assert "逾期 1" in digests[0].subject and "退回 1" in digests[0].subject and "延期申请 1" in digests[0].subject
    for heading in ("完善课程思政体系", "修订本科专业目录", "建设智慧教室"):
        assert heading in body
    assert "按计划推进的事项" not in body
    note = Notification.objects.get(user=school_leader, verb="leader_digest")
    assert "逾期 1 项" in note.message and note.emailed_at is not None
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_digest_waits_for_monday_morning_and_is_sent_once_a_week(items, school_leader):
    assert _run(at(MONDAY, 7))[0] == []  # before 8:00
    _run(at(MONDAY, 9))
    _run(at(MONDAY, 10))  # the hourly scan again
    _run(at(MONDAY + dt.timedelta(days=2), 9))  # later that week
    assert len([m for m in mail.outbox if m.to == [school_leader.email]]) == 1
    _run(at(MONDAY + dt.timedelta(days=7), 9))  # next week
    assert len([m for m in mail.outbox if m.to == [school_leader.email]]) == 2


def test_a_dry_run_plans_without_writing(items):
    moment = at(MONDAY, 9)
    with time_machine.travel(moment, tick=False):
        assert len(leader_digest.plan(now=moment, dry_run=True)) == 3
    assert not ReminderDelivery.objects.exists()


def test_an_item_closed_before_delivery_is_left_out(items, school_leader, admin_user):
    moment = at(MONDAY, 9)
    with time_machine.travel(moment, tick=False):
        leader_digest.plan(now=moment)
        items[0].status = S.COMPLETED
        items[0].save()
        deliver_pending(today=MONDAY, send_notifications=False)
    body = next(m.body for m in mail.outbox if m.to == [school_leader.email])
    assert "完善课程思政体系" not in body and "修订本科专业目录" in body
    assert ReminderDelivery.objects.get(assignment=items[0]).status == "skipped"


def test_a_leader_without_such_items_gets_no_digest(unit, make_assignment, school_leader):
    make_assignment(dt.date(2026, 9, 1), status=S.IN_PROGRESS)
    planned, _report = _run(at(MONDAY, 9))
    assert planned == [] and mail.outbox == []
