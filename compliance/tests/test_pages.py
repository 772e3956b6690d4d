"""Login, logout, home per role, language switch."""

import pytest
from django.urls import reverse

from compliance.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    resp = client.get("/accounts/login/")
    assert resp.status_code == 200
    assert "登录督办" in resp.content.decode()


def test_home_requires_login(client):
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/")


def test_login_then_home_then_logout(client, lead_a):
    resp = client.post("/accounts/login/", {"username": lead_a.username, "password": PASSWORD})
    assert resp.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "本部门" in home.content.decode()
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, lead_a):
    resp = client.post("/accounts/login/", {"username": lead_a.username, "password": "nope"})
    assert resp.status_code == 200
    assert "用户名或密码不正确" in resp.content.decode()


@pytest.mark.parametrize(
    ("fixture", "phrase"),
    [("admin_user", "督查办管理员"), ("auditor", "审计人员"), ("school_leader", "分管校领导"), ("lead_a", "本部门")],
)
def test_home_page_per_role(client, request, fixture, phrase):
    client.force_login(request.getfixturevalue(fixture))
    assert phrase in client.get("/").content.decode()


def test_language_switch_to_english(client, lead_a):
    client.force_login(lead_a)
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert resp.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, lead_a):
    """Accept-Language does not decide: Chinese first, English only by the switch."""
    client.force_login(lead_a)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
