"""Build a realistic data set quickly with PostgreSQL COPY (not the ORM one row at a time).

Run: .venv/bin/python benchmarks/make_data.py --assignments 1000000 [--database-url URL] [--fresh]

Creates, in a throwaway database (BENCH_DATABASE_URL or --database-url; default PostgreSQL
duban_bench on 127.0.0.1):

- 60 departments (教务处 … plus 二级学院), one lead and one member each, 8 school leaders;
- documents of 300 requirements each (a 一、/（一）/1. tree: chapters are context, the rest tracked),
  one third 教育部/省级 upstream documents and two thirds the university's own;
- one lead assignment per tracked requirement and a cooperating one for every seventh, spread over
  the statuses a live installation has (not started, in progress, submitted, returned, completed
  on time and late, not applicable), due dates from a year ago to a year ahead;
- a history row per assignment (created by routing) and one for its last status change, and an
  evidence row on a fifth of the started ones (no file body: only the database is measured).
  The reminder ledger is left to the scan (benchmarks/bench_reminders.py measures the first scan).

Every table is filled with COPY ... FROM STDIN in batches; sequences are moved past the ids used.
Prints the counts and the time taken. ``--fresh`` empties the tracked tables first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_dashboard import setup_django  # noqa: E402

PER_DOCUMENT = 300
BATCH = 50_000
STATUS_MIX = [
    ("not_started", 18),
    ("in_progress", 30),
    ("submitted", 8),
    ("returned", 3),
    ("completed", 38),
    ("not_applicable", 3),
]
TEXTS = [
    "完善学院绩效考核办法，建立以质量和贡献为导向的评价体系，按年度报送实施情况。",
    "推进一流本科专业建设，新增国家级一流本科专业建设点，完善专业动态调整机制。",
    "加强实验室安全管理，开展全面安全检查，建立隐患台账并按期整改到位。",
    "深化研究生培养模式改革，健全导师责任制，提高学位论文质量。",
    "实施高层次人才引育计划，完善教师评价制度，破除唯论文、唯帽子倾向。",
    "加强统筹协调，完善工作机制，细化任务分工，确保各项措施落地见效。",
]
DEPARTMENTS = [
    "党委办公室", "校长办公室", "发展规划处", "教务处", "研究生院", "科学技术处", "人事处", "财务处",
    "学生工作部", "国际合作与交流处", "资产管理处", "后勤管理处", "保卫处", "信息化办公室", "图书馆",
    "党委宣传部", "党委组织部", "纪委办公室", "工会", "团委", "招生就业处", "审计处", "基建处",
    "实验室与设备管理处", "社会科学处", "继续教育学院", "创新创业学院", "档案馆", "校友会", "离退休工作处",
]  # fmt: skip


def _weighted(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUS_MIX], weights=[w for _, w in STATUS_MIX])[0]


class Copier:
    """COPY rows into one model's table: columns named once, values in field order."""

    def __init__(self, cursor, model, columns: Sequence[str]):
        self.cursor = cursor
        self.table = model._meta.db_table
        self.pk = model._meta.pk.column  # left to the sequence unless listed
        self.columns = list(columns)
        fields = {f.column: f for f in model._meta.concrete_fields}
        missing = [c for c in self.columns if c not in fields]
        if missing:
            raise SystemExit(f"{self.table}: no columns {missing}")
        from django.utils import timezone

        stamp = timezone.now()
        self.defaults = {
            f.column: stamp if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in model._meta.concrete_fields
            if f.column not in self.columns
        }
        self.count = 0

    def write(self, rows: Iterable[Sequence]) -> None:
        cols = self.columns + [c for c in self.defaults if c != self.pk]
        extra = [self.defaults[c] for c in cols[len(self.columns) :]]
        quoted = ", ".join('"' + c + '"' for c in cols)
        sql = f"COPY {self.table} ({quoted}) FROM STDIN"
        with self.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([_value(v) for v in (*row, *extra)])
                self.count += 1


def _value(v):
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _move_sequence(cursor, table: str, column: str = "id") -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT COALESCE(MAX({column}), 1) FROM {table}))"
    )


