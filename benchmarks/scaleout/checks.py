"""What the scale-out run checks at the end, and the summary it prints (benchmarks/scaleout/run.py)."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import psycopg
import redis

PERIODIC = ("tasks.reminders.scan_reminders", "tasks.report_reminders.report_rounds", "tasks.reminders.deliver_pending",
            "tasks.jobs.fail_stale_jobs")  # fmt: skip
LOG_TIME = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+: \w+/[\w-]+\] (.*)$")
TASK_LINE = re.compile(r"Task ([\w.]+)\[([0-9a-f-]+)\] (received|succeeded in [\d.]+s: (.*))$")


def job_marks(env: dict[str, str]) -> dict[str, int]:
    """The highest job ids before the run: the run's own jobs come after them."""
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return {
            t: conn.execute(f"SELECT coalesce(max(id), 0) FROM compliance_{t}").fetchone()[0]
            for t in ("importjob", "exportjob")
        }


def unacked(broker_db: int) -> int:
    """Messages taken by a worker and not yet acknowledged (a killed worker's, until redelivered)."""
    return redis.Redis(host="127.0.0.1", port=6379, db=broker_db).hlen("unacked")


def _locust(run_dir: Path) -> dict:
    rows = list(csv.DictReader(open(run_dir / "locust_stats.csv", encoding="utf-8")))
    endpoints = [
        {
            "name": f"{r['Type']} {r['Name']}" if r["Name"] != "Aggregated" else "all",
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "rps": float(r["Requests/s"]),
            "p50": r["50%"],
            "p95": r["95%"],
            "p99": r["99%"],
        }
        for r in rows
    ]
    failures = [
        {"what": f"{r['Method']} {r['Name']}", "error": r["Error"][:160], "count": int(r["Occurrences"])}
        for r in csv.DictReader(open(run_dir / "locust_failures.csv", encoding="utf-8"))
    ]
    # When the failures happened (seconds into the run), from the cumulative history.
    timeline, last = [], 0
    for r in csv.DictReader(open(run_dir / "locust_stats_history.csv", encoding="utf-8")):
        if r["Name"] != "Aggregated":
            continue
        total = int(r["Total Failure Count"])
        if total > last:
            timeline.append((int(r["Timestamp"]), total - last))
            last = total
    return {"endpoints": endpoints, "failures": failures, "failure_times": timeline}


def _jobs(env: dict[str, str], first_ids: dict[str, int]) -> dict:
    out = {}
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        for table in ("importjob", "exportjob"):
            rows = conn.execute(
                f"SELECT id, status, message FROM compliance_{table} WHERE id > %s ORDER BY id", (first_ids[table],)
            ).fetchall()
            out[table] = {
                "statuses": dict(Counter(s for _, s, _ in rows)),
                "failed": [{"id": i, "message": m[:120]} for i, s, m in rows if s == "failed"],
                "unfinished": [i for i, s, _ in rows if s in ("pending", "running")],
                "failed_without_message": [i for i, s, m in rows if s == "failed" and not m.strip()],
            }
        # The ledger's unique key: a reminder recorded twice would show here.
        out["ledger_rows"] = conn.execute("SELECT count(*) FROM tasks_reminderdelivery").fetchone()[0]
        out["ledger_duplicates"] = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM tasks_reminderdelivery GROUP BY assignment_id, kind, occurrence,"
            " channel, recipient HAVING count(*) > 1) d"
        ).fetchone()[0]
    return out


def _log_lines(path: Path):
    if not path.exists():
        return
    for line in path.read_text(errors="replace").splitlines():
        m = LOG_TIME.match(line)
        if m:
            yield m.group(1), m.group(2)


def _periodic(run_dir: Path) -> dict:
    """Per periodic task: the minutes beat fired it, the messages sent, the runs that did work and
    those skipped; then, per firing (the minute its message was sent, from beat's debug log), the
    firings whose work was done twice and those whose work was not done at all."""
    fired: dict[str, set] = defaultdict(set)
    sent_in: dict[str, str] = {}  # task id -> minute sent
    sent: Counter = Counter()
    for beat in sorted(run_dir.glob("beat*.log")):
        for stamp, text in _log_lines(beat):
            m = re.search(r"([\w.]+) sent\. id->([0-9a-f-]+)", text)
            if m:
                fired[m.group(1)].add(stamp[:16])
                sent[m.group(1)] += 1
                sent_in[m.group(2)] = stamp[:16]
    ran: dict[str, Counter] = defaultdict(Counter)
    skipped: Counter = Counter()
    for log in sorted(run_dir.glob("worker-*.log")):
        said_skipped = False  # one pool process per worker: the skip line precedes its task's end
        for _stamp, text in _log_lines(log):
            if "already ran in this slot" in text and not text.startswith("Task "):
                said_skipped = True
            m = TASK_LINE.search(text)
            if not m or m.group(1) not in PERIODIC or m.group(3) == "received":
                continue
            name, task_id = m.group(1), m.group(2)
            if said_skipped:
                skipped[name] += 1
            else:
                ran[name][sent_in.get(task_id, "?")] += 1
            said_skipped = False
    expired = Counter()
    for log in sorted(run_dir.glob("worker-*.log")):
        for _stamp, text in _log_lines(log):
            m = re.search(r"Discarding revoked task: ([\w.]+)\[|task ([\w.]+)\[[0-9a-f-]+\] expired", text, re.I)
            if m:
                expired[m.group(1) or m.group(2)] += 1
    return {
        name: {
            "fired_minutes": len(fired[name]),
            "messages": sent[name],
            "ran": sum(ran[name].values()),
            "skipped": skipped[name],
            "expired": expired[name],
            "firings_run_twice": sorted(k for k, v in ran[name].items() if v > 1),
            "firings_not_run": sorted(fired[name] - set(ran[name])),
        }
        for name in PERIODIC
    }


