"""Passwords: tokens revoked on a new password, reset e-mails rate-limited, hashes upgraded."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance.models import PasswordResetRequest, User
from compliance.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _token_works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/assignments/").status_code == 200


def _new_token(user: User) -> str:
    resp = APIClient().post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert resp.status_code == 200
    return resp.json()["token"]


# --- tokens -----------------------------------------------------------------------------------


def test_a_password_set_by_an_administrator_revokes_the_api_token(lead_a, admin_user):
    key = _new_token(lead_a)
    assert _token_works(key)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    office = Client()
    office.force_login(admin_user)
    resp = office.post(
        f"/admin/compliance/user/{lead_a.pk}/password/",
        {"password1": "Another-pass-2026", "password2": "Another-pass-2026", "usable_password": "true"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert not _token_works(key)
    assert not Token.objects.filter(user=lead_a).exists()


def test_a_password_reset_revokes_the_api_token(lead_a):
    key = _new_token(lead_a)
    client = Client()
    client.post("/accounts/password_reset/", {"email": lead_a.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-bound URL
    resp = client.post(form_url, {"new_password1": "Brand-new-2026", "new_password2": "Brand-new-2026"})
    assert resp.status_code == 302
    assert not _token_works(key)


def test_changing_ones_own_password_revokes_the_token_too(lead_a):
    key = _new_token(lead_a)
    client = Client()
    client.force_login(lead_a)
    resp = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Changed-pass-2026", "new_password2": "Changed-pass-2026"},
    )
    assert resp.status_code == 302
    assert not _token_works(key)


def test_saving_a_user_without_a_new_password_keeps_the_token(lead_a):
    key = _new_token(lead_a)
    lead_a.display_name = "新名字"
    lead_a.save()
    assert _token_works(key)


def test_a_hash_upgrade_at_login_is_not_a_password_change(lead_a, settings):
    """Logging in with a PBKDF2 hash re-hashes it with Argon2id, and the token keeps working."""
    settings.PASSWORD_HASHERS = [
        "compliance.auth.hashers.Argon2idHasher",
        "compliance.auth.hashers.LegacyPBKDF2Hasher",
    ]
    User.objects.filter(pk=lead_a.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    key = _new_token(lead_a)  # this login upgrades the hash
    lead_a.refresh_from_db()
    assert lead_a.password.startswith("argon2$argon2id$")
    assert "m=19456,t=2,p=1" in lead_a.password
    assert _token_works(key)
    assert Client().login(username=lead_a.username, password=PASSWORD)


# --- reset e-mails ----------------------------------------------------------------------------


def test_reset_emails_are_limited_per_account(lead_a, settings):
    """Twenty requests for one account send three e-mails; the page looks the same every time."""
    assert settings.DUBAN_PASSWORD_RESET_PER_ACCOUNT == 3
    for i in range(20):
        resp = Client().post("/accounts/password_reset/", {"email": lead_a.email}, REMOTE_ADDR=f"198.51.100.{i}")
        assert resp.status_code == 302 and resp.url == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 3
    assert PasswordResetRequest.objects.filter(outcome="limited_account").count() == 17


def test_reset_requests_are_limited_per_address(settings):
    """One address asking for many accounts is refused with 429 after ten requests an hour."""
    assert settings.DUBAN_PASSWORD_RESET_PER_ADDRESS == 10
    people = [UserFactory(username=f"reset{i}") for i in range(15)]
    statuses = [
        Client().post("/accounts/password_reset/", {"email": p.email}, REMOTE_ADDR="192.0.2.99").status_code
        for p in people
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429] * 5
    assert len(mail.outbox) == 10
    resp = Client().post("/accounts/password_reset/", {"email": people[0].email}, REMOTE_ADDR="192.0.2.99")
    assert resp["Retry-After"] == "3600"
    assert "过于频繁" in resp.content.decode()


def test_the_reset_pages_are_dubans_own_and_chinese():
    page = Client().get("/accounts/password_reset/").content.decode()
    assert "找回密码" in page and "督办" in page


def test_with_sso_on_local_reset_is_off_for_sso_users(settings):
    settings.CAS_SERVER_URL = "https://ids.example.edu.cn/authserver/"
    sso = UserFactory(username="20010001", employee_id="20010001", source=User.Source.CAS)
    local = UserFactory(username="office2", source=User.Source.LOCAL)
    Client().post("/accounts/password_reset/", {"email": sso.email})
    assert mail.outbox == []
    Client().post("/accounts/password_reset/", {"email": local.email})
    assert [m.to for m in mail.outbox] == [[local.email]]
    assert "统一身份认证" in Client().get("/accounts/password_reset/").content.decode()


def test_without_sso_directory_users_with_a_password_may_reset(settings):
    person = UserFactory(username="20010002", employee_id="20010002", source=User.Source.DIRECTORY)
    Client().post("/accounts/password_reset/", {"email": person.email})
    assert len(mail.outbox) == 1


def test_the_reset_email_is_chinese_and_links_to_the_confirm_page(lead_a):
    Client().post("/accounts/password_reset/", {"email": lead_a.email})
    message = mail.outbox[0]
    assert message.subject == "【督办】重置密码"
    assert "/accounts/reset/" in message.body and lead_a.username in message.body
