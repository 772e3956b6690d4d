"""CAS single sign-on against a real CAS 3.0 server process, including every validation failure."""

from __future__ import annotations

import urllib.parse

import pytest
from django.test import Client

from compliance.auth.cas import CasValidationError, validate_ticket
from compliance.models import Membership, User
from compliance.tests.factories import PASSWORD, UserFactory

from .conftest import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ZHANG = {"cn": "张三", "mail": "zhangsan@example.edu.cn", "ou": "教务处", "employeeNumber": "20010023"}


@pytest.fixture
def cas(settings, cas_server):
    settings.CAS_SERVER_URL = cas_server.url
    settings.CAS_VERSION = "3"
    cas_server.set_users(
        {
            "20010023": {"password": "cas-pass", "attributes": ZHANG},
            "zhangsan": {"password": "cas-pass", "attributes": ZHANG},
            "20019999": {"password": "cas-pass", "attributes": {"cn": "新老师", "ou": "本科生院"}},
        }
    )
    return cas_server


@pytest.fixture
def zhang(db):
    return UserFactory(username="zhangsan", employee_id="20010023", display_name="", email="")


def _begin(client: Client, next_page: str = "/") -> str:
    """Open Duban's CAS login; return the service URL it sends to the CAS server."""
    resp = client.get("/accounts/cas/login/", {"next": next_page})
    assert resp.status_code == 302
    location = urllib.parse.urlparse(resp["Location"])
    return urllib.parse.parse_qs(location.query)["service"][0]


def _return_with(client: Client, service: str, ticket: str):
    """The browser comes back from the CAS server to the service URL with the ticket."""
    path = urllib.parse.urlparse(service)
    return client.get(f"{path.path}?{path.query}&ticket={urllib.parse.quote(ticket)}")


def _logged_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_cas_login_maps_the_cas_user_by_employee_id_and_applies_attributes(cas, zhang, dept_a):
    client = Client()
    service = _begin(client, "/tasks/")
    assert service.startswith("http://testserver/accounts/cas/login/")
    ticket = cas.login(service=service, username="20010023", password="cas-pass")
    resp = _return_with(client, service, ticket)
    assert resp.status_code == 302 and resp["Location"] == "/tasks/"
    assert _logged_in_as(client) == zhang
    zhang.refresh_from_db()
    assert (zhang.display_name, zhang.email) == ("张三", "zhangsan@example.edu.cn")
    assert Membership.objects.get(user=zhang).department == dept_a
    assert client.get("/tasks/").status_code == 200


def test_the_employee_id_may_come_from_an_attribute(cas, zhang, settings):
    settings.DUBAN_CAS_EMPLOYEE_ID_ATTRIBUTE = "employeeNumber"
    client = Client()
    service = _begin(client)
    ticket = cas.login(service=service, username="zhangsan", password="cas-pass")
    assert _return_with(client, service, ticket).status_code == 302
    assert _logged_in_as(client) == zhang


def test_an_unknown_employee_id_is_told_to_ask_the_office(cas):
    client = Client()
    service = _begin(client)
    ticket = cas.login(service=service, username="20019999", password="cas-pass")
    resp = _return_with(client, service, ticket)
    assert resp.status_code == 403
    assert "20019999" in resp.content.decode() and "尚未在督办中开通" in resp.content.decode()
    assert _logged_in_as(client) is None
    assert not User.objects.filter(employee_id="20019999").exists()


def test_unknown_people_are_created_when_the_office_allows_it(cas, settings, dept_a):
    settings.DUBAN_CAS_CREATE_USERS = True
    client = Client()
    service = _begin(client)
    ticket = cas.login(service=service, username="20019999", password="cas-pass")
    assert _return_with(client, service, ticket).status_code == 302
    user = User.objects.get(employee_id="20019999")
    assert (user.username, user.display_name, user.source) == ("20019999", "新老师", User.Source.CAS)
    assert not user.has_usable_password()
    # 本科生院 is an alias of 教务处 in the department directory.
    assert Membership.objects.get(user=user).department == dept_a


