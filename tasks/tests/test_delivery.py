"""Delivery: one digest per recipient per run, sent once; failures stay pending and are retried."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from compliance.models import Assignment, Notification, ReminderDelivery
from compliance.tests.factories import DepartmentFactory, MembershipFactory
from tasks.reminders import _claim, deliver_pending, scan

from .conftest import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 25)  # Thursday, a working day
D = ReminderDelivery


def run(day=DAY, hour=9, **kw):
    """Scan and deliver with the clock at ``day``, as the hourly task does."""
    with time_machine.travel(at(day, hour), tick=False):
        scan(now=at(day, hour))
        return deliver_pending(today=day, **kw)


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_one_digest_per_recipient_grouped_by_department_and_sorted_by_urgency(unit, make_assignment, lead_a):
    """Three due items in two departments reach a person who belongs to both as ONE e-mail, most urgent first."""
    other = DepartmentFactory(name="研究生院")
    MembershipFactory(user=lead_a, department=other, role="member")
    soon = make_assignment(dt.date(2026, 6, 29), heading="修订人才培养方案")
    late = make_assignment(dt.date(2026, 6, 22), heading="建设一流本科专业")
    grad = make_assignment(dt.date(2026, 7, 2), heading="研究生导师培训", department=other)
    run()
    [msg] = to(lead_a)
    assert "3 项事项需要关注" in msg.subject and "1 项已逾期" in msg.subject
    body = msg.body
    assert body.index("建设一流本科专业") < body.index("修订人才培养方案") < body.index("研究生导师培训")
    assert body.index("【教务处】") < body.index("【研究生院】")
    assert "已逾期 3 天" in body and "还剩 4 天" in body
    for a in (soon, late, grad):
        assert f"https://duban.example.edu.cn/assignments/{a.pk}/" in body
    html, mime = msg.alternatives[0]
    assert mime == "text/html"
    assert "<table" in html and f'href="https://duban.example.edu.cn/assignments/{late.pk}/"' in html


def test_rerunning_the_scan_and_delivery_sends_nothing_twice(unit, make_assignment, lead_a):
    """Hourly runs on the same day after the first send add no e-mail."""
    make_assignment(dt.date(2026, 6, 29))
    run(hour=9)
    first = len(mail.outbox)
    assert first == 3  # the lead, the member and the liaison; nobody else before the deadline
    run(hour=10)
    run(hour=11)
    assert len(mail.outbox) == first
    assert set(D.objects.values_list("status", flat=True)) == {"sent"}


def test_every_recipient_gets_an_in_app_copy_already_marked_emailed(unit, make_assignment, member_a):
    """The reminder shows in the member's notification list, and is not e-mailed a second time."""
    a = make_assignment(dt.date(2026, 6, 29))
    run()
    note = Notification.objects.get(user=member_a, assignment=a)
    assert note.verb == "reminder" and "还剩 4 天" in note.message
    assert note.emailed_at is not None


def test_a_person_without_an_email_address_gets_the_in_app_notification(unit, make_assignment, member_a):
    """No address: the ledger row counts as delivered through the in-app list."""
    member_a.email = ""
    member_a.save()
    a = make_assignment(dt.date(2026, 6, 29))
    run()
    assert not to(member_a)
    assert D.objects.get(user=member_a).status == "sent"
    assert Notification.objects.filter(user=member_a, assignment=a, verb="reminder").exists()


def test_the_digest_flags_a_deadline_on_a_holiday(unit, make_assignment, lead_a):
    """Due on Labour Day: the e-mail says the deadline falls on 劳动节."""
    make_assignment(dt.date(2026, 5, 1))
    run(day=dt.date(2026, 4, 28))
    [msg] = to(lead_a)
    assert "截止日为劳动节" in msg.body
    assert "劳动节" in msg.alternatives[0][0]


def test_escalation_names_the_escalation_in_the_head_digest(unit, make_assignment, head_a, school_leader, admin_user):
    """The head and, later, the school leader and administrators learn the item is escalated to them."""
    make_assignment(dt.date(2026, 6, 30))
    run(day=dt.date(2026, 7, 3))
    [head_msg] = to(head_a)
    assert "已提请部门负责人督办" in head_msg.body
    assert not to(school_leader)
    run(day=dt.date(2026, 7, 14))
    assert "已提请分管校领导和督查办督办" in to(school_leader)[0].body
    assert to(admin_user)


class SmtpDown(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_smtp_down_leaves_deliveries_pending_and_they_go_out_once_it_is_back(settings, unit, make_assignment, lead_a):
    """With SMTP down nothing is marked sent; after the lease the next run sends each digest once."""
    make_assignment(dt.date(2026, 6, 29))
    settings.EMAIL_BACKEND = "tasks.tests.test_delivery.SmtpDown"
    report = run(hour=9)
    assert report.count("sent") == 0 and report.count("pending") == 3
    assert set(D.objects.values_list("status", "attempts")) == {("pending", 1)}
    assert "SMTPServerDisconnected" in D.objects.first().last_error
    assert not Notification.objects.filter(verb="reminder").exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(hour=9, send_notifications=False)  # same minute: the failed rows wait for their lease
    assert len(mail.outbox) == 0
    run(hour=10)
    assert len(to(lead_a)) == 1 and len(mail.outbox) == 3
    assert set(D.objects.values_list("status", "attempts")) == {("sent", 2)}
    run(hour=11)
    assert len(mail.outbox) == 3


def test_a_worker_killed_after_claiming_loses_nothing(unit, make_assignment, lead_a):
    """Rows claimed by a worker that died are delivered by a later run once the lease expires."""
    make_assignment(dt.date(2026, 6, 29))
    with time_machine.travel(at(DAY, 9), tick=False):
        scan(now=at(DAY, 9))
        _token, claimed = _claim(500)  # the worker dies here, before sending
        assert len(claimed) == 3
        deliver_pending(today=DAY)
    assert len(mail.outbox) == 0  # still leased to the dead worker
    with time_machine.travel(at(DAY, 9) + dt.timedelta(minutes=10), tick=False):
        deliver_pending(today=DAY)
    assert len(to(lead_a)) == 1 and len(mail.outbox) == 3


def test_an_item_closed_before_delivery_is_not_reminded(unit, make_assignment):
    """Rows of an item submitted between scan and delivery are skipped, not sent."""
    a = make_assignment(dt.date(2026, 6, 29))
    with time_machine.travel(at(DAY, 9), tick=False):
        scan(now=at(DAY, 9))
        Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.SUBMITTED)
        report = deliver_pending(today=DAY)
    assert report.count("skipped") == 3
    assert len(mail.outbox) == 0
    assert set(D.objects.values_list("status", flat=True)) == {"skipped"}


def test_delivery_queries_do_not_grow_with_the_number_of_items(django_assert_max_num_queries, unit, make_assignment):
    """One digest per person however many items: the query count is the same for 2 items and for 20."""
    for i in range(20):
        make_assignment(dt.date(2026, 6, 29), heading=f"事项{i}")
    with time_machine.travel(at(DAY, 9), tick=False):
        scan(now=at(DAY, 9))
        with django_assert_max_num_queries(40):
            deliver_pending(today=DAY, send_notifications=False)
    assert len(mail.outbox) == 3
