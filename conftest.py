"""Shared fixtures: one user per role, two departments, the services' real settings."""

from __future__ import annotations

import os

import pytest

from compliance.tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)

REQUIRE_SERVICES = os.environ.get("DUBAN_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder in every test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A test that switches to English must not leave later tests in English."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Role fixtures set passwords; PBKDF2's deliberate slowness would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def dept_a(db):
    return DepartmentFactory(name="教务处", short_name="教务处", aliases=["本科生院"])


@pytest.fixture
def dept_b(db):
    return DepartmentFactory(name="科学技术处", short_name="科技处", aliases=["科研处"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="t_admin", role="admin")


@pytest.fixture
def auditor(db):
    return UserFactory(username="t_auditor", role="auditor")


@pytest.fixture
def school_leader(db, dept_a):
    user = UserFactory(username="t_leader", role="leader")
    dept_a.school_leader = user
    dept_a.save()
    return user


@pytest.fixture
def lead_a(db, dept_a):
    return MembershipFactory(user=UserFactory(username="t_lead_a"), department=dept_a, role="lead").user


@pytest.fixture
def member_a(db, dept_a):
    return MembershipFactory(user=UserFactory(username="t_member_a"), department=dept_a, role="member").user


@pytest.fixture
def lead_b(db, dept_b):
    return MembershipFactory(user=UserFactory(username="t_lead_b"), department=dept_b, role="lead").user


@pytest.fixture
def assignment_a(db, dept_a):
    return AssignmentFactory(department=dept_a)


@pytest.fixture
def assignment_b(db, dept_b):
    return AssignmentFactory(department=dept_b)


@pytest.fixture
def redis_url():
    """The real Redis from the environment; skipped locally when absent, an error in CI."""
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
    try:
        redis.Redis.from_url(url + "/15", socket_connect_timeout=1).ping()
    except Exception as exc:
        if REQUIRE_SERVICES:
            raise
        pytest.skip(f"Redis not reachable at {url}: {exc}")
    return url