def test_a_deactivated_person_cannot_sign_in_through_cas(cas, zhang):
    zhang.is_active = False
    zhang.save()
    client = Client()
    service = _begin(client)
    resp = _return_with(client, service, cas.login(service=service, username="20010023", password="cas-pass"))
    assert resp.status_code == 403 and "已停用" in resp.content.decode()


# --- ticket validation failures ----------------------------------------------------------------


def test_a_ticket_used_twice_is_refused(cas, zhang):
    """INVALID_TICKET: a service ticket is good for one validation only."""
    first = Client()
    service = _begin(first)
    ticket = cas.login(service=service, username="20010023", password="cas-pass")
    assert _return_with(first, service, ticket).status_code == 302
    replay = Client()
    resp = _return_with(replay, service, ticket)
    assert resp.status_code == 403
    assert "票据无效" in resp.content.decode()
    assert _logged_in_as(replay) is None


def test_an_invented_ticket_is_refused(cas, zhang):
    client = Client()
    service = _begin(client)
    resp = _return_with(client, service, "ST-invented-by-an-attacker")
    assert resp.status_code == 403 and "票据无效" in resp.content.decode()


def test_a_ticket_issued_for_another_service_is_refused(cas, zhang):
    """INVALID_SERVICE: a ticket for another application cannot sign in to Duban."""
    client = Client()
    service = _begin(client)
    foreign = cas.login(service="http://other.example/portal/", username="20010023", password="cas-pass")
    resp = _return_with(client, service, foreign)
    assert resp.status_code == 403
    assert "不是为本系统签发" in resp.content.decode()
    assert _logged_in_as(client) is None


def test_a_ticket_for_another_page_of_duban_is_refused(cas, zhang):
    """The service URL includes the page to return to: a ticket for one does not open another."""
    client = Client()
    service_tasks = _begin(client, "/tasks/")
    ticket = cas.login(service=service_tasks, username="20010023", password="cas-pass")
    service_home = _begin(client, "/")
    resp = _return_with(client, service_home, ticket)
    assert resp.status_code == 403 and "不是为本系统签发" in resp.content.decode()


def test_a_request_without_a_ticket_is_refused_by_the_server(cas):
    """INVALID_REQUEST: the server refuses a validation without a ticket."""
    with pytest.raises(CasValidationError) as exc:
        validate_ticket(ticket="", service="http://testserver/accounts/cas/login/?next=%2F")
    assert exc.value.code == "INVALID_REQUEST"
    assert "缺少票据" in exc.value.message


def test_an_unreachable_cas_server_is_a_clear_502(settings, zhang):
    settings.CAS_SERVER_URL = f"http://127.0.0.1:{free_port()}/cas/"
    client = Client()
    service = _begin(client)
    resp = _return_with(client, service, "ST-anything")
    assert resp.status_code == 502
    assert "无法连接统一身份认证服务器" in resp.content.decode()


def test_an_answer_that_is_not_cas_xml_is_a_clear_502(cas, settings, zhang):
    settings.CAS_SERVER_URL = cas.url + "no-such-path/"
    client = Client()
    service = _begin(client)
    resp = _return_with(client, service, "ST-anything")
    assert resp.status_code == 502 and "无法识别" in resp.content.decode()


def test_cas_2_validation_works_too(cas, zhang, settings):
    settings.CAS_VERSION = "2"
    client = Client()
    service = _begin(client)
    ticket = cas.login(service=service, username="20010023", password="cas-pass")
    assert _return_with(client, service, ticket).status_code == 302
    assert _logged_in_as(client) == zhang


# --- the login page ---------------------------------------------------------------------------


def test_with_cas_on_the_login_page_offers_it_and_local_accounts_still_work(cas, admin_user):
    page = Client().get("/accounts/login/").content.decode()
    assert "统一身份认证登录" in page and "/accounts/cas/login/" in page
    resp = Client().post("/accounts/login/", {"username": admin_user.username, "password": PASSWORD})
    assert resp.status_code == 302


def test_with_cas_off_there_is_no_cas_page(settings):
    settings.CAS_SERVER_URL = ""
    assert Client().get("/accounts/cas/login/").status_code == 404
    assert "统一身份认证登录" not in Client().get("/accounts/login/").content.decode()
