"""Benchmark: the audit workbook with 100,000 rows against XlsxWriter's constant_memory mode.

Targets: within 1.6x the time XlsxWriter takes to write the same rows, under 200 MB peak memory.
Run: .venv/bin/python benchmarks/bench_workbook.py [--rows 100000]
(Same throwaway database as bench_dashboard.py. XlsxWriter is needed only here and is not a
dependency of Duban; without it the comparison is skipped with a message.)

Both sides read the same rows from the same AuditSource streams (so both include the database
time); XlsxWriter then writes them with one format per column kind, openpyxl with Duban's full
styling (fonts, borders, wrap, conditional formatting, charts, print setup).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import ROOT, analyze, populate, setup_django


def time_openpyxl(out: Path) -> float:
    from django.utils import timezone

    from compliance.exports import build_audit_workbook

    t0 = time.perf_counter()
    wb = build_audit_workbook(as_of=timezone.localdate())
    wb.save(out)
    return time.perf_counter() - t0


def time_xlsxwriter(out: Path) -> float | None:
    try:
        import xlsxwriter
    except ImportError:
        print("XlsxWriter is not installed: comparison skipped (pip install XlsxWriter into .venv to run it).")
        return None
    from django.utils import timezone

    from compliance.exports.audit import (
        EVIDENCE_HEADERS,
        HISTORY_HEADERS,
        TASK_HEADERS,
        AuditScope,
        AuditSource,
        history_entries,
    )
    from compliance.models import Assignment

    t0 = time.perf_counter()
    scope = AuditScope(as_of=timezone.localdate())
    src = AuditSource(scope)
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    body = wb.add_format({"font_name": "宋体", "text_wrap": True, "valign": "top", "border": 1})
    date = wb.add_format({"font_name": "宋体", "num_format": "yyyy-mm-dd", "border": 1})
    head = wb.add_format({"font_name": "黑体", "bold": True, "border": 1})
    tasks, evidence, history = (wb.add_worksheet(n) for n in ("任务分解表", "佐证材料", "操作记录"))
    for ws, headers in ((tasks, TASK_HEADERS), (evidence, EVIDENCE_HEADERS), (history, HISTORY_HEADERS)):
        ws.write_row(0, 0, headers, head)
    labels, depts = src.status_labels, src.departments
    e = 0
    for n, row in enumerate(src.rows(), start=1):
        group = row["assignments"]
        leads = [a for a in group if a.role == Assignment.Role.LEAD]
        primary = leads[0] if leads else (group[0] if group else None)
        due = (primary.due_date if primary else None) or row["deadline_date"]
        on_time, _overdue, done = src.judge(primary, due)
        values = [
            n, row["document"], row["clause"], row["text"], "、".join(depts[a.department_id][0] for a in leads),
            "、".join(depts[a.department_id][0] for a in group if a not in leads), "",
            None, labels[primary.status] if primary else "", primary.progress_note if primary else "",
            "\n".join(x[5] for x in row["evidence"]), None, on_time, "",
        ]
        tasks.write_row(n, 0, values, body)
        if due:
            tasks.write_datetime(n, 7, due, date)
        if done:
            tasks.write_datetime(n, 11, done, date)
        for x in row["evidence"]:
            e += 1
            evidence.write_row(e, 0, [e, row["document"], row["clause"], depts[x[4]][0], x[5], "", None, x[8], x[9]], body)
            evidence.write_datetime(e, 6, timezone.localtime(x[7]).replace(tzinfo=None), date)
    for h, entry in enumerate(history_entries(src), start=1):
        history.write_row(h, 0, [h, None, entry.who, entry.kind, entry.document, entry.clause, entry.department,
                                 entry.field, entry.old, entry.new, entry.reason], body)
        history.write_datetime(h, 1, timezone.localtime(entry.when).replace(tzinfo=None), date)
    wb.close()
    return time.perf_counter() - t0


def peak_memory_of_command(out: Path, database_url: str) -> float:
    """Peak resident memory (MB) of `manage.py export_audit_workbook` in its own process."""
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "export_audit_workbook", "--out", str(out)],
        check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    url = setup_django()
    populate(args.rows)
    analyze()
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, theirs_path = Path(tmp) / "openpyxl.xlsx", Path(tmp) / "xlsxwriter.xlsx"
        ours = time_openpyxl(ours_path)
        theirs = time_xlsxwriter(theirs_path)
        peak = peak_memory_of_command(Path(tmp) / "command.xlsx", url)
        print(f"database: {url.split('@')[-1]}")
        print(f"openpyxl write-only (Duban builder, all 5 sheets): {ours:.1f} s, {ours_path.stat().st_size / 1e6:.1f} MB")
        if theirs is not None:
            print(f"XlsxWriter constant_memory (same rows, 3 sheets): {theirs:.1f} s, {theirs_path.stat().st_size / 1e6:.1f} MB")
            print(f"ratio: {ours / theirs:.2f}x [target ≤ 1.6x]")
        print(f"peak memory of export_audit_workbook: {peak:.0f} MB [target < 200 MB]")


if __name__ == "__main__":
    main()