def _worker_notes(run_dir: Path) -> dict:
    text = "".join(p.read_text(errors="replace") for p in run_dir.glob("worker-*.log"))
    return {
        "duplicate_messages_dropped": text.count("duplicate message dropped"),
        "resumed_by_redelivery": text.count("resumed by its redelivered message"),
        "worker_lost_requeued": text.count("WorkerLostError"),
    }


def summarize(*, run_dir, env, t0, events, office, first_ids, args, load, broker_db) -> dict:
    kill_times = [e["t"] for e in events if e.get("kill")]
    locust = _locust(run_dir)
    near = sum(n for t, n in locust["failure_times"] if any(-2 <= t - t0 - k <= 15 for k in kill_times))
    mails = sum(p.read_text(errors="replace").count("\nSubject: ") for p in (run_dir / "mail").glob("*.log"))
    office_jobs = office.jobs
    return {
        "args": vars(args),
        "events": events,
        "locust": locust,
        "failures_near_kills": near,
        "failures_elsewhere": sum(n for _, n in locust["failure_times"]) - near,
        "office": {
            "submitted": Counter(j.kind for j in office_jobs),
            "retried_by_user": sum(j.retried for j in office_jobs),
            "request_errors": office.errors,
            "histories": {f"{j.kind}-{j.id}": j.history for j in office_jobs if j.retried or j.status == "failed"},
        },
        "jobs": _jobs(env, first_ids),
        "worker": _worker_notes(run_dir),
        "periodic": _periodic(run_dir),
        "emails_sent": mails,
        "unacked_left": unacked(broker_db),
    }


def render(s: dict) -> str:
    lines = ["", "## Scale-out run", ""]
    lines += [f"- {e['t']:>6} s  {e['what']}" for e in s["events"]]
    la = s.get("load_average", {})
    lines += [
        "",
        f"load average (1 min, every 10 s): min {la.get('min')}, median {la.get('median')}, max {la.get('max')}",
    ]
    lines += ["", "| endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for e in s["locust"]["endpoints"]:
        lines.append(
            f"| {e['name']} | {e['requests']:,} | {e['failures']} | {e['rps']:.1f} | {e['p50']} | {e['p95']} | {e['p99']} |"
        )
    lines += [
        "",
        f"request failures: {s['failures_near_kills']} within 15 s of a kill, {s['failures_elsewhere']} elsewhere",
    ]
    lines += [f"  {f['count']} x {f['what']}: {f['error']}" for f in s["locust"]["failures"]]
    j = s["jobs"]
    lines += ["", "| jobs | submitted | done | failed (with message) | left pending/running |", "| --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for kind, table in (("import", "importjob"), ("export", "exportjob")):
        st = j[table]["statuses"]
        lines.append(
            f"| {kind} | {s['office']['submitted'].get(kind, 0)} | {st.get('done', 0)} | {st.get('failed', 0)} "
            f"| {len(j[table]['unfinished'])} |"
        )
    w = s["worker"]
    lines += [
        "",
        f"retried by the user (failed: worker lost): {s['office']['retried_by_user']}; resumed by redelivery: "
        f"{w['resumed_by_redelivery']}; duplicate messages dropped: {w['duplicate_messages_dropped']}; "
        f"unacked messages left: {s['unacked_left']}",
        f"failed without a message: {j['importjob']['failed_without_message'] + j['exportjob']['failed_without_message']}",
        f"office request errors: {len(s['office']['request_errors'])}",
        f"reminder ledger: {j['ledger_rows']:,} rows, {j['ledger_duplicates']} duplicated; e-mails sent: {s['emails_sent']:,}",
        "",
        "| periodic task | minutes fired | messages sent | ran | skipped (slot taken) | expired | firings run twice | firings not run |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, p in s["periodic"].items():
        lines.append(
            f"| {name} | {p['fired_minutes']} | {p['messages']} | {p['ran']} | {p['skipped']} | {p['expired']} "
            f"| {len(p['firings_run_twice'])} | {len(p['firings_not_run'])} |"
        )
    return "\n".join(lines)
