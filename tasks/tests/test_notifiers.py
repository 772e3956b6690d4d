"""Robots (WeCom, DingTalk) and status-change e-mails."""

import datetime as dt
import json
import smtplib

import pytest
import requests
import responses
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.db import OperationalError

from compliance.models import Notification, ReminderDelivery
from compliance.services.notifications import notify
from tasks import notifiers
from tasks.reminders import _claim, deliver_pending, scan

from .conftest import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 25)
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"
DING = "https://oapi.dingtalk.com/robot/send?access_token=t1"


@pytest.fixture
def robots(unit):
    unit.wecom_webhook = WECOM
    unit.dingtalk_webhook = DING
    unit.save()
    return unit


def robot_rows():
    return ReminderDelivery.objects.exclude(channel="email")


@responses.activate
def test_wecom_and_dingtalk_get_one_markdown_message_per_department(robots, make_assignment):
    """Two due items reach each robot as one markdown message with both links; errcode 0 marks them sent."""
    responses.post(WECOM, json={"errcode": 0, "errmsg": "ok"})
    responses.post(DING, json={"errcode": 0, "errmsg": "ok"})
    a = make_assignment(dt.date(2026, 6, 29), heading="修订人才培养方案")
    b = make_assignment(dt.date(2026, 6, 30), heading="建设一流本科专业")
    with time_machine.travel(at(DAY), tick=False):
        scan(now=at(DAY))
        deliver_pending(today=DAY)
    assert len(responses.calls) == 2
    bodies = {
        ("dingtalk" if "dingtalk" in c.request.url else "wecom"): json.loads(c.request.body) for c in responses.calls
    }
    wecom, ding = bodies["wecom"], bodies["dingtalk"]
    assert wecom["msgtype"] == "markdown"
    text = wecom["markdown"]["content"]
    assert "修订人才培养方案" in text and f"/assignments/{a.pk}/" in text and f"/assignments/{b.pk}/" in text
    assert ding["markdown"]["title"].startswith("督办提醒")
    assert "建设一流本科专业" in ding["markdown"]["text"]
    assert set(robot_rows().values_list("status", flat=True)) == {"sent"}


@responses.activate
def test_a_robot_errcode_is_a_permanent_failure_and_not_retried(robots, make_assignment):
    """errcode 93000 (invalid webhook) marks the rows failed with the error; later runs do not call again."""
    robots.dingtalk_webhook = ""
    robots.save()
    responses.post(WECOM, json={"errcode": 93000, "errmsg": "invalid webhook url"})
    make_assignment(dt.date(2026, 6, 29))
    with time_machine.travel(at(DAY), tick=False):
        scan(now=at(DAY))
        deliver_pending(today=DAY)
    with time_machine.travel(at(DAY, 12), tick=False):
        deliver_pending(today=DAY)
    assert len(responses.calls) == 1
    row = robot_rows().get()
    assert row.status == "failed" and "93000" in row.last_error and row.attempts == 1
    assert len(mail.outbox) == 3  # the e-mails are unaffected


@responses.activate
def test_a_network_error_leaves_the_robot_message_pending_for_the_next_run(robots, make_assignment):
    """A connection error is not a failure: the rows stay pending and the next run after the lease sends them."""
    robots.dingtalk_webhook = ""
    robots.save()
    responses.post(WECOM, body=requests.ConnectionError("connection refused"))
    make_assignment(dt.date(2026, 6, 29))
    with time_machine.travel(at(DAY), tick=False):
        scan(now=at(DAY))
        deliver_pending(today=DAY)
    row = robot_rows().get()
    assert row.status == "pending" and "ConnectionError" in row.last_error
    responses.replace(responses.POST, WECOM, json={"errcode": 0, "errmsg": "ok"})
    with time_machine.travel(at(DAY, 10), tick=False):
        deliver_pending(today=DAY)
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2


@responses.activate
def test_the_celery_robot_task_retries_network_errors_with_backoff(robots, make_assignment, settings):
    """In a worker the robot task retries a timeout itself (autoretry), then succeeds once."""
    robots.dingtalk_webhook = ""
    robots.save()
    responses.post(WECOM, body=requests.Timeout("read timed out"))
    responses.post(WECOM, json={"errcode": 0, "errmsg": "ok"})
    make_assignment(dt.date(2026, 6, 29))
    with time_machine.travel(at(DAY), tick=False):
        scan(now=at(DAY))
        token, rows = _claim(500)
        robot_ids = [r.pk for r in rows if r.channel == "wecom"]
        result = notifiers.send_robot_digest.apply(args=[robot_ids, token])
    assert result.get() == "sent"
    assert len(responses.calls) == 2
    assert notifiers.send_robot_digest.autoretry_for == notifiers.ROBOT_NETWORK_ERRORS
    assert notifiers.send_robot_digest.retry_backoff


