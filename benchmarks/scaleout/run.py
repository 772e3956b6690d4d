"""Scale-out on loopback: several web and worker "machines" against ONE PostgreSQL and ONE Redis,
under the load test, with one web process and one busy worker killed (SIGKILL) in the middle.

Run (PostgreSQL and Redis on 127.0.0.1; nginx for the balancer: apt-get install nginx-light):
  .venv/bin/python benchmarks/scaleout/run.py --users 100 --minutes 4 [--two-beats] [--balancer none]

What it does (docs/benchmarks.md, "Scale-out", has the figures):
1. Prepares the database duban_scaleout once (benchmarks/loadtest/prepare.py: migrate, demo data,
   50 load users, 5,000 assignments; then benchmarks/make_data.py --assignments N with COPY).
2. Starts 3 gunicorn processes (2 gthread workers x 4 threads each) on ports 8101-8103, nginx on
   8110 in front of them (round robin, retrying a request a dead process refused), one Celery
   worker per queue (imports, exports, notifications, reminders+celery) and ONE beat
   (``--two-beats``: two). Broker: Redis db 10, cache: db 11, both emptied first.
   Settings: benchmarks/scaleout/settings.py (Duban's on a compressed clock).
3. Runs benchmarks/loadtest/locustfile.py headless (``--users``, ``--minutes``) while the office
   (benchmarks/scaleout/office.py) requests workbooks and imports files through the API.
4. At 40 % of the run kills web process 2 (its whole process group, SIGKILL); then, as soon as
   a workbook is being built, the exports worker (its process group, SIGKILL). Both are started
   again after ``--restart-after`` seconds (0: never; the worker must come back for the exports
   queue to be served), as systemd's Restart=always would.
5. After the load, waits (``--drain``) until every job has ended and the killed worker's message
   has been delivered again, then checks and prints: failed requests and when, every job ended
   (done, or failed with a message), no reminder in the ledger twice, no periodic task run twice
   in one slot, and a table of requests/s and p50/p95 per endpoint.
Logs, locust's CSV files and summary.json go to var/scaleout/<time>/.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.scaleout import checks  # noqa: E402
from benchmarks.scaleout.office import Office  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
WEB_PORTS = (8101, 8102, 8103)
BALANCER_PORT = 8110
QUEUES = {"imports": "imports", "exports": "exports", "notifications": "notifications", "reminders": "reminders,celery"}
PG = "postgres://postgres@127.0.0.1:5432"
NGINX_CONF = """
worker_processes 1;
user root;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  client_max_body_size 25m;
  upstream duban {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://duban;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }}
  }}
}}
"""


class Proc:
    """One process group standing for one machine's service: start, kill (SIGKILL), stop."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], logdir: Path):
        self.name, self.cmd, self.env, self.logdir = name, cmd, env, logdir
        self.popen: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(self.logdir / f"{self.name}.log", "ab")  # kept open for the child
        log.write(f"\n=== start {self.starts} at {time.time():.0f}\n".encode())
        log.flush()
        self.popen = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen and self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        if not self.popen:
            return
        self.kill(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGKILL)
            self.popen.wait()
        try:  # children left behind by a group leader killed earlier
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def environment(args: argparse.Namespace, run_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.scaleout.settings",
        DATABASE_URL=f"{PG}/{args.database}",
        REDIS_URL="redis://127.0.0.1:6379",
        CELERY_BROKER_URL=f"redis://127.0.0.1:6379/{args.broker_db}",
        CACHE_URL=f"redis://127.0.0.1:6379/{args.cache_db}",
        DEBUG="off",
        SECRET_KEY="scaleout-benchmark-only-not-a-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="off",
        SESSION_COOKIE_SECURE="off",
        CSRF_COOKIE_SECURE="off",
        # Compressed clock (benchmarks/scaleout/settings.py): soft 60 s < hard 120 s < stale 130 s
        # < visibility 200 s, as in production 900 < 960 < 1,020 < 3,600.
        DUBAN_JOB_SOFT_TIME_LIMIT="60",
        DUBAN_STALE_JOB_SECONDS="130",
        SCALEOUT_VISIBILITY_TIMEOUT="200",
        DUBAN_INLINE_IMPORT_BYTES="1024",  # every uploaded policy goes to the imports worker
        SCALEOUT_MAIL_DIR=str(run_dir / "mail"),
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{args.database}"')
    with psycopg.connect(f"{PG}/{args.database}") as conn:
        try:
            have = conn.execute("SELECT count(*) FROM compliance_assignment").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            have = 0
    if have >= args.assignments:
        print(f"database {args.database}: {have:,} assignments, already prepared")
        return
    print(f"preparing {args.database} (load users, then {args.assignments:,} assignments with COPY) ...", flush=True)
    subprocess.run([PY, "benchmarks/loadtest/prepare.py"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PY, "benchmarks/make_data.py", "--assignments", str(args.assignments), "--database-url", env["DATABASE_URL"]],
        cwd=ROOT,
        env=env,
        check=True,
    )


def flush_redis(*dbs: int) -> None:
    import redis

    for db in dbs:
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def reset_ledger(env: dict[str, str]) -> None:
    """Empty the reminder ledger, so that each run's first scan fills it under the load."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        conn.execute("DELETE FROM tasks_reminderdelivery")


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def wait_http(url: str, timeout: float = 90) -> None:
    import requests

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def wait_log(path: Path, text: str, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        time.sleep(1)
    raise SystemExit(f"{path.name}: no '{text}' within {timeout:.0f} s")


def build(args: argparse.Namespace, env: dict[str, str], run_dir: Path) -> dict[str, Proc]:
    procs: dict[str, Proc] = {}
    for i, port in enumerate(WEB_PORTS, 1):
        procs[f"web{i}"] = Proc(
            f"web{i}",
            [str(BIN / "gunicorn"), "compliance.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--worker-class", "gthread", "--threads", "4", "--timeout", "60"],
            env, run_dir,
        )  # fmt: skip
    for name, queues in QUEUES.items():
        procs[f"worker-{name}"] = Proc(
            f"worker-{name}",
            [str(BIN / "celery"), "-A", "tasks", "worker", "-Q", queues, "-n", f"{name}@scaleout", "--concurrency", "1",
             "--without-mingle", "--without-gossip", "-l", "info"],
            env, run_dir,
        )  # fmt: skip
    for b in range(1, 3 if args.two_beats else 2):
        procs[f"beat{b}"] = Proc(
            f"beat{b}",
            [str(BIN / "celery"), "-A", "tasks", "beat", "-l", "debug", "-s", str(run_dir / f"beat{b}-schedule")],
            env, run_dir,
        )  # fmt: skip
    if args.balancer == "nginx":
        ndir = run_dir / "nginx"
        ndir.mkdir()
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in WEB_PORTS)
        (ndir / "nginx.conf").write_text(NGINX_CONF.format(dir=ndir, servers=servers, port=BALANCER_PORT))
        procs["balancer"] = Proc(
            "balancer", ["nginx", "-p", str(ndir), "-c", str(ndir / "nginx.conf"), "-g", "daemon off;"], env, run_dir
        )
    return procs


class Sampler(threading.Thread):
    """The load average every 10 s."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(10):
            self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))


