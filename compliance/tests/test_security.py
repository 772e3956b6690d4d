"""Sessions, CSRF, production settings, read-only history (the login lockout: tests/auth/)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client

from compliance.tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_axes():
    from axes.utils import reset

    reset()
    yield
    reset()


def _login(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_session_key_changes_at_login(client, lead_a):
    client.get("/accounts/login/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    assert _login(client, lead_a.username, PASSWORD).status_code == 302
    assert client.session.session_key != before


def test_logout_ends_the_session(client, lead_a):
    _login(client, lead_a.username, PASSWORD)
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_deactivating_a_user_ends_their_session(client, lead_a):
    _login(client, lead_a.username, PASSWORD)
    assert client.get("/").status_code == 200
    lead_a.is_active = False
    lead_a.save()
    assert client.get("/").status_code == 302


def test_csrf_is_enforced_on_forms(lead_a):
    client = Client(enforce_csrf_checks=True)
    resp = client.post("/accounts/login/", {"username": lead_a.username, "password": PASSWORD})
    assert resp.status_code == 403


def test_history_is_not_editable_in_the_admin():
    """No historical model is registered, and reverting from history is disabled."""
    from django.conf import settings

    registered = {m.__name__ for m in admin.site._registry}
    assert not any(name.startswith("Historical") for name in registered)
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_production_settings_pass_check_deploy(tmp_path):
    """`manage.py check --deploy` reports nothing with production settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DEBUG": "off",
            "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
            "ALLOWED_HOSTS": "duban.example.edu.cn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout
