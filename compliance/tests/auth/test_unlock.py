"""The office's unlock screen: who is locked, since when, from where; unlock with a logged reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from compliance.models import LoginLock
from compliance.permissions import PermissionDeniedError
from compliance.selectors_accounts import login_lock_active
from compliance.services import ServiceError
from compliance.services.accounts import login_lock_release
from compliance.tests.factories import PASSWORD

from .conftest import fail_times, login

pytestmark = pytest.mark.django_db

NAT = "192.0.2.10"


def _office(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_unlock_screen_shows_who_since_when_and_from_where(clock, admin_user, lead_a):
    fail_times(clock, lead_a.username, 5, ip=NAT)
    lock = LoginLock.objects.get()
    page = _office(admin_user).get("/accounts/locks/").content.decode()
    assert lead_a.username in page
    assert NAT in page
    assert timezone.localtime(lock.locked_at).strftime("%Y-%m-%d %H:%M") in page
    assert lock.scope == LoginLock.Scope.PAIR and lock.failures == 5


def test_unlocking_with_a_reason_lets_the_person_in_and_keeps_the_reason(clock, admin_user, lead_a):
    fail_times(clock, lead_a.username, 5, ip=NAT)
    lock = LoginLock.objects.get()
    resp = _office(admin_user).post(f"/accounts/locks/{lock.pk}/unlock/", {"reason": "本人电话确认，已重设密码"})
    assert resp.status_code == 302
    assert login(lead_a.username, PASSWORD, ip=NAT).status_code == 302
    lock.refresh_from_db()
    assert lock.released_by == admin_user
    assert lock.release_reason == "本人电话确认，已重设密码"
    assert lock.released_at is not None
    page = _office(admin_user).get("/accounts/locks/").content.decode()
    assert "本人电话确认，已重设密码" in page
    assert "当前没有被锁定的账号或地址" in page


def test_unlocking_without_a_reason_is_refused_and_changes_nothing(clock, admin_user, lead_a):
    fail_times(clock, lead_a.username, 5, ip=NAT)
    lock = LoginLock.objects.get()
    resp = _office(admin_user).post(f"/accounts/locks/{lock.pk}/unlock/", {"reason": "   "}, follow=True)
    assert "请填写解锁原因" in resp.content.decode()
    assert login(lead_a.username, PASSWORD, ip=NAT).status_code == 429
    lock.refresh_from_db()
    assert lock.released_at is None


def test_an_address_lock_is_listed_and_can_be_lifted(clock, admin_user, lead_a):
    for i in range(50):
        clock.shift(dt.timedelta(seconds=1))
        login(f"ghost{i}", "x", ip=NAT)
    [lock] = login_lock_active(user=admin_user)
    assert lock.scope == LoginLock.Scope.ADDRESS
    login_lock_release(lock=lock, by=admin_user, reason="机房扫描已处理")
    assert login(lead_a.username, PASSWORD, ip=NAT).status_code == 302


def test_only_the_office_may_unlock(clock, admin_user, lead_a, lead_b, auditor):
    fail_times(clock, lead_a.username, 5, ip=NAT)
    lock = LoginLock.objects.get()
    for outsider in (lead_b, auditor):
        with pytest.raises(PermissionDeniedError):
            login_lock_release(lock=lock, by=outsider, reason="想帮同事解锁")
        assert _office(outsider).post(f"/accounts/locks/{lock.pk}/unlock/", {"reason": "x"}).status_code == 403
    assert login_lock_active(user=lead_b) == []
    assert login(lead_a.username, PASSWORD, ip=NAT).status_code == 429


def test_a_released_lock_cannot_be_released_twice(clock, admin_user, lead_a):
    fail_times(clock, lead_a.username, 5, ip=NAT)
    lock = LoginLock.objects.get()
    login_lock_release(lock=lock, by=admin_user, reason="确认本人")
    with pytest.raises(ServiceError):
        login_lock_release(lock=lock, by=admin_user, reason="再次")
    lock.refresh_from_db()
    assert lock.release_reason == "确认本人"


def test_an_expired_lock_is_history_not_active(clock, admin_user, lead_a):
    fail_times(clock, lead_a.username, 5, ip=NAT)
    clock.shift(dt.timedelta(minutes=31))
    assert login_lock_active(user=admin_user) == []
    page = _office(admin_user).get("/accounts/locks/").content.decode()
    assert "到期自动解除" in page


def test_the_sign_in_selectors_show_nothing_to_anyone_but_the_office(clock, admin_user, auditor, lead_a):
    from compliance.models import DirectorySync
    from compliance.selectors_accounts import directory_sync_list, login_lock_history

    fail_times(clock, lead_a.username, 5, ip=NAT)
    DirectorySync.objects.create(source="file", rows={"columns": [], "rows": []}, report={}, created_by=admin_user)
    assert login_lock_history(user=admin_user).count() == 1
    assert directory_sync_list(user=admin_user).count() == 1
    for other in (auditor, lead_a):
        assert not login_lock_history(user=other).exists()
        assert not directory_sync_list(user=other).exists()
        assert login_lock_active(user=other) == []
