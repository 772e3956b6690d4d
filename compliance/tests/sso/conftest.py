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
REQUIRE_SERVICES = os.environ.get("DUBAN_REQUIRE_SERVICES") == "1"
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
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass  # not listening yet, or its first request is still loading Django
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


# --- a real slapd ------------------------------------------------------------------------------

SLAPD = Path("/usr/sbin/slapd")
BASE_DN = "dc=example,dc=edu,dc=cn"
ADMIN_DN = f"cn=admin,{BASE_DN}"
ADMIN_PASSWORD = "slapd-admin-secret"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")


class Slapd:
    """The running server: its URI and helpers to add people and groups."""

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def connect(self):
        import ldap

        conn = ldap.initialize(self.uri)
        conn.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return conn

    def add(self, dn: str, attrs: dict[str, str | list[str]]) -> None:
        import ldap.modlist

        entry = {k: [v.encode() for v in (vals if isinstance(vals, list) else [vals])] for k, vals in attrs.items()}
        conn = self.connect()
        try:
            conn.add_s(dn, ldap.modlist.addModlist(entry))
        finally:
            conn.unbind_s()

    def replace(self, dn: str, attr: str, values: list[str]) -> None:
        import ldap

        conn = self.connect()
        try:
            conn.modify_s(dn, [(ldap.MOD_REPLACE, attr, [v.encode() for v in values])])
        finally:
            conn.unbind_s()


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    """Debian's slapd on a free port in a temporary folder (skipped locally when not installed)."""
    if not SLAPD.exists():
        if REQUIRE_SERVICES:
            pytest.fail("slapd is not installed (apt-get install slapd ldap-utils)")
        pytest.skip("slapd is not installed (apt-get install slapd ldap-utils)")
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        if REQUIRE_SERVICES:
            pytest.fail("the LDAP extra is not installed (pip install -r requirements-ldap.txt)")
        pytest.skip("the LDAP extra is not installed (pip install -r requirements-ldap.txt)")
    work = tmp_path_factory.mktemp("slapd")
    (work / "db").mkdir()
    includes = "\n".join(f"include /etc/ldap/schema/{s}.schema" for s in SCHEMAS)
    (work / "slapd.conf").write_text(
        f"""{includes}
pidfile {work}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{BASE_DN}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {work}/db
""",
        encoding="utf-8",
    )
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}/"
    log = open(work / "slapd.log", "wb")
    # -d keeps slapd in the foreground, so the test owns the process and stops it by its id.
    proc = subprocess.Popen(
        [str(SLAPD), "-f", str(work / "slapd.conf"), "-h", uri, "-d", "0"], stdout=log, stderr=subprocess.STDOUT
    )
    server = Slapd(uri)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.connect().unbind_s()
                break
            except Exception:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("slapd did not start: " + (work / "slapd.log").read_text()) from None
                time.sleep(0.2)
        server.add(BASE_DN, {"objectClass": ["dcObject", "organization"], "dc": "example", "o": "东方大学"})
        for ou in ("people", "groups"):
            server.add(f"ou={ou},{BASE_DN}", {"objectClass": "organizationalUnit", "ou": ou})
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
