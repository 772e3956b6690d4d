"""A real Celery worker on the real Redis: a reminder arrives exactly once, even when the scan is sent twice."""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from compliance.models import ReminderDelivery

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Not the application's 0 (broker) or 1 (cache). Other suites may use db 14 and flush it, so this
# test uses 13 and deletes only its own keys (its queue and its task results), never the database.
BROKER_DB = 13


def _recipients(mail_dir: Path) -> list[str]:
    """Every message the file backend wrote (several per file are separated by a line of dashes)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip())["To"])
    return found


def test_a_real_worker_sends_each_reminder_exactly_once(
    redis_url, tmp_path, monkeypatch, unit, make_assignment, lead_a, member_a, liaison
):
    """Two scan tasks through Redis to a 2-process worker: each of the three people gets one digest."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can see: run with DATABASE_URL=postgres://... (CI does)")
    broker = f"{redis_url}/{BROKER_DB}"
    r = redis.Redis.from_url(broker)
    make_assignment(dt.date(2026, 6, 29), heading="修订人才培养方案")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"duban-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "compliance.settings",
        "DATABASE_URL": f"postgres://{quote(db['USER'])}{':' + quote(db['PASSWORD']) if db.get('PASSWORD') else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "SITE_URL": "https://duban.example.edu.cn",
    }
    worker = subprocess.Popen(
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
            "2",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # Celery prefers CELERY_BROKER_URL / CELERY_RESULT_BACKEND from the environment (CI sets the
    # first) over the arguments below; the sender must talk to the test's own database.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    sender = Celery("test-sender", broker=broker, backend=broker)
    results = []
    try:
        now = "2026-06-25T09:00:00+08:00"
        results += [sender.send_task("tasks.reminders.scan_reminders", args=[now], queue=queue) for _ in range(2)]
        outcomes = [res.get(timeout=90) for res in results]
        # Both scans may see the rows as new; the unique constraint lets only one insert win,
        # and the claim lets only one delivery send each row.
        assert ReminderDelivery.objects.count() == 3
        assert sum(o["sent"] for o in outcomes) == 3
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            output, _ = worker.communicate()
        sender.close()
        r.delete(
            queue,
            f"_kombu.binding.{queue}",
            f"_kombu.binding_permanent.{queue}",
            *[f"celery-task-meta-{res.id}" for res in results],
        )
    assert sorted(_recipients(mail_dir)) == sorted(u.email for u in (lead_a, member_a, liaison)), output.decode()
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