def make_people(cursor) -> tuple[list[int], list[int], list[int], int]:
    """Departments and their people (through the ORM: a few hundred rows)."""
    from compliance.models import Department, Membership, User

    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": "admin", "display_name": "督查办"})
    names = DEPARTMENTS + [f"第{i}学院" for i in range(1, 31)]
    depts = []
    for i, name in enumerate(names):
        d, _ = Department.objects.get_or_create(name=name, defaults={"order": i})
        depts.append(d)
    leads = []
    for i, d in enumerate(depts):
        lead, _ = User.objects.get_or_create(
            username=f"bench_lead_{i:02d}", defaults={"display_name": f"{d.name}负责人"}
        )
        Membership.objects.get_or_create(user=lead, department=d, defaults={"role": "lead"})
        User.objects.get_or_create(username=f"bench_member_{i:02d}", defaults={"display_name": f"{d.name}联络员"})
        leads.append(lead.pk)
    leaders = []
    for i in range(8):
        u, _ = User.objects.get_or_create(
            username=f"bench_leader_{i}", defaults={"display_name": f"分管校领导{i}", "role": "school_leader"}
        )
        leaders.append(u.pk)
    return [d.pk for d in depts], leads, leaders, admin.pk


def make_documents(cursor, n_docs: int, admin_id: int) -> list[tuple[int, bool]]:
    from compliance.models import PolicyDocument

    first = _next_id(cursor, PolicyDocument._meta.db_table)
    copier = Copier(
        cursor, PolicyDocument, ["id", "title", "doc_number", "issuer", "issue_date", "sha256", "status", "source_name"]
    )
    docs = []
    rows = []
    for k in range(n_docs):
        pk = first + k
        upstream = k % 3 == 0
        year = 2020 + k % 7
        issuer = "教育部" if upstream else "东方大学"
        title = f"{issuer}关于{['深化教育评价改革', '加强实验室安全', '推进一流学科建设'][k % 3]}的实施意见（{pk}）"
        rows.append(
            (pk, title, f"{'教发' if upstream else '校发'}〔{year}〕{pk}号", issuer, dt.date(year, 3, 1), f"{pk:064x}",
             "published", f"bench-{pk}.txt")
        )  # fmt: skip
        docs.append((pk, upstream))
    copier.write(rows)
    _move_sequence(cursor, PolicyDocument._meta.db_table)
    return docs


