"""The reminder scan over 100,000 open assignments in PostgreSQL (target: < 2 s, constant queries per batch).

Usage: ``.venv/bin/python benchmarks/bench_reminders.py [--assignments N] [--all-due]``. Uses the
database named by ``BENCH_REMINDERS_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/duban_bench_reminders``), which it drops and re-creates:
never point it at real data.

Data: 100 departments (3 members and a liaison each, every tenth with a WeCom robot), 1,000
requirements, one assignment per requirement and department (100,000 by default), all open.
Due dates are spread from 60 days ago to 300 days ahead, so about a fifth of the items have a
reminder due; ``--all-due`` puts every due date within the reminder window instead (the worst
case: every item gets new ledger rows). The scan runs three times on a working day: the first
fills the ledger, the second (an hour later) and a concurrent-style re-run find nothing new.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_REMINDERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_bench_reminders")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")
os.environ.setdefault("CACHE_URL", "locmemcache://")

NOW = dt.datetime(2026, 6, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Thursday


def recreate_database() -> None:
    import psycopg

    parsed = urlparse(URL)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(total: int, all_due: bool) -> None:
    from compliance.models import (
        Assignment,
        Department,
        Membership,
        PolicyDocument,
        Requirement,
        User,
    )

    departments = 100
    per_dept = total // departments
    depts = Department.objects.bulk_create(
        Department(
            name=f"部门{i:03d}",
            wecom_webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x" if i % 10 == 0 else "",
        )
        for i in range(departments)
    )
    users = User.objects.bulk_create(
        User(username=f"u{i:04d}", email=f"u{i:04d}@example.edu.cn", password="!") for i in range(departments * 4)
    )
    Membership.objects.bulk_create(
        Membership(user=users[d * 4 + k], department=depts[d], role="lead" if k == 0 else "member")
        for d in range(departments)
        for k in range(3)
    )
    for d, dept in enumerate(depts):
        dept.liaison = users[d * 4 + 3]
    Department.objects.bulk_update(depts, ["liaison"])
    doc = PolicyDocument.objects.create(title="基准文件", sha256="0" * 64, status="published")
    reqs = Requirement.objects.bulk_create(
        Requirement(document=doc, label=f"（{i}）", path=["一", f"（{i}）"], order=i, heading=f"事项{i}")
        for i in range(per_dept)
    )
    today = NOW.date()
    rows = []
    for r_i, req in enumerate(reqs):
        for d_i, dept in enumerate(depts):
            n = r_i * departments + d_i
            offset = (n % 29) - 14 if all_due else (n % 361) - 60
            rows.append(Assignment(requirement=req, department=dept, due_date=today + dt.timedelta(days=offset)))
    Assignment.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--all-due", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="first scans interleaved with the COPY anchor")
    args = parser.parse_args()
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from compliance.models import Assignment, ReminderDelivery
    from tasks.reminders import scan

    t0 = time.perf_counter()
    build(args.assignments, args.all_due)
    with connection.cursor() as cursor:
        # Fresh bulk-loaded tables have no planner statistics yet; autovacuum would gather them
        # within a minute in production, so measure with them.
        cursor.execute("VACUUM ANALYZE")
    print(f"database: {connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}")
    print(
        f"open assignments: {Assignment.objects.filter(status__in=Assignment.OPEN_STATUSES).count()} "
        f"(built in {time.perf_counter() - t0:.1f} s){' [all due]' if args.all_due else ''}"
    )
    for label, moment in (
        ("first scan", NOW),
        ("re-scan, an hour later", NOW + dt.timedelta(hours=1)),
        ("re-scan, same moment", NOW + dt.timedelta(hours=1)),
    ):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            report = scan(now=moment)
            seconds = time.perf_counter() - t
        fixed = 4  # the directory: departments, active users, memberships, administrators
        per_batch = (len(ctx.captured_queries) - fixed) / max(report.batches, 1)
        print(
            f"{label}: {seconds:.3f} s, {report.assignments} assignments in the reminder window, "
            f"{report.batches} batches, {len(report.planned)} new ledger rows, "
            f"{len(ctx.captured_queries)} queries ({per_batch:.1f} per batch + {fixed})"
        )
    print(f"ledger rows: {ReminderDelivery.objects.count()}")
    print(first_scan_beside_copy(args.repeat, now=NOW))


def first_scan_beside_copy(repeat: int, *, now: dt.datetime | None) -> str:
    """The first scan again, interleaved with its anchor: a PostgreSQL COPY of the same ledger rows
    into the same (emptied) table with the same indexes. Both start from an empty ledger."""
    import os
    import statistics

    from django.db import connection

    from compliance.models import ReminderDelivery
    from tasks.reminders import scan

    table = ReminderDelivery._meta.db_table
    scans, copies = [], []
    for _ in range(repeat):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
        t = time.perf_counter()
        scan(now=now)
        scans.append(time.perf_counter() - t)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} TO STDOUT") as out:
                data = b"".join(bytes(chunk) for chunk in out)
            cursor.execute(f"TRUNCATE {table}")
            t = time.perf_counter()
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as into:
                into.write(data)
            copies.append(time.perf_counter() - t)
    rows = ReminderDelivery.objects.count()
    scan_s, copy_s = statistics.median(scans), statistics.median(copies)
    return (
        f"first scan beside COPY of the same {rows:,} ledger rows, {repeat} interleaved runs: "
        f"scan median {scan_s:.3f} s (runs {', '.join(f'{x:.3f}' for x in scans)}), "
        f"COPY median {copy_s:.3f} s (runs {', '.join(f'{x:.3f}' for x in copies)}), ratio {scan_s / copy_s:.2f}x; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
