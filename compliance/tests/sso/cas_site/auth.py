"""Users of the test CAS server: a JSON file {"user": {"password": ..., "attributes": {...}}}."""

from __future__ import annotations

import json
import os

from cas_server.auth import AuthUser


def _users() -> dict:
    with open(os.environ["CAS_TEST_USERS"], encoding="utf-8") as fh:
        return json.load(fh)


class JsonUsers(AuthUser):
    def test_password(self, password: str) -> bool:
        user = _users().get(self.username)
        return bool(user) and user["password"] == password

    def attributs(self) -> dict:
        user = _users().get(self.username) or {}
        return dict(user.get("attributes", {}))
