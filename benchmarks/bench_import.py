"""Import every normative document of the largest seed into PostgreSQL (target: < 5 s).

Usage: ``.venv/bin/python benchmarks/bench_import.py [SEED_FILE]``. Uses the database named by
``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/duban_bench``), which it
drops and re-creates: never point it at real data.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")


def recreate_database() -> None:
    import psycopg

    parsed = urlparse(URL)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    seeds = ROOT.parent / "shared" / "seeds"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else max(seeds.glob("*.txt"), key=lambda p: p.stat().st_size)
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from compliance.models import PolicyDocument, Requirement
    from compliance.parsing import parse_file
    from compliance.services.documents import policy_import

    data = path.read_bytes()
    t0 = time.perf_counter()
    result = parse_file(data, path.name)
    t1 = time.perf_counter()
    report = policy_import(documents=result.documents, source_name=path.name, by=None)
    t2 = time.perf_counter()
    assert not report.failed, report.failed
    print(f"file: {path.name} ({len(data) / 1024:.0f} KB), database: {connection.vendor}")
    print(f"documents: {PolicyDocument.objects.count()}, requirements: {Requirement.objects.count()}")
    print(f"parse: {t1 - t0:.3f} s, import: {t2 - t1:.3f} s, total: {t2 - t0:.3f} s")
    t3 = time.perf_counter()
    again = policy_import(documents=result.documents, source_name=path.name, by=None)
    print(
        f"re-import (all unchanged: {all(o.status == 'unchanged' for o in again.outcomes)}): {time.perf_counter() - t3:.3f} s"
    )


if __name__ == "__main__":
    main()
