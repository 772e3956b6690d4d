"""Report reminders go through the ledger: once per (report, reminder, person), caught up after downtime."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from compliance.models import Notification, ProgressReport, ReminderDelivery
from compliance.services.reports import report_save, round_close, round_open
from compliance.tests.factories import AssignmentFactory
from tasks.reminders import deliver_pending
from tasks.report_reminders import deliver_report_reminders, report_reminder_due, report_rounds, scan_report_reminders

from .conftest import at

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 6, 10)  # a Wednesday


@pytest.fixture(autouse=True)
def _report_settings(settings):
    settings.DUBAN_REPORT_REMIND_DAYS_BEFORE = [3, 1]


@pytest.fixture
def rnd(admin_user, dept_a, lead_a, member_a):
    AssignmentFactory(department=dept_a, due_date=dt.date(2026, 12, 31))
    return round_open(
        by=admin_user,
        title="2026年5月进展报送",
        period="2026-05",
        period_start=dt.date(2026, 5, 1),
        period_end=dt.date(2026, 5, 31),
        due_date=DUE,
    )


def test_which_report_reminder_is_due_by_window():
    assert report_reminder_due(due_date=DUE, today=dt.date(2026, 6, 1)) is None
    assert report_reminder_due(due_date=DUE, today=dt.date(2026, 6, 8)) == "report_due_3"
    assert report_reminder_due(due_date=DUE, today=dt.date(2026, 6, 9)) == "report_due_1"
    assert report_reminder_due(due_date=DUE, today=DUE) == "report_due_0"
    assert report_reminder_due(due_date=DUE, today=dt.date(2026, 6, 11)) == "report_late_1"
    assert report_reminder_due(due_date=DUE, today=dt.date(2026, 6, 16)) == "report_late_2"


def test_a_reminder_is_written_once_however_often_the_scan_runs(rnd, lead_a, member_a):
    first = scan_report_reminders(now=at(dt.date(2026, 6, 8)))
    assert {(r.kind, r.recipient) for r in first} == {
        ("report_due_3", f"user:{lead_a.pk}"),
        ("report_due_3", f"user:{member_a.pk}"),
    }
    scan_report_reminders(now=at(dt.date(2026, 6, 8), 15))  # a second run, or a restart
    assert ReminderDelivery.objects.filter(kind="report_due_3").count() == 2
    assert set(ReminderDelivery.objects.values_list("occurrence", flat=True)) == {f"round:{rnd.pk}"}


def test_after_downtime_the_latest_reminder_is_caught_up(rnd):
    """Nothing ran from 6 June to 11 June: the scan on the 11th writes the late reminder only."""
    scan_report_reminders(now=at(dt.date(2026, 6, 11)))
    assert set(ReminderDelivery.objects.values_list("kind", flat=True)) == {"report_late_1"}


def test_delivery_sends_one_email_per_person_and_in_app_copies(rnd, lead_a):
    scan_report_reminders(now=at(dt.date(2026, 6, 8)))
    counts = deliver_report_reminders()
    assert counts["sent"] == 2
    to = sorted(m.to[0] for m in mail.outbox)
    assert len(to) == 2 and lead_a.email in to
    assert "进展报送提醒" in mail.outbox[0].subject and "/reports/items/" in mail.outbox[0].body
    assert Notification.objects.filter(user=lead_a, verb="report_reminder").count() == 1
    assert deliver_report_reminders()["sent"] == 0  # nothing is sent twice
    assert len(mail.outbox) == 2


def test_a_report_submitted_before_delivery_is_not_reminded(rnd, lead_a):
    scan_report_reminders(now=at(dt.date(2026, 6, 8)))
    report = ProgressReport.objects.get(round=rnd)
    report_save(report=report, by=lead_a, progress_text="已报送", percent=60, submit=True)
    counts = deliver_report_reminders()
    assert counts == {"sent": 0, "skipped": 2, "pending": 0}
    assert mail.outbox == []


def test_closed_rounds_and_submitted_reports_are_not_scanned(rnd, admin_user):
    round_close(rnd=rnd, by=admin_user)
    assert scan_report_reminders(now=at(dt.date(2026, 6, 11))) == []


def test_the_deadline_reminder_loop_leaves_report_rows_to_their_sender(rnd):
    scan_report_reminders(now=at(dt.date(2026, 6, 8)))
    deliver_pending(today=dt.date(2026, 6, 8), send_notifications=False)
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"pending"}


def test_the_beat_task_opens_due_rounds_reminds_and_sends(admin_user, dept_a, lead_a):
    from compliance.services.reports import schedule_create

    AssignmentFactory(department=dept_a, due_date=dt.date(2026, 12, 31))
    schedule_create(by=admin_user, name="月度进展", recurrence="monthly", due_day=10)
    result = report_rounds(at(dt.date(2026, 6, 8)).isoformat())
    assert result["opened"] == 1 and result["sent"] >= 1
    assert report_rounds(at(dt.date(2026, 6, 8), 11).isoformat())["opened"] == 0