def exporting(env: dict[str, str]) -> bool:
    """True while an audit workbook is being built (a worker is running an export job)."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return bool(conn.execute("SELECT 1 FROM compliance_exportjob WHERE status = 'running'").fetchone())


def chaos(args, env, procs, events: list[dict], t0: float, duration: float) -> None:
    """Kill web2 at 40 % of the run, then the exports worker while it builds a workbook."""

    def restart_later(proc: Proc) -> None:
        if args.restart_after > 0:
            time.sleep(args.restart_after)
            proc.start()
            events.append({"t": round(time.time() - t0, 1), "what": f"{proc.name} started again"})

    time.sleep(max(0.0, t0 + 0.4 * duration - time.time()))
    procs["web2"].kill()
    events.append({"t": round(time.time() - t0, 1), "what": "web2 killed (SIGKILL, process group)", "kill": True})
    threading.Thread(target=restart_later, args=(procs["web2"],), daemon=True).start()
    deadline = t0 + 0.8 * duration
    while time.time() < deadline and not exporting(env):
        time.sleep(0.5)
    time.sleep(1.0)  # well inside the workbook
    procs["worker-exports"].kill()
    events.append(
        {"t": round(time.time() - t0, 1), "what": "exports worker killed mid-workbook (SIGKILL)", "kill": True}
    )
    threading.Thread(target=restart_later, args=(procs["worker-exports"],), daemon=True).start()


def departments(env: dict[str, str]) -> list[int]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM compliance_department ORDER BY id LIMIT 30")]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=100)
    p.add_argument("--spawn-rate", type=float, default=10)
    p.add_argument("--minutes", type=float, default=4)
    p.add_argument("--assignments", type=int, default=20_000, help="made by make_data.py (plus 5,000 of prepare.py)")
    p.add_argument("--two-beats", action="store_true", help="start a second beat (the single-scheduler rule)")
    p.add_argument("--balancer", choices=("nginx", "none"), default="nginx")
    p.add_argument("--restart-after", type=float, default=20, help="seconds before a killed process starts again")
    p.add_argument("--drain", type=float, default=420, help="at most this long after the load for jobs to end")
    p.add_argument("--database", default="duban_scaleout")
    p.add_argument("--broker-db", type=int, default=10)
    p.add_argument("--cache-db", type=int, default=11)
    args = p.parse_args()

    run_dir = ROOT / "var" / "scaleout" / time.strftime("%Y%m%d-%H%M%S")
    (run_dir / "mail").mkdir(parents=True)
    env = environment(args, run_dir)
    for port in (*WEB_PORTS, BALANCER_PORT):
        if not port_free(port):
            raise SystemExit(f"port {port} is in use")
    prepare(args, env)
    flush_redis(args.broker_db, args.cache_db)
    reset_ledger(env)
    first_ids = checks.job_marks(env)
    procs = build(args, env, run_dir)
    hosts = [f"http://127.0.0.1:{BALANCER_PORT}"] if args.balancer == "nginx" else [
        f"http://127.0.0.1:{p}" for p in WEB_PORTS
    ]  # fmt: skip
    events: list[dict] = []
    sampler = Sampler()
    office = None
    try:
        for proc in procs.values():
            proc.start()
        for port in WEB_PORTS:
            wait_http(f"http://127.0.0.1:{port}/accounts/login/")
        for h in hosts:
            wait_http(f"{h}/accounts/login/")
        for name in QUEUES:
            wait_log(run_dir / f"worker-{name}.log", "ready.")
        print(f"started: {', '.join(procs)}; logs in {run_dir}", flush=True)
        sampler.start()
        office = Office(hosts, ROOT / "fixtures" / "demo_policy.txt", departments(env))
        office.start()
        duration = args.minutes * 60
        t0 = time.time()
        locust_env = {**env, "DUBAN_LOAD_HOSTS": ",".join(hosts)} if len(hosts) > 1 else env
        locust = subprocess.Popen(
            [str(BIN / "locust"), "-f", "benchmarks/loadtest/locustfile.py", "--host", hosts[0], "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(duration)}s", "--csv",
             str(run_dir / "locust"), "--csv-full-history", "--only-summary", "--stop-timeout", "10"],
            cwd=ROOT, env=locust_env, stdout=open(run_dir / "locust.log", "wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        threading.Thread(target=chaos, args=(args, env, procs, events, t0, duration), daemon=True).start()
        locust.wait()
        load_end = time.time() - t0
        office.submitting.clear()
        events.append({"t": round(load_end, 1), "what": "load ended; no more jobs submitted"})
        print(f"load ended after {load_end:.0f} s; waiting for jobs and redeliveries ...", flush=True)
        deadline = time.time() + args.drain
        while time.time() < deadline and (office.open_jobs() or checks.unacked(args.broker_db)):
            time.sleep(5)
        time.sleep(5)  # the last follow-up polls of the office
        events.append({"t": round(time.time() - t0, 1), "what": "drained"})
        sampler.stop.set()
        office.stopped.set()
        office.join(timeout=30)
        summary = checks.summarize(
            run_dir=run_dir, env=env, t0=t0, events=events, office=office, first_ids=first_ids, args=args,
            load=sampler.samples, broker_db=args.broker_db,
        )  # fmt: skip
        summary["load_average"] = {
            "min": min(sampler.samples, default=0),
            "median": statistics.median(sampler.samples) if sampler.samples else 0,
            "max": max(sampler.samples, default=0),
        }
        (run_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
        print(checks.render(summary))
    finally:
        if office:
            office.stopped.set()
        for proc in reversed(list(procs.values())):
            proc.stop()


if __name__ == "__main__":
    main()
