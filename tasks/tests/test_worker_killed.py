"""A real worker killed (SIGKILL) in the middle of sending: nothing lost, at most one batch twice."""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from compliance.models import ReminderDelivery
from tasks.reminders import scan

from .conftest import at

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BROKER_DB = 12  # not 0/1 (application), 13 (the other worker test)


def _messages(mail_dir: Path) -> list[str]:
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip())["To"])
    return found


def _start_worker(env: dict[str, str], queue: str, *, delay: float) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tasks",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            "1",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env={**env, "DUBAN_TEST_SEND_DELAY": str(delay)},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def test_a_worker_killed_mid_send_loses_nothing(
    redis_url, tmp_path, monkeypatch, unit, make_assignment, lead_a, member_a, liaison
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can see: run with DATABASE_URL=postgres://... (CI does)")
    make_assignment(dt.date(2026, 6, 29), heading="修订人才培养方案")
    scan(now=at(dt.date(2026, 6, 25), 9))
    rows = ReminderDelivery.objects.count()
    assert rows == 3  # lead, member, liaison: one digest each

    broker = f"{redis_url}/{BROKER_DB}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"duban-kill-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tasks.tests.worker_settings",
        "DATABASE_URL": f"postgres://{quote(db['USER'])}{':' + quote(db['PASSWORD']) if db.get('PASSWORD') else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "CACHE_URL": "locmemcache://",
        "DUBAN_TEST_MAIL_DIR": str(mail_dir),
        "DUBAN_TEST_LEASE_SECONDS": "3",
    }
    # Celery prefers CELERY_BROKER_URL / CELERY_RESULT_BACKEND from the environment (CI sets the
    # first) over the arguments below; the sender must talk to the test's own database.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    sender = Celery("test-sender", broker=broker, backend=broker)
    first = _start_worker(env, queue, delay=60)
    second = None
    try:
        sender.send_task("tasks.reminders.deliver_pending", queue=queue)
        deadline = time.monotonic() + 90
        while not _messages(mail_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _messages(mail_dir), "the first worker never started sending"
        _stop(first, signal.SIGKILL)  # killed after one e-mail, before recording it as sent
        assert ReminderDelivery.objects.filter(status="sent").count() < rows

        time.sleep(3.5)  # the dead worker's lease on its rows runs out
        second = _start_worker(env, queue, delay=0)
        result = sender.send_task("tasks.reminders.deliver_pending", queue=queue)
        result.get(timeout=90)
    finally:
        _stop(first, signal.SIGKILL)
        if second is not None:
            _stop(second)
        r = redis.Redis.from_url(broker)
        r.delete(
            queue, f"_kombu.binding.{queue}", "unacked", "unacked_index", "unacked_mutex", *r.keys("celery-task-meta-*")
        )
        sender.close()

    sent_to = _messages(mail_dir)
    expected = {u.email for u in (lead_a, member_a, liaison)}
    assert set(sent_to) == expected  # nothing lost
    assert len(sent_to) <= len(expected) + 1  # at most the one batch in flight went out twice
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
