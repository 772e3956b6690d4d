"""The 督查办 during the scale-out run: requests workbooks and imports policy files through the API.

One thread, as one administrator would work in a browser tab: every few seconds it asks for an
audit workbook (the whole university, or one department) or uploads a policy file (large enough
to go to the imports worker), confirms the previews it gets back, and presses 重试 (retry) on a
job that failed because its worker was lost, as the job's page invites. Every request goes to
the same address as the simulated users (the balancer, or the web processes in turn).
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ADMIN = ("admin", "duban-demo-2026")
FINAL = ("done", "failed")
LOST_WORKER = "时间上限"  # in the message of a job the stale-job check failed (background.time_limit_message)


@dataclass
class Job:
    kind: str  # "export" or "import"
    id: int
    submitted: float
    status: str = "pending"
    stage: str = ""
    message: str = ""
    retried: int = 0
    confirmed: bool = False
    history: list[str] = field(default_factory=list)

    @property
    def final(self) -> bool:
        if self.kind == "import" and self.status == "done" and self.stage == "preview":
            return False  # the office still has to confirm it
        return self.status in FINAL and not (
            self.status == "failed" and LOST_WORKER in self.message and not self.retried
        )


class Office(threading.Thread):
    def __init__(self, hosts: list[str], policy: Path, departments: list[int], *, every: float = 10.0):
        super().__init__(name="office", daemon=True)
        self.hosts = itertools.cycle(hosts)
        self.policy = policy.read_text(encoding="utf-8")
        self.departments = departments
        self.every = every
        self.jobs: list[Job] = []
        self.errors: list[str] = []  # requests of the office that failed (time, what)
        self.submitting = threading.Event()
        self.submitting.set()
        self.stopped = threading.Event()
        self.session = requests.Session()

    # --- HTTP ----------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kw) -> dict | None:
        url = next(self.hosts) + path
        try:
            r = self.session.request(method, url, timeout=60, **kw)
        except requests.RequestException as exc:
            self.errors.append(f"{time.time():.0f} {method} {path}: {exc.__class__.__name__}")
            return None
        if r.status_code >= 400:
            self.errors.append(f"{time.time():.0f} {method} {path}: HTTP {r.status_code} {r.text[:120]}")
            return None
        return r.json()

    def login(self) -> None:
        for _ in range(30):
            data = self._call("POST", "/api/auth/token/", json={"username": ADMIN[0], "password": ADMIN[1]})
            if data and data.get("token"):
                self.session.headers["Authorization"] = f"Token {data['token']}"
                return
            time.sleep(2)
        raise SystemExit("the office could not get an API token")

    # --- work ----------------------------------------------------------------------------

    def _submit(self, n: int) -> None:
        if n % 2:
            name = f"scaleout-{n:03d}.txt"
            title, rest = self.policy.split("\n", 1)
            text = f"{title}（第{n}批）\n{rest}\n（本文件为扩展测试第{n}份。）\n"
            data = self._call("POST", "/api/documents/import/", files={"file": (name, text.encode("utf-8"))})
            kind = "import"
        else:
            body = {} if n % 4 == 0 else {"department": self.departments[n % len(self.departments)]}
            data = self._call("POST", "/api/export-jobs/", json=body)
            kind = "export"
        if data:
            self.jobs.append(
                Job(kind, data["id"], time.time(), data["status"], (data.get("result") or {}).get("stage", ""))
            )

    def _follow(self, job: Job) -> None:
        path = f"/api/{job.kind}-jobs/{job.id}/"
        data = self._call("GET", path)
        if not data:
            return
        stage = (data.get("result") or {}).get("stage", "") if job.kind == "import" else ""
        if (data["status"], stage) != (job.status, job.stage):
            job.history.append(f"{time.time():.0f} {data['status']} {stage}".strip())
        job.status, job.stage, job.message = data["status"], stage, data.get("message") or ""
        if job.kind == "import" and job.status == "done" and job.stage == "preview" and not job.confirmed:
            if self._call("POST", f"{path}confirm/", json={}) is not None:
                job.confirmed = True
        elif job.status == "failed" and LOST_WORKER in job.message and not job.retried:
            if self._call("POST", f"{path}retry/") is not None:  # 重试, as the job's page offers
                job.retried += 1
                job.history.append(f"{time.time():.0f} retried")

    def run(self) -> None:
        self.login()
        n = 0
        next_submit = time.time()
        while not self.stopped.is_set():
            if self.submitting.is_set() and time.time() >= next_submit:
                self._submit(n)
                n += 1
                next_submit += self.every
            for job in self.jobs:
                if not job.final:
                    self._follow(job)
            self.stopped.wait(2.0)

    def open_jobs(self) -> list[Job]:
        return [j for j in self.jobs if not j.final]
