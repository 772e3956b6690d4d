"""Exactly one scheduler's worth of work: a periodic task sent twice in one slot runs once."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.conf import settings
from django.core import mail

from compliance.models import ReminderDelivery
from tasks import once
from tasks.reminders import scan_reminders
from tasks.report_reminders import report_rounds

from .conftest import at

HOUR = 3600


@pytest.fixture(autouse=True)
def _free_slots():
    for name in ("scan_reminders", "deliver_pending", "report_rounds"):
        once.release(name, HOUR)
        once.release(name, 600)
    yield
    for name in ("scan_reminders", "deliver_pending", "report_rounds"):
        once.release(name, HOUR)
        once.release(name, 600)


def test_every_periodic_task_in_the_beat_schedule_carries_its_slot():
    """Each beat entry names its slot, and its message expires within half of it, so that a message
    delayed on a busy worker cannot start in the next slot and repeat that slot's work."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        slot = entry["kwargs"]["slot_seconds"]
        assert slot > 0, entry["task"]
        assert 0 < entry["options"]["expires"] <= slot / 2, entry["task"]


def test_of_many_simultaneous_callers_exactly_one_gets_the_slot():
    """Eight workers receive the same beat message (or two beats send it): one runs."""
    name = f"test-{uuid.uuid4().hex}"
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def call() -> None:
        barrier.wait()
        results.append(once.first_in_slot(name, HOUR))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_slots_are_centred_on_the_firing_time():
    """A beat firing at :05 and another a few seconds off share the slot; the next hour is new."""
    name = f"test-{uuid.uuid4().hex}"
    five_past = dt.datetime(2026, 6, 8, 10, 5, tzinfo=dt.UTC).timestamp()
    assert once.first_in_slot(name, HOUR, now=five_past)
    assert not once.first_in_slot(name, HOUR, now=five_past - 20)
    assert not once.first_in_slot(name, HOUR, now=five_past + 20)
    assert once.first_in_slot(name, HOUR, now=five_past + HOUR)


def test_a_second_beat_in_the_same_slot_does_no_work(unit, make_assignment):
    """The second scan of the hour is skipped: no new ledger rows, no second e-mail, even for an
    item that became due in between (the next hour's scan picks it up)."""
    make_assignment(due=dt.date(2026, 6, 30))
    now = at(dt.date(2026, 6, 16)).isoformat()
    first = scan_reminders(now, slot_seconds=HOUR)
    assert first["planned"] >= 1
    rows, sent = ReminderDelivery.objects.count(), len(mail.outbox)
    make_assignment(due=dt.date(2026, 6, 29))
    assert scan_reminders(now, slot_seconds=HOUR) == {"skipped": "already ran in this slot"}
    assert (ReminderDelivery.objects.count(), len(mail.outbox)) == (rows, sent)
    assert scan_reminders(now)["planned"] >= 1  # called by hand (no slot): always runs


def test_a_failed_run_gives_its_slot_back_for_the_retry(db, monkeypatch):
    """A run that raises (the database went away) is retried by Celery; the retry must not be
    taken for a duplicate."""
    import tasks.report_reminders as rr

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(rr, "round_open_due", boom)
    with pytest.raises(RuntimeError):
        report_rounds(at(dt.date(2026, 6, 8)).isoformat(), slot_seconds=HOUR)
    monkeypatch.undo()
    assert report_rounds(at(dt.date(2026, 6, 8)).isoformat(), slot_seconds=HOUR)["opened"] == 0
