"""A real CAS 3.0 server process (django-cas-server under gunicorn) for the single sign-on tests."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
# Services the test CAS server issues tickets for: Duban under the test client, and another site.
SERVICE_PATTERNS = (r"^http://testserver/.*$", r"^http://other\.example/.*$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CasServer:
    """The running server: its URL, its users, and a browser-like login that returns a ticket."""

    def __init__(self, url: str, users_file: Path) -> None:
        self.url = url
        self.users_file = users_file

    def set_users(self, users: dict[str, dict]) -> None:
        self.users_file.write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")

    def login(self, *, service: str, username: str, password: str) -> str:
        """Sign in on the CAS login page as a browser would; return the service ticket."""
        browser = requests.Session()
        page = browser.get(f"{self.url}login", params={"service": service}, timeout=10)
        hidden = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
        resp = browser.post(
            f"{self.url}login",
            data={**hidden, "username": username, "password": password},
            allow_redirects=False,
            timeout=10,
        )
        assert resp.status_code == 302, f"CAS login refused: {resp.status_code}"
        query = urllib.parse.urlparse(resp.headers["Location"]).query
        return urllib.parse.parse_qs(query)["ticket"][0]


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("cas")
    env = {
        **os.environ,
        "CAS_TEST_DB": str(work / "cas.sqlite3"),
        "CAS_TEST_USERS": str(work / "users.json"),
        "DJANGO_SETTINGS_MODULE": "compliance.tests.sso.cas_site.settings",
        "PYTHONPATH": str(ROOT),
    }
    (work / "users.json").write_text("{}", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "compliance.tests.sso.cas_site.setup", *SERVICE_PATTERNS],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    port = free_port()
    log = open(work / "gunicorn.log", "wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--no-control-socket",
            "compliance.tests.sso.cas_site.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/cas/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}login", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test CAS server did not start: " + (work / "gunicorn.log").read_text())
            time.sleep(0.2)
        yield CasServer(url, work / "users.json")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
