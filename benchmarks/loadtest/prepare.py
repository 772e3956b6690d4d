"""Prepare a database for the load test: demo data, 50 load users, 5,000 assignments.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_load .venv/bin/python benchmarks/loadtest/prepare.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from compliance.models import (  # noqa: E402
    Assignment,
    Department,
    Membership,
    PolicyDocument,
    Requirement,
    User,
)

PASSWORD = "load-test-2026"
USERS = 50


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    departments = list(Department.objects.order_by("id")[:25])
    for i in range(USERS):
        user, created = User.objects.get_or_create(username=f"load{i:02d}", defaults={"display_name": f"压测用户{i}"})
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, department=departments[i % len(departments)], defaults={"role": "lead"}
        )
    if not PolicyDocument.objects.filter(title="压测文件").exists():
        doc = PolicyDocument.objects.create(
            title="压测文件",
            sha256=hashlib.sha256(b"load-test-document").hexdigest(),
            issue_date=dt.date(2026, 1, 1),
            status=PolicyDocument.Status.PUBLISHED,
        )
        reqs = Requirement.objects.bulk_create(
            Requirement(
                document=doc,
                label=f"{n}.",
                path=[str(n)],
                order=n,
                level=1,
                heading=f"压测条款{n}",
                text=f"第{n}项压测条款，按期完成相关工作。",
                deadline_date=dt.date(2027, 1, 1) + dt.timedelta(days=n % 300),
            )
            for n in range(1, 5001)
        )
        Assignment.objects.bulk_create(
            Assignment(
                requirement=r,
                department=departments[n % len(departments)],
                due_date=r.deadline_date,
                status=["not_started", "in_progress", "submitted", "completed"][n % 4],
            )
            for n, r in enumerate(reqs)
        )
    print(f"users: {User.objects.count()}, assignments: {Assignment.objects.count()}")


if __name__ == "__main__":
    main()
