"""Benchmark: how the dashboard, the task list and the API list grow with the data, each beside
its anchor in the same run (issue 17's cost-growth table).

Run, on databases built by make_data.py (one per size):
    .venv/bin/python benchmarks/make_data.py --assignments 100000 --database-url postgres://postgres@127.0.0.1:5432/duban_md100k
    .venv/bin/python benchmarks/bench_growth.py --database-url postgres://postgres@127.0.0.1:5432/duban_md100k [--repeat 15]

Measured in-process with Django's test client (server time: no network, no browser), as the
administrator (bench_admin), every run interleaved with its anchor:

- dashboard: the page with the figures the database keeps (compliance/models/tallies.py);
  anchor: the single grouped SQL aggregate the page used to run over every assignment in scope
  (department x status, with the figures' conditional counts), run alone. Also the daily rebuild
  of the tallies (the first load of a day, or the beat task at midnight).
- with --scan N: the reminder scan's first run (empty ledger) beside a COPY of the same ledger rows;
- task list /tasks/ (first page and page 200) and API list /api/assignments/ (first page): anchor:
  the page's own SQL statements, captured from the same request and run again alone.
Prints medians, p95, query counts, the machine and its load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _setup(url: str) -> None:
    os.environ["BENCH_DATABASE_URL"] = url
    from bench_dashboard import setup_django

    setup_django()


def _get(client, url: str, **extra) -> tuple[float, list[dict]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        resp = client.get(url, secure=True, **extra)
        elapsed = (time.perf_counter() - t0) * 1000
    assert resp.status_code == 200, (url, resp.status_code)
    return elapsed, ctx.captured_queries


def _sql_alone(queries: list[dict]) -> float:
    """The statements a request ran (their SQL as sent), run again one after another, in ms."""
    from django.db import connection

    statements = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH", "("))]
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        for sql in statements:
            cursor.execute(sql.replace("%", "%%"))
            cursor.fetchall()
        return (time.perf_counter() - t0) * 1000


def _aggregate_alone() -> float:
    """The dashboard's former scan: department x status over every assignment in scope, alone."""
    from django.db.models import Count

    from compliance import selectors, selectors_dashboard
    from compliance.models import User

    today = selectors.today()
    base = selectors_dashboard.dashboard_assignments(user=User.objects.get(username="bench_admin"), filters={})
    figures = selectors_dashboard.figure_counts(today=today, rank_from=today.replace(month=1, day=1), rank_to=today)
    t0 = time.perf_counter()
    list(base.order_by().values("department_id", "status").annotate(n=Count("id"), **figures).order_by())
    return (time.perf_counter() - t0) * 1000


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _line(name: str, page: list[float], anchor: list[float], queries: int) -> str:
    m, a = statistics.median(page), statistics.median(anchor)
    return (
        f"{name:<28} median {m:8.1f} ms  p95 {_p(page, 0.95):8.1f} ms  anchor {a:8.1f} ms  "
        f"ratio {m / a if a else float('nan'):5.2f}x  {queries} queries"
    )


def run(repeat: int) -> list[str]:
    from django.test import Client

    from compliance import selectors, selectors_tallies
    from compliance.models import Assignment, User

    client = Client()
    client.force_login(User.objects.get(username="bench_admin"))
    n = Assignment.objects.count()
    out = [f"assignments: {n:,}"]
    rebuilds = []
    for _ in range(3):
        t0 = time.perf_counter()
        selectors_tallies.rebuild(selectors.today())
        rebuilds.append((time.perf_counter() - t0) * 1000)
    out.append(f"{'tallies rebuild (daily)':<28} median {statistics.median(rebuilds):8.1f} ms")
    pages = {
        "dashboard": "/dashboard/",
        "task list, page 1": "/tasks/",
        "task list, page 200": "/tasks/?page=200",
        "API list, page 1": "/api/assignments/",
    }
    for url in pages.values():  # connections, templates, translations
        _get(client, url)
    for name, url in pages.items():
        page, anchor, queries = [], [], 0
        for _ in range(repeat):
            elapsed, captured = _get(client, url)
            page.append(elapsed)
            queries = len(captured)
            anchor.append(_aggregate_alone() if name == "dashboard" else _sql_alone(captured))
        out.append(_line(name, page, anchor, queries))
    return out


def scan_beside_copy(repeat: int) -> str:
    """The reminder scan's first run (an empty ledger) beside its anchor, a COPY of the same ledger
    rows into the same emptied table; the ledger is left empty again."""
    from bench_reminders import first_scan_beside_copy
    from django.db import connection

    from compliance.models import ReminderDelivery

    line = first_scan_beside_copy(repeat, now=None)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ReminderDelivery._meta.db_table}")
    return line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--scan", type=int, default=0, help="also time the reminder scan's first run N times")
    args = parser.parse_args()
    _setup(args.database_url)
    from bench_dashboard import machine

    for line in run(args.repeat):
        print(line, flush=True)
    if args.scan:
        print(scan_beside_copy(args.scan), flush=True)
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
