"""Settings fall back as documented; fixtures load; checks and migrations are clean."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from compliance.models import Department, Membership, User

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(env_overrides: dict[str, str], expr: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "CACHE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DEBUG",
            "EMAIL_URL",
            "ALLOWED_HOSTS",
        }
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "compliance.settings"
    code = f"import django; from django.conf import settings; django.setup(); print(json.dumps({expr}))"
    return subprocess.run(
        [sys.executable, "-c", "import json;" + code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_settings_defaults_without_environment():
    """With nothing set: SQLite in the project folder, Redis on localhost, console e-mail, zh-hans."""
    proc = _settings_in_subprocess(
        {},
        '[settings.DATABASES["default"]["ENGINE"], str(settings.DATABASES["default"]["NAME"]), '
        'settings.CELERY_BROKER_URL, settings.CACHES["default"]["LOCATION"], settings.EMAIL_BACKEND, '
        "settings.TIME_ZONE, settings.LANGUAGE_CODE, [c for c, _ in settings.LANGUAGES], bool(settings.SECRET_KEY)]",
    )
    assert proc.returncode == 0, proc.stderr
    engine, name, broker, cache, email, tz, lang, langs, has_key = json.loads(proc.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == ROOT / "db.sqlite3"
    assert broker == "redis://127.0.0.1:6379/0"
    assert cache.endswith("127.0.0.1:6379/1")
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert (tz, lang) == ("Asia/Shanghai", "zh-hans")
    assert "en" in langs
    assert has_key


def test_settings_from_environment():
    proc = _settings_in_subprocess(
        {
            "DATABASE_URL": "postgres://u:p@db.example:5433/duban",
            "CELERY_BROKER_URL": "redis://broker:6379/3",
            "EMAIL_URL": "smtp://mail.example:25",
        },
        '[settings.DATABASES["default"]["ENGINE"], settings.DATABASES["default"]["HOST"], settings.CELERY_BROKER_URL, settings.EMAIL_HOST]',
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [
        "django.db.backends.postgresql",
        "db.example",
        "redis://broker:6379/3",
        "mail.example",
    ]


def test_secret_key_required_when_debug_is_off():
    """Production (DEBUG off) refuses to start without SECRET_KEY."""
    proc = _settings_in_subprocess({"DEBUG": "off"}, "settings.DEBUG")
    assert proc.returncode != 0
    assert "SECRET_KEY must be set" in proc.stderr


@pytest.mark.django_db
def test_fixtures_load_the_department_directory_and_demo_users():
    out = StringIO()
    call_command("load_demo", "--no-policy", stdout=out)
    assert Department.objects.count() >= 40
    jwc = Department.objects.get(name="教务处")
    assert "本科生院" in jwc.aliases
    assert {"科研处", "科学技术研究院"} <= set(Department.objects.get(name="科学技术处").aliases)
    assert Department.objects.filter(kind=Department.Kind.SCHOOL).count() >= 12
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"admin", "auditor", "leader", "staff"}
    assert Membership.objects.filter(user__username="jwc_lead", department=jwc, role="lead").exists()
    assert User.objects.get(username="admin").check_password("duban-demo-2026")
    # Idempotent: a second run changes nothing.
    call_command("load_demo", "--no-policy", stdout=StringIO())
    assert User.objects.count() == len(json.loads((ROOT / "fixtures/demo_users.json").read_text())["users"])


def test_manage_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
