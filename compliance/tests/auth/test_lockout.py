"""Login lockout: the (user name, address) pair locks; an address locks only at a high threshold."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from compliance.models import LoginLock
from compliance.tests.factories import PASSWORD, UserFactory

from .conftest import fail_times, login

pytestmark = pytest.mark.django_db

CAMPUS_NAT = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.20"


def test_five_failures_lock_the_pair_with_429_and_retry_after(clock, lead_a):
    """After 5 wrong passwords from one address, the right password from there is refused too."""
    fail_times(clock, lead_a.username, 5, ip=CAMPUS_NAT)
    resp = login(lead_a.username, PASSWORD, ip=CAMPUS_NAT)
    assert resp.status_code == 429
    assert "锁定" in resp.content.decode()
    assert 1700 < int(resp["Retry-After"]) <= 1800


def test_a_locked_pair_does_not_lock_the_same_name_from_another_address(clock, lead_a):
    """Failures from one terminal do not lock the account for its owner elsewhere."""
    fail_times(clock, lead_a.username, 5, ip=CAMPUS_NAT)
    assert login(lead_a.username, PASSWORD, ip=OTHER_ADDRESS).status_code == 302


def test_a_locked_pair_does_not_lock_other_people_behind_the_same_address(clock, lead_a, lead_b):
    """One person mistyping behind the campus NAT does not lock out the rest of the building."""
    fail_times(clock, lead_a.username, 5, ip=CAMPUS_NAT)
    assert login(lead_b.username, PASSWORD, ip=CAMPUS_NAT).status_code == 302


def test_the_lock_ends_after_thirty_minutes(clock, lead_a):
    fail_times(clock, lead_a.username, 5, ip=CAMPUS_NAT)
    clock.shift(dt.timedelta(minutes=31))
    assert login(lead_a.username, PASSWORD, ip=CAMPUS_NAT).status_code == 302


def test_forged_forwarded_for_header_neither_spreads_nor_resets_failures(clock, lead_a):
    """Changing X-Forwarded-For on every try keeps counting against the socket address."""
    for i in range(5):
        clock.shift(dt.timedelta(seconds=120))
        login(lead_a.username, "wrong", ip=CAMPUS_NAT, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    resp = login(lead_a.username, PASSWORD, ip=CAMPUS_NAT, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert resp.status_code == 429


def test_fewer_failures_then_success_resets_the_count(clock, lead_a):
    fail_times(clock, lead_a.username, 4, ip=CAMPUS_NAT)
    clock.shift(dt.timedelta(seconds=60))
    assert login(lead_a.username, PASSWORD, ip=CAMPUS_NAT).status_code == 302
    fail_times(clock, lead_a.username, 4, ip=CAMPUS_NAT)
    clock.shift(dt.timedelta(seconds=60))
    assert login(lead_a.username, PASSWORD, ip=CAMPUS_NAT).status_code == 302


# --- progressive delay ------------------------------------------------------------------------


def test_progressive_delay_grows_with_each_failure(clock, lead_a):
    """From the second failure on, the next try must wait 2, then 4, then 8 seconds."""
    clock.shift(dt.timedelta(seconds=60))
    assert login(lead_a.username, "wrong", ip=CAMPUS_NAT).status_code == 200
    waits = []
    for _ in range(3):
        clock.shift(dt.timedelta(seconds=60))
        assert login(lead_a.username, "wrong", ip=CAMPUS_NAT).status_code == 200
        resp = login(lead_a.username, PASSWORD, ip=CAMPUS_NAT)  # at once: too early
        assert resp.status_code == 429
        assert "秒后再试" in resp.content.decode()
        waits.append(int(resp["Retry-After"]))
    assert waits == [2, 4, 8]


def test_a_try_during_the_delay_is_refused_without_counting(clock, lead_a):
    """Hammering during the wait does not bring the lock closer: after it, the password works."""
    fail_times(clock, lead_a.username, 3, ip=CAMPUS_NAT)
    for _ in range(10):
        assert login(lead_a.username, "wrong", ip=CAMPUS_NAT).status_code == 429
    clock.shift(dt.timedelta(seconds=5))
    assert login(lead_a.username, PASSWORD, ip=CAMPUS_NAT).status_code == 302


def test_the_first_failure_costs_no_wait(clock, lead_a):
    clock.shift(dt.timedelta(seconds=60))
    login(lead_a.username, "wrong", ip=CAMPUS_NAT)
    assert login(lead_a.username, PASSWORD, ip=CAMPUS_NAT).status_code == 302


# --- spraying names that do not exist ---------------------------------------------------------


def test_failures_on_invented_names_do_not_lock_real_users_below_the_high_threshold(clock, lead_a, settings):
    """Five, and even forty-nine, invented names from the NAT address leave real users alone."""
    assert settings.DUBAN_LOGIN_ADDRESS_LIMIT == 50
    for i in range(49):
        clock.shift(dt.timedelta(seconds=1))
        assert login(f"nobody{i}", "guess", ip=CAMPUS_NAT).status_code == 200
    assert login(lead_a.username, PASSWORD, ip=CAMPUS_NAT).status_code == 302


def test_spraying_invented_names_locks_the_address_at_the_high_threshold(clock, lead_a, lead_b):
    """The fiftieth failure on a name that does not exist locks the address for every name."""
    for i in range(50):
        clock.shift(dt.timedelta(seconds=1))
        login(f"nobody{i}", "guess", ip=CAMPUS_NAT)
    resp = login(lead_a.username, PASSWORD, ip=CAMPUS_NAT)
    assert resp.status_code == 429
    assert "不存在的用户名" in resp.content.decode()
    assert login(lead_b.username, PASSWORD, ip=OTHER_ADDRESS).status_code == 302
    lock = LoginLock.objects.get(scope=LoginLock.Scope.ADDRESS)
    assert lock.ip_address == CAMPUS_NAT and lock.username == ""


def test_failures_on_existing_names_do_not_count_against_the_address(clock, settings):
    """Real people mistyping (each below their own limit) never add up to an address lock."""
    settings.DUBAN_LOGIN_ADDRESS_LIMIT = 6
    people = [UserFactory(username=f"staff{i}") for i in range(4)]
    for person in people:
        fail_times(clock, person.username, 3, ip=CAMPUS_NAT)
    clock.shift(dt.timedelta(seconds=60))
    assert login(people[0].username, PASSWORD, ip=CAMPUS_NAT).status_code == 302


# --- the API token endpoint -------------------------------------------------------------------


def test_token_endpoint_answers_429_with_retry_after_in_the_api_format(clock, lead_a):
    client = APIClient(REMOTE_ADDR=CAMPUS_NAT)
    for _ in range(5):
        clock.shift(dt.timedelta(seconds=120))
        client.post("/api/auth/token/", {"username": lead_a.username, "password": "wrong"}, format="json")
    resp = client.post("/api/auth/token/", {"username": lead_a.username, "password": PASSWORD}, format="json")
    assert resp.status_code == 429
    assert resp.json()["error"]["code"] == "locked_out"
    assert int(resp["Retry-After"]) > 1700


def test_token_endpoint_delay_is_a_429_with_retry_after_too(clock, lead_a):
    client = APIClient(REMOTE_ADDR=CAMPUS_NAT)
    for _ in range(2):
        clock.shift(dt.timedelta(seconds=120))
        client.post("/api/auth/token/", {"username": lead_a.username, "password": "wrong"}, format="json")
    resp = client.post("/api/auth/token/", {"username": lead_a.username, "password": PASSWORD}, format="json")
    assert resp.status_code == 429
    assert resp["Retry-After"] == "2"
    assert "秒后再试" in resp.json()["error"]["message"]
