"""API test helpers: a client per role (real token authentication) and a small world of objects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance.models import User

SAMPLE_POLICY = Path(__file__).resolve().parents[1] / "parsing" / "data" / "sample_notice.txt"

# The seven callers of the permission table.
ROLES = ("anonymous", "admin", "auditor", "school_leader", "lead_own", "lead_other", "member")


@pytest.fixture
def role_users(admin_user, auditor, school_leader, lead_a, lead_b, member_a) -> dict[str, User | None]:
    """Each role of the table as a user; the "own" department is dept_a (教务处)."""
    return {
        "anonymous": None,
        "admin": admin_user,
        "auditor": auditor,
        "school_leader": school_leader,
        "lead_own": lead_a,
        "lead_other": lead_b,
        "member": member_a,
    }


def token_client(user: User | None) -> APIClient:
    """A client that authenticates like an API consumer: ``Authorization: Token <key>``."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api() -> Callable[[User | None], APIClient]:
    return token_client


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is an error in the one API format."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The role fixtures set passwords; a fast hasher keeps hundreds of table cases quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
