"""``manage.py send_reminders [--dry-run] [--now ISO-DATETIME]``."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from compliance.models import ReminderDelivery

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().splitlines()


def test_dry_run_prints_what_would_be_sent_and_writes_nothing(unit, make_assignment, lead_a, member_a, liaison):
    """Three tab-separated would-send lines, one per recipient, then a summary; no ledger row, no mail."""
    a = make_assignment(dt.date(2026, 6, 29), heading="修订人才培养方案")
    lines = run("--dry-run", "--now", "2026-06-25T09:00:00+08:00")
    body, summary = lines[:-1], lines[-1]
    assert len(body) == 3
    for line in body:
        outcome, channel, _recipient, kind, assignment_id, title = line.split("\t")
        assert (outcome, channel, kind, assignment_id) == ("would-send", "email", "before_7", str(a.pk))
        assert title.endswith("修订人才培养方案")
    assert {line.split("\t")[2] for line in body} == {f"{u.username} <{u.email}>" for u in (lead_a, member_a, liaison)}
    assert summary.startswith("# 2026-06-25T09:00:00+08:00 workday") and "would-send=3" in summary
    assert not ReminderDelivery.objects.exists() and not mail.outbox
    assert run("--dry-run", "--now", "2026-06-25T09:00:00+08:00") == lines  # stable output


def test_a_real_run_sends_and_prints_sent_lines_then_nothing_on_a_rerun(unit, make_assignment):
    """The first run sends three digests; the same run again sends nothing and prints no delivery line."""
    make_assignment(dt.date(2026, 6, 29))
    lines = run("--now", "2026-06-25T09:00:00+08:00")
    assert [line.split("\t")[0] for line in lines[:-1]] == ["sent"] * 3
    assert "digests=3" in lines[-1] and "sent=3" in lines[-1]
    assert len(mail.outbox) == 3
    again = run("--now", "2026-06-25T10:00:00+08:00")
    assert len(again) == 1 and "new=0" in again[0] and "sent=0" in again[0]
    assert len(mail.outbox) == 3


def test_on_a_holiday_nothing_new_is_sent(unit, make_assignment):
    """--now on Labour Day 2026: the summary says non-workday and no reminder is written."""
    make_assignment(dt.date(2026, 5, 8))
    lines = run("--now", "2026-05-01T09:00:00+08:00")
    assert lines == [lines[-1]] and "non-workday" in lines[-1]
    assert not ReminderDelivery.objects.exists()


def test_a_bad_now_is_refused_with_a_clear_message(db):
    with pytest.raises(CommandError, match="ISO"):
        run("--now", "tomorrow")
