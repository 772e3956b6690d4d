"""Fixtures for sign-in tests: a clean lockout state and a clock that can be moved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone


@pytest.fixture(autouse=True)
def _clean_axes():
    from axes.utils import reset

    reset()
    yield
    reset()


@pytest.fixture
def clock():
    """A frozen clock that tests move forward (``clock.shift(seconds)``)."""
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


def login(username: str, password: str, *, ip: str = "192.0.2.10", client: Client | None = None, **extra):
    """POST the login form from a client address."""
    client = client or Client()
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def fail_times(clock, username: str, n: int, *, ip: str = "192.0.2.10", gap: float = 120) -> None:
    """``n`` wrong passwords, each after waiting out any progressive delay (``gap`` seconds)."""
    for _ in range(n):
        clock.shift(dt.timedelta(seconds=gap))
        resp = login(username, "wrong-password", ip=ip)
        assert resp.status_code in (200, 429), resp.status_code
