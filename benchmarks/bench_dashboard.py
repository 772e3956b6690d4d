"""Benchmark: the /dashboard/ page with 100,000 assignments (target < 150 ms server time, ≤ 12 queries).

Run: .venv/bin/python benchmarks/bench_dashboard.py [--rows 100000] [--repeat 7]
Reports cold loads (empty cache: every figure computed) and warm loads (figures from the cache,
the data version, lists and names still read live), with the machine and its load average.
Uses a throwaway database, BENCH_DATABASE_URL (default: PostgreSQL duban_bench on 127.0.0.1,
falling back to a SQLite file under /tmp). The data set is created once and reused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/duban_bench"


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=2) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = 'duban_bench'").fetchone():
                c.execute("CREATE DATABASE duban_bench")
        return PG_URL
    except Exception:
        return "sqlite:////tmp/duban-bench.sqlite3"


def setup_django() -> str:
    url = bench_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")
    os.environ.setdefault("DEBUG", "off")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def populate(rows: int) -> None:
    """rows requirements, one lead assignment each, across 30 departments and 20 documents."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from compliance.models import (
        Assignment,
        Department,
        Evidence,
        PolicyDocument,
        Requirement,
        User,
    )

    if Assignment.objects.count() == rows:
        return
    print(f"populating {rows} assignments …", flush=True)
    Evidence.objects.all().delete()
    Assignment.objects.all().delete()
    Requirement.objects.all().delete()
    PolicyDocument.objects.all().delete()
    Assignment.history.model.objects.all().delete()
    Requirement.history.model.objects.all().delete()
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": "admin", "display_name": "督查办"})
    depts = [Department.objects.get_or_create(name=f"部门{i:02d}", defaults={"order": i})[0] for i in range(30)]
    docs = [
        PolicyDocument.objects.create(
            title=f"关于推进第{i}项重点工作的实施意见",
            doc_number=f"校发〔2026〕{i}号",
            issue_date=dt.date(2026, 1, 1),
            sha256=f"{i:064d}",
            status="published",
        )
        for i in range(20)
    ]
    today = timezone.localdate()
    statuses = ["not_started", "in_progress", "submitted", "completed", "returned", "completed"]
    text = "加强统筹协调，完善工作机制，细化任务分工，确保各项措施落地见效，按期报送进展情况。" * 2
    batch = 10_000
    for start in range(0, rows, batch):
        reqs = [
            Requirement(
                document=docs[i % 20],
                label=f"（{i}）",
                path=["一", f"（{i}）"],
                order=i,
                level=2,
                heading="",
                text=f"{i}. {text}",
                deadline_date=today + dt.timedelta(days=(i % 240) - 120),
                deadline_text="",
            )
            for i in range(start, min(rows, start + batch))
        ]
        Requirement.objects.bulk_create(reqs)
        now = timezone.now()
        assignments = []
        for r in reqs:
            status = statuses[r.order % 6]
            assignments.append(
                Assignment(
                    requirement=r,
                    department=depts[r.order % 30],
                    status=status,
                    due_date=r.deadline_date,
                    progress_note="已按计划推进，形成阶段性成果。" if r.order % 2 else "",
                    completed_at=now - dt.timedelta(days=r.order % 300) if status == "completed" else None,
                )
            )
        bulk_create_with_history(assignments, Assignment, batch_size=2000, default_user=admin)
        evidence = [
            Evidence(
                assignment=a,
                file=f"evidence/{a.pk:x}",
                original_name=f"佐证材料{a.pk}.pdf",
                size=1024,
                sha256=f"{a.pk:064x}",
                uploaded_by=admin,
            )
            for a in Assignment.objects.filter(requirement__in=reqs[::10])
        ]
        Evidence.objects.bulk_create(evidence)
        print(f"  {min(rows, start + batch)}", flush=True)


def analyze() -> None:
    """Refresh statistics and the visibility map, as autovacuum does after a bulk load.

    VACUUM (not only ANALYZE) matters: index-only scans of requirement (id, document) need the
    visibility map, which a steady-state production table has and a freshly loaded one lacks.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def machine() -> str:
    """nproc, CPU model and load average: the machine is shared, so every figure needs them."""
    model = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "?",
        )
        if Path("/proc/cpuinfo").exists()
        else "?"
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, {model}, load average {load}"


def _timed_get(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        resp = client.get(url, secure=True)
        elapsed = (time.perf_counter() - t0) * 1000
    assert resp.status_code == 200, resp.status_code
    return elapsed, len(ctx.captured_queries)


def _summary(timings: list[float], queries: int) -> dict[str, float]:
    return {"median_ms": statistics.median(timings), "min_ms": min(timings), "max_ms": max(timings), "queries": queries}


def bench(repeat: int) -> dict[str, dict[str, float]]:
    """Cold loads (a fresh, empty cache namespace each time: every figure computed) and warm loads.

    Both go through the configured cache (Redis db 1); a cold load gets a key prefix nobody has
    used, so it misses and writes like the first load after a change does.
    """
    import uuid

    from django.conf import settings
    from django.test import Client, override_settings

    from compliance.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench_admin"))
    _timed_get(client, "/dashboard/")  # connections, templates, translations
    cold: list[float] = []
    cold_queries = 0
    run = uuid.uuid4().hex[:8]
    for i in range(repeat):
        caches = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"bench-cold-{run}-{i}"}}
        with override_settings(CACHES=caches):
            elapsed, cold_queries = _timed_get(client, "/dashboard/")
        cold.append(elapsed)
    warm: list[float] = []
    warm_queries = 0
    _timed_get(client, "/dashboard/")  # fills the cache for the warm loads
    for _ in range(repeat):
        elapsed, warm_queries = _timed_get(client, "/dashboard/")
        warm.append(elapsed)
    return {"cold": _summary(cold, cold_queries), "warm": _summary(warm, warm_queries)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    url = setup_django()
    populate(args.rows)
    analyze()
    result = bench(args.repeat)
    print(f"database: {url.split('@')[-1]}")
    print(f"machine: {machine()}")
    for kind, r in result.items():
        print(
            f"dashboard {kind}, {args.rows} assignments: median {r['median_ms']:.1f} ms "
            f"(min {r['min_ms']:.1f}, max {r['max_ms']:.1f}), {r['queries']} queries "
            f"[target < 150 ms, ≤ 12 queries]"
        )


if __name__ == "__main__":
    main()
