"""Load test: 50 signed-in department users across the main pages and the API, on loopback only.

Run (see docs/benchmarks.md for the recorded figures):
  .venv/bin/locust -f benchmarks/loadtest/locustfile.py --host http://127.0.0.1:8100 \
      --headless -u 50 -r 5 -t 5m --csv var/loadtest --only-summary
The host must be a loopback address; the file refuses anything else.

Several web processes without a balancer (benchmarks/scaleout/run.py --balancer none): list them
in DUBAN_LOAD_HOSTS (comma-separated); each simulated user sticks to one of them, in turn.
"""

from __future__ import annotations

import os
import random
import re
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

PASSWORD = "load-test-2026"
_counter = iter(range(10_000))
HOSTS = [h.strip().rstrip("/") for h in os.environ.get("DUBAN_LOAD_HOSTS", "").split(",") if h.strip()]


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    for url in [environment.host or "", *HOSTS]:
        host = urlparse(url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"refusing to load-test a non-loopback host: {host}")


class DepartmentUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        k = next(_counter)
        n = k % 50
        if HOSTS:  # one web process per user, in turn
            self.host = self.client.base_url = HOSTS[k % len(HOSTS)]
        self.client.get("/accounts/login/", name="/accounts/login/")
        token = self.client.cookies.get("csrftoken")
        self.client.post(
            "/accounts/login/",
            {"username": f"load{n:02d}", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="/accounts/login/ (POST)",
        )
        page = self.client.get("/tasks/", name="/tasks/").text
        self.item_ids = [int(x) for x in re.findall(r'href="/assignments/(\d+)/"', page)] or [1]

    @task(3)
    def task_list(self) -> None:
        self.client.get("/tasks/", name="/tasks/")

    @task(2)
    def tasks_overdue(self) -> None:
        self.client.get("/tasks/?overdue=1&sort=due", name="/tasks/?overdue=1")

    @task(3)
    def item(self) -> None:
        self.client.get(f"/assignments/{random.choice(self.item_ids)}/", name="/assignments/[id]/")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    def notifications(self) -> None:
        self.client.get("/notifications/", name="/notifications/")

    @task(3)
    def api_assignments(self) -> None:
        self.client.get("/api/assignments/?page_size=50", name="/api/assignments/")

    @task(1)
    def api_assignment(self) -> None:
        self.client.get(f"/api/assignments/{random.choice(self.item_ids)}/", name="/api/assignments/[id]/")

    @task(1)
    def api_dashboard(self) -> None:
        self.client.get("/api/dashboard/", name="/api/dashboard/")
