"""Run Duban on a laptop: prepare the database, then web server, Celery worker and beat.

The broker is decided once, first: Redis when it answers, otherwise the embedded file queue. Every
step after that (migrate, load_demo, collectstatic, the three processes) runs with that decision
in its environment, so e-mails that load_demo queues go out through the same broker the worker
reads. Debugging is off unless ``DEBUG=on`` is set, so users see Duban's own error pages; static
files are then served by WhiteNoise. Ctrl-C stops everything.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand


def redis_reachable(url: str, timeout: float = 1.0) -> bool:
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        return False
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Command(BaseCommand):
    help = "启动 Web 服务、Celery worker 和 beat（开发用）。Ctrl-C 全部停止。"

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--skip-setup", action="store_true", help="不执行 migrate、load_demo 和 collectstatic，直接启动。"
        )

    def environment(self) -> dict[str, str]:
        """The environment every step runs with: the broker decided once, debugging off by default."""
        env = os.environ.copy()
        if redis_reachable(settings.CELERY_BROKER_URL):
            self.stdout.write(f"Redis 可用：{settings.CELERY_BROKER_URL}")
        else:
            self.stdout.write(
                self.style.WARNING("Redis 不可达，改用内嵌的文件队列（var/broker）和本地缓存；提醒与后台任务照常运行。")
            )
            env["CELERY_BROKER_URL"] = "filesystem://"
            env["CACHE_URL"] = "locmemcache://"
        env.setdefault("DEBUG", "off")
        if env["DEBUG"].lower() in ("off", "false", "0", "no"):
            # A laptop over plain HTTP: the production hardening that needs HTTPS stays off, and the
            # development key generated under var/ is used unless SECRET_KEY is given.
            env.setdefault("SECRET_KEY", settings.SECRET_KEY)
            for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
                env.setdefault(name, "off")
            env.setdefault("SECURE_HSTS_SECONDS", "0")
        return env

    def setup(self, env: dict[str, str], base: Path) -> None:
        """Migrate, load the demo data and collect static files, each with the decided environment."""
        python = sys.executable
        for step in (
            ["migrate", "--noinput"],
            ["load_demo"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            subprocess.run([python, "manage.py", *step], cwd=base, env=env, check=True)

    def handle(self, *args, addr: str, skip_setup: bool = False, **options):
        base = Path(settings.BASE_DIR)
        env = self.environment()
        (base / "var").mkdir(exist_ok=True)
        if not skip_setup:
            self.setup(env, base)
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "tasks"]
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            # Every queue (imports, exports, notifications, reminders and the default one).
            "worker": [
                *celery,
                "worker",
                "-l",
                "info",
                "--concurrency",
                "2",
                "-Q",
                ",".join(settings.DUBAN_CELERY_QUEUES),
            ],
            "beat": [*celery, "beat", "-l", "info", "-s", str(base / "var" / "celerybeat-schedule")],
        }
        procs: dict[str, subprocess.Popen] = {}
        for name, cmd in commands.items():
            procs[name] = subprocess.Popen(cmd, cwd=base, env=env, start_new_session=True)
        self._banner(addr)
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        # Ctrl-C (SIGINT) and SIGTERM both stop everything, even where the shell started us with
        # SIGINT ignored (a background job).
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping:
                for name, p in procs.items():
                    if p.poll() is not None:
                        self.stderr.write(f"{name} 已退出（代码 {p.returncode}），正在停止其他进程。")
                        stopping = True
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs.values():
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGTERM)
            deadline = time.time() + 10
            for p in procs.values():
                try:
                    p.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
            self.stdout.write("已停止。")

    def _banner(self, addr: str) -> None:
        spec = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo_users.json").read_text(encoding="utf-8"))
        lines = [
            "",
            f"督办 Duban 已启动：http://{addr}/",
            f"演示账号（密码均为 {spec['password']}）：",
        ]
        for u in spec["users"]:
            lines.append(f"  {u['username']:<12} {u['display_name']}")
        lines.append("按 Ctrl-C 停止。")
        self.stdout.write("\n".join(lines))
