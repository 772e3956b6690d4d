"""API tokens: one per user; rotating replaces it, revoking removes it."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance.services import PermissionDeniedError
from compliance.services.tokens import token_revoke, token_rotate

pytestmark = pytest.mark.django_db


def _status_with(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/departments/").status_code


def test_rotating_gives_a_new_token_and_the_old_one_stops_working(lead_a):
    first = token_rotate(user=lead_a)
    assert _status_with(first.key) == 200
    second = token_rotate(user=lead_a)
    assert second.key != first.key
    assert Token.objects.filter(user=lead_a).count() == 1
    assert _status_with(first.key) == 401 and _status_with(second.key) == 200


def test_revoking_removes_the_token_and_says_whether_there_was_one(lead_a, lead_b):
    mine = token_rotate(user=lead_a)
    theirs = token_rotate(user=lead_b)
    assert token_revoke(user=lead_a) is True
    assert token_revoke(user=lead_a) is False
    assert _status_with(mine.key) == 401 and _status_with(theirs.key) == 200


def test_a_deactivated_account_gets_no_token(lead_a):
    lead_a.is_active = False
    lead_a.save()
    with pytest.raises(PermissionDeniedError):
        token_rotate(user=lead_a)
    assert not Token.objects.filter(user=lead_a).exists()