def requirement_rows(docs, first_id: int, today: dt.date, rng: random.Random):
    """A 一、/（一）/1. tree per document: (row, tracked, due date) per requirement."""
    pk = first_id
    for doc_id, _upstream in docs:
        chapter = section = None
        for order in range(PER_DOCUMENT):
            if order % 30 == 0:
                label, path, level, parent, tracked = f"{order // 30 + 1}、", [str(order // 30 + 1)], 1, None, False
                chapter = pk
            elif order % 10 == 0:
                label, level, parent, tracked = f"（{order // 10 % 3 + 1}）", 2, chapter, False
                path = [str(order // 30 + 1), label]
                section = pk
            else:
                label, level, parent, tracked = f"{order % 10}.", 3, section or chapter, True
                path = [str(order // 30 + 1), f"（{order // 10 % 3 + 1}）", str(order % 10)]
            due = today + dt.timedelta(days=rng.randint(-365, 365)) if tracked else None
            text = TEXTS[(pk + order) % len(TEXTS)]
            yield (
                (pk, doc_id, parent, label, path, order, level, text[:16] if not tracked else "", text, tracked, due,
                 f"{due:%Y年%m月%d日}前" if due else ""),
                tracked,
                due,
            )  # fmt: skip
            pk += 1


def make(assignments: int, fresh: bool) -> None:
    from django.db import connection
    from django.utils import timezone

    from compliance.models import Assignment, Evidence, PolicyDocument, ProgressUpdate, ReminderDelivery, Requirement

    rng = random.Random(20261207)
    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    tracked_per_doc = sum(1 for o in range(PER_DOCUMENT) if o % 10)
    # one cooperating assignment for about every seventh lead one
    n_docs = math.ceil(assignments / (tracked_per_doc * 8 / 7)) + 1
    with connection.cursor() as c:
        cursor = c.cursor  # the psycopg cursor (COPY)
        if fresh:
            for model in (ReminderDelivery, Evidence, ProgressUpdate, Assignment, Requirement, PolicyDocument):
                cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
            for model in (Assignment, Requirement, PolicyDocument, Evidence):
                cursor.execute(f"TRUNCATE {model.history.model._meta.db_table}")
        depts, leads, _leaders, admin_id = make_people(cursor)
        docs = make_documents(cursor, n_docs, admin_id)
        req_copier = Copier(
            cursor,
            Requirement,
            ["id", "document_id", "parent_id", "label", "path", "order", "level", "heading", "text", "is_requirement",
             "deadline_date", "deadline_text"],
        )  # fmt: skip
        a_cols = ["id", "requirement_id", "department_id", "role", "status", "due_date", "progress_note",
                  "submitted_at", "completed_at", "created_at", "updated_at", "version", "progress"]  # fmt: skip
        a_copier = Copier(cursor, Assignment, a_cols)
        h_model = Assignment.history.model
        h_cols = ["id", "requirement_id", "department_id", "role", "status", "due_date", "progress_note",
                  "submitted_at", "completed_at", "created_at", "updated_at", "version", "progress", "history_date",
                  "history_type", "history_user_id", "history_change_reason"]  # fmt: skip
        h_copier = Copier(cursor, h_model, h_cols)
        e_copier = Copier(
            cursor,
            Evidence,
            ["assignment_id", "file", "original_name", "size", "sha256", "uploaded_by_id", "uploaded_at"],
        )
        next_req = _next_id(cursor, Requirement._meta.db_table)
        next_a = _next_id(cursor, Assignment._meta.db_table)
        made = 0
        reqs, rows_a, rows_h, rows_e = [], [], [], []

        def flush() -> None:
            req_copier.write(reqs)
            a_copier.write(rows_a)
            h_copier.write(rows_h)
            e_copier.write(rows_e)
            for batch in (reqs, rows_a, rows_h, rows_e):
                batch.clear()

        for row, tracked, due in requirement_rows(docs, next_req, today, rng):
            reqs.append(row)
            if not tracked or made >= assignments:
                continue
            roles = ["lead"] + (["co"] if row[0] % 7 == 0 else [])
            for role in roles:
                if made >= assignments:
                    break
                status = _weighted(rng)
                created = now - dt.timedelta(days=rng.randint(30, 400))
                done_at = None
                if status == "completed":
                    late = rng.random() < 0.2
                    done_at = dt.datetime.combine(due, dt.time(10), tzinfo=now.tzinfo) + dt.timedelta(
                        days=rng.randint(1, 40) if late else -rng.randint(0, 60)
                    )
                    done_at = min(done_at, now)
                submitted = (
                    done_at
                    if status == "completed"
                    else (now - dt.timedelta(days=3) if status == "submitted" else None)
                )
                note = "已按计划推进，形成阶段性成果。" if status not in ("not_started", "not_applicable") else ""
                dept = depts[(row[0] * 7 + len(roles)) % len(depts)] if role == "co" else depts[row[0] % len(depts)]
                progress = {"completed": 100, "submitted": 100, "in_progress": rng.randint(10, 90), "returned": 60}.get(
                    status, 0
                )
                a = (next_a, row[0], dept, role, status, due, note, submitted, done_at, created, done_at or created, 1,
                     progress)  # fmt: skip
                rows_a.append(a)
                rows_h.append((*a, created, "+", admin_id, "routing"))
                if status != "not_started":
                    rows_h.append((*a, done_at or created, "~", leads[0], status))
                if next_a % 5 == 0 and status != "not_started":
                    rows_e.append((next_a, f"evidence/bench/{next_a:x}.pdf", f"佐证材料{next_a}.pdf", 20480,
                                   f"{next_a:064x}", admin_id, created))  # fmt: skip
                next_a += 1
                made += 1
            if len(rows_a) >= BATCH:
                flush()
                print(f"  {made:,} assignments", flush=True)
        flush()
        for model in (Requirement, Assignment, Evidence):
            _move_sequence(cursor, model._meta.db_table)
        _move_sequence(cursor, h_model._meta.db_table, h_model._meta.pk.column)
        cursor.execute("ANALYZE")
    took = time.perf_counter() - started
    print(
        f"documents {len(docs):,}, requirements {req_copier.count:,}, assignments {a_copier.count:,}, "
        f"history rows {h_copier.count:,}, evidence rows {e_copier.count:,} in {took:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true", help="empty the tracked tables first")
    args = parser.parse_args()
    if args.database_url:
        import os

        os.environ["BENCH_DATABASE_URL"] = args.database_url
    url = setup_django()
    if not url.startswith("postgres"):
        raise SystemExit("make_data.py needs PostgreSQL (COPY): set BENCH_DATABASE_URL=postgres://…")
    make(args.assignments, args.fresh)


if __name__ == "__main__":
    main()