@responses.activate
def test_the_celery_robot_task_does_not_retry_an_errcode(robots, make_assignment):
    """An errcode answer is final in the worker too: one call, rows failed."""
    robots.dingtalk_webhook = ""
    robots.save()
    responses.post(WECOM, json={"errcode": 45009, "errmsg": "api freq out of limit"})
    make_assignment(dt.date(2026, 6, 29))
    with time_machine.travel(at(DAY), tick=False):
        scan(now=at(DAY))
        token, rows = _claim(500)
        result = notifiers.send_robot_digest.apply(args=[[r.pk for r in rows if r.channel == "wecom"], token])
    assert result.get() == "failed"
    assert len(responses.calls) == 1


def test_status_change_notifications_are_emailed_and_marked(unit, lead_a, member_a, make_assignment):
    """The queued task e-mails each user their notifications once and records emailed_at."""
    a = make_assignment(dt.date(2026, 6, 29))
    notes = notify(
        users=[lead_a, member_a], verb="returned", message="“完善本科教学质量保障体系”被退回：材料不全", assignment=a
    )
    assert notifiers.send_notification_emails([n.pk for n in notes]) == 2
    [msg] = [m for m in mail.outbox if m.to == [lead_a.email]]
    assert "被退回" in msg.subject and f"/assignments/{a.pk}/" in msg.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert notifiers.send_notification_emails([n.pk for n in notes]) == 0
    assert len(mail.outbox) == 2


def test_notifications_the_broker_never_queued_are_swept_by_the_delivery_job(unit, lead_a):
    """A notification left un-e-mailed (broker down) goes out with the next delivery run, once."""
    with time_machine.travel(at(DAY, 9), tick=False):
        notify(users=[lead_a], verb="approved", message="“事项”已审核办结。")
    with time_machine.travel(at(DAY, 9) + dt.timedelta(seconds=30), tick=False):
        assert deliver_pending(today=DAY).notification_emails == 0  # too fresh: the queued task may still run
    with time_machine.travel(at(DAY, 9) + dt.timedelta(minutes=2), tick=False):
        assert deliver_pending(today=DAY).notification_emails == 1
        assert deliver_pending(today=DAY).notification_emails == 0
    assert len(mail.outbox) == 1


def test_status_change_emails_wait_while_smtp_is_down(unit, lead_a, settings):
    """SMTP down: the task asks to be retried, emailed_at stays empty, and a later try sends the e-mail."""
    notes = notify(users=[lead_a], verb="approved", message="“事项”已审核办结。")
    settings.EMAIL_BACKEND = "tasks.tests.test_delivery.SmtpDown"
    with pytest.raises(notifiers.NotificationEmailsPending):
        notifiers.send_notification_emails([n.pk for n in notes])
    assert Notification.objects.get().emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifiers.send_notification_emails([n.pk for n in notes]) == 1


class SmtpFailsTwice(locmem.EmailBackend):
    """A mail server that drops the first two connections, then accepts."""

    calls = 0

    def send_messages(self, messages):
        SmtpFailsTwice.calls += 1
        if SmtpFailsTwice.calls <= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class LockedOnce:
    """Stands in for notification_emails_send: the first call meets a locked SQLite file."""

    def __init__(self, real):
        self.real, self.calls = real, 0

    def __call__(self, **kwargs):
        self.calls += 1
        if self.calls == 1:
            raise OperationalError("database is locked")
        return self.real(**kwargs)


def test_notification_emails_are_retried_with_backoff_until_the_mail_server_takes_them(unit, lead_a, settings):
    """Two SMTP failures, then success: the task retries (backoff configured) and the mail goes out once."""
    assert notifiers.send_notification_emails.retry_backoff and notifiers.send_notification_emails.max_retries >= 5
    notes = notify(users=[lead_a], verb="approved", message="“事项”已审核办结。")
    settings.EMAIL_BACKEND = "tasks.tests.test_notifiers.SmtpFailsTwice"
    SmtpFailsTwice.calls = 0
    result = notifiers.send_notification_emails.apply(args=[[n.pk for n in notes]])
    assert result.successful() and result.result == 1
    assert SmtpFailsTwice.calls == 3 and len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None


def test_a_locked_database_is_retried_not_lost(unit, lead_a, monkeypatch):
    """ "database is locked" (SQLite under load) makes the task try again; the e-mail is sent once."""
    notes = notify(users=[lead_a], verb="approved", message="“事项”已审核办结。")
    stand_in = LockedOnce(notifiers.notification_emails_send)
    monkeypatch.setattr(notifiers, "notification_emails_send", stand_in)
    result = notifiers.send_notification_emails.apply(args=[[n.pk for n in notes]])
    assert result.successful() and stand_in.calls == 2 and len(mail.outbox) == 1
