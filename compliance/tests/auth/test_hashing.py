"""Bounded password hashing: a host runs at most N password checks at once; a login that waits too long is told to retry."""

from __future__ import annotations

import threading

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from compliance.auth.hashers import PasswordCheckBusy, hashing_slot
from compliance.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def bounded(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["compliance.auth.hashers.Argon2idHasher"]
    settings.DUBAN_PASSWORD_HASH_LOCK_DIR = str(tmp_path / "slots")
    settings.DUBAN_PASSWORD_HASH_CONCURRENCY = 1
    settings.DUBAN_PASSWORD_HASH_WAIT_SECONDS = 0.3
    return settings


class SlotHolder(threading.Thread):
    """Holds one hashing slot (as a long password check in another request would) until released."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.entered, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        with hashing_slot():
            self.entered.set()
            self.release.wait(30)


@pytest.mark.parametrize("slots", [1, 2])
def test_no_more_than_the_configured_number_of_checks_run_at_once(bounded, slots):
    bounded.DUBAN_PASSWORD_HASH_CONCURRENCY = slots
    bounded.DUBAN_PASSWORD_HASH_WAIT_SECONDS = 30
    inside, most, lock = 0, 0, threading.Lock()
    start = threading.Barrier(6)

    def check() -> None:
        nonlocal inside, most
        start.wait()
        with hashing_slot():
            with lock:
                inside += 1
                most = max(most, inside)
            threading.Event().wait(0.05)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=check) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert most == slots


def test_a_login_that_cannot_get_a_slot_is_a_503_and_not_a_failure(bounded, lead_a):
    holder = SlotHolder()
    holder.start()
    holder.entered.wait(10)
    try:
        resp = Client().post("/accounts/login/", {"username": lead_a.username, "password": PASSWORD})
        assert resp.status_code == 503
        assert resp["Retry-After"] == "2"
        assert "登录人数较多" in resp.content.decode()
        api = APIClient().post("/api/auth/token/", {"username": lead_a.username, "password": PASSWORD}, format="json")
        assert api.status_code == 503 and api.json()["error"]["code"] == "login_busy"
        assert api["Retry-After"] == "2"
    finally:
        holder.release.set()
        holder.join(10)
    assert not AccessAttempt.objects.exists()
    assert Client().post("/accounts/login/", {"username": lead_a.username, "password": PASSWORD}).status_code == 302


def test_the_slot_wait_raises_busy_only_after_the_wait(bounded):
    holder = SlotHolder()
    holder.start()
    holder.entered.wait(10)
    try:
        with pytest.raises(PasswordCheckBusy):
            with hashing_slot():
                pass
    finally:
        holder.release.set()
        holder.join(10)
    with hashing_slot():
        pass  # free again
