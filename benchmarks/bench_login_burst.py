"""A burst of logins against a real gunicorn, and how long a plain page takes meanwhile.

150 logins, 50 in flight (each a fresh browser: GET the login page, POST the form), while a probe
requests the login page (a plain GET) every 200 ms. Loopback only; bounded in count and time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_login_bench \\
      .venv/bin/python benchmarks/bench_login_burst.py --stored argon2id --workers 4 --threads 8 --slots 1

--stored      the hash stored for every user: argon2id (Duban's hasher) or pbkdf2 (Django 5.2's
              default, 1,000,000 iterations: what accounts hold until their first login after
              the upgrade)
--hashers     duban (Argon2id first, bounded slots) or django-default (PBKDF2 first, no bound:
              the behaviour before)
--workers/--threads   gunicorn sync workers (threads 1) or gthread workers
--slots       DUBAN_PASSWORD_HASH_CONCURRENCY for the run
--hash-only   only time one hash of each kind in this process (CPU seconds), no server
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")

USERS = 150
IN_FLIGHT = 50
PASSWORD = "burst-test-2026"
MAX_SECONDS = 600


def prepare(stored: str) -> None:
    """Migrate and give 150 users the same stored hash (verifying costs the same for each)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from compliance.models import User

    call_command("migrate", verbosity=0)
    encoded = make_password(PASSWORD, hasher="argon2" if stored == "argon2id" else "pbkdf2_sha256")
    User.objects.filter(username__startswith="burst").delete()
    User.objects.bulk_create([User(username=f"burst{i:03d}", password=encoded) for i in range(USERS)])
    from axes.models import AccessAttempt, AccessLog

    AccessAttempt.objects.all().delete()
    AccessLog.objects.all().delete()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "login_burst_settings",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'benchmarks'}",
        "BENCH_HASHERS": args.hashers,
        "DUBAN_PASSWORD_HASH_CONCURRENCY": str(args.slots),
        "DEBUG": "off",
        "SECRET_KEY": "login-burst-benchmark-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SESSION_COOKIE_SECURE": "off",
        "CSRF_COOKIE_SECURE": "off",
        "LOG_LEVEL": "ERROR",
    }
    worker = ["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []
    cmd = [sys.executable, "-m", "gunicorn", "compliance.wsgi", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(args.workers), *worker, "--timeout", "120", "--backlog", "2048", "--no-control-socket"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def one_login(base: str, i: int) -> tuple[float, int]:
    import requests

    s = requests.Session()
    page = s.get(f"{base}/accounts/login/", timeout=120)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    start = time.perf_counter()
    resp = s.post(
        f"{base}/accounts/login/",
        data={"username": f"burst{i:03d}", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=120,
    )
    return time.perf_counter() - start, resp.status_code


def probe(base: str, stop: threading.Event, out: list[float]) -> None:
    import requests

    while not stop.is_set():
        start = time.perf_counter()
        try:
            requests.get(f"{base}/accounts/login/", timeout=60)
            out.append(time.perf_counter() - start)
        except requests.RequestException:
            out.append(float("inf"))
        stop.wait(0.2)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def hash_costs(rounds: int = 10) -> None:
    """CPU time of one password check with each hasher, in this process."""
    import django

    django.setup()
    from django.contrib.auth.hashers import check_password, make_password

    for name in ("argon2", "pbkdf2_sha256"):
        encoded = make_password(PASSWORD, hasher=name)
        cpu = time.process_time()
        for _ in range(rounds):
            check_password(PASSWORD, encoded)
        print(f"{name}: {(time.process_time() - cpu) / rounds * 1000:.0f} ms CPU per check ({encoded[:40]}...)")
    print(f"load={os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", choices=["argon2id", "pbkdf2"], default="argon2id")
    parser.add_argument("--hashers", choices=["duban", "django-default"], default="duban")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--slots", type=int, default=1)
    parser.add_argument("--hash-only", action="store_true")
    args = parser.parse_args()
    if args.hash_only:
        return hash_costs()
    host = urlparse(os.environ.get("DATABASE_URL", "")).hostname
    if host not in ("127.0.0.1", "localhost", None):
        sys.exit("The benchmark runs against a local database only.")
    prepare(args.stored)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args, port)
    try:
        import requests

        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/accounts/login/", timeout=5)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    sys.exit("gunicorn did not start")
                time.sleep(0.3)
        quiet: list[float] = []
        for _ in range(10):
            start = time.perf_counter()
            requests.get(f"{base}/accounts/login/", timeout=10)
            quiet.append(time.perf_counter() - start)
        stop, probes = threading.Event(), []
        prober = threading.Thread(target=probe, args=(base, stop, probes))
        prober.start()
        started = time.perf_counter()
        with cf.ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
            results = list(pool.map(lambda i: one_login(base, i), range(USERS), timeout=MAX_SECONDS))
        elapsed = time.perf_counter() - started
        stop.set()
        prober.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = [t for t, _status in results]
    codes: dict[int, int] = {}
    for _t, status in results:
        codes[status] = codes.get(status, 0) + 1
    load = os.getloadavg()[0]
    print(
        f"stored={args.stored} hashers={args.hashers} workers={args.workers} threads={args.threads} "
        f"slots={args.slots} load={load:.2f}"
    )
    print(f"logins: {USERS} in {elapsed:.1f} s = {USERS / elapsed:.1f}/s, status {codes}")
    print(f"login latency: median {statistics.median(times):.2f} s, p95 {pct(times, 95):.2f} s, max {max(times):.2f} s")
    print(
        f"plain GET during the burst ({len(probes)}): median {statistics.median(probes) * 1000:.0f} ms, "
        f"p95 {pct(probes, 95) * 1000:.0f} ms, max {max(probes) * 1000:.0f} ms; "
        f"quiet median {statistics.median(quiet) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
