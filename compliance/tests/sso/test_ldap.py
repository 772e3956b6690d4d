"""LDAP sign-in (bind, 工号 mapping, group → role) and the LDAP directory read, against real slapd."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from rest_framework.test import APIClient

from compliance.auth.ldap import ldap_roster
from compliance.models import DirectorySync, Membership, User
from compliance.tests.factories import UserFactory

from .conftest import ADMIN_DN, ADMIN_PASSWORD, BASE_DN

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PEOPLE = f"ou=people,{BASE_DN}"
GROUPS = f"ou=groups,{BASE_DN}"
_serial = itertools.count(1)


@pytest.fixture
def directory(slapd, settings):
    """A fresh subtree per test (the server is shared), and Duban pointed at it."""
    n = next(_serial)
    people, groups = f"ou=run{n},{PEOPLE}", f"ou=run{n},{GROUPS}"
    slapd.add(people, {"objectClass": "organizationalUnit", "ou": f"run{n}"})
    slapd.add(groups, {"objectClass": "organizationalUnit", "ou": f"run{n}"})
    settings.DUBAN_LDAP_SERVER_URI = slapd.uri
    settings.DUBAN_LDAP_BIND_DN = ADMIN_DN
    settings.DUBAN_LDAP_BIND_PASSWORD = ADMIN_PASSWORD
    settings.DUBAN_LDAP_USER_BASE = people
    settings.DUBAN_LDAP_GROUP_BASE = groups
    settings.DUBAN_LDAP_ROLE_GROUPS = {
        "admin": f"cn=duban-admins,{groups}",
        "auditor": f"cn=duban-auditors,{groups}",
        "leader": f"cn=duban-leaders,{groups}",
    }

    class Tree:
        def person(self, uid, *, name, employee_id, password, department="", title="", mail=""):
            attrs = {
                "objectClass": ["inetOrgPerson"],
                "uid": uid,
                "cn": name,
                "sn": name[:1],
                "employeeNumber": employee_id,
                "userPassword": password,
            }
            for key, value in (("ou", department), ("title", title), ("mail", mail)):
                if value:
                    attrs[key] = value
            slapd.add(f"uid={uid},{people}", attrs)
            return f"uid={uid},{people}"

        def group(self, cn, members):
            slapd.add(f"cn={cn},{groups}", {"objectClass": "groupOfNames", "cn": cn, "member": members})

        def set_members(self, cn, members):
            slapd.replace(f"cn={cn},{groups}", "member", members)

    return Tree()


def _login(username, password):
    client = Client()
    resp = client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="192.0.2.50")
    return client, resp


def test_ldap_bind_signs_in_the_duban_user_with_that_employee_id(directory, dept_a):
    directory.person(
        "liming", name="李明", employee_id="20020001", password="ldap-pass-1", department="教务处", title="处长"
    )
    directory.group("duban-admins", [f"uid=nobody,{PEOPLE}"])
    local = UserFactory(username="li.ming", employee_id="20020001", display_name="", email="")
    client, resp = _login("liming", "ldap-pass-1")
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(local.pk)
    local.refresh_from_db()
    assert local.display_name == "李明" and local.job_title == "处长"
    membership = Membership.objects.get(user=local)
    assert membership.department == dept_a and membership.role == "lead"


def test_a_wrong_ldap_password_is_refused_and_counted(directory):
    directory.person("liming", name="李明", employee_id="20020001", password="ldap-pass-1")
    UserFactory(username="li.ming", employee_id="20020001")
    client, resp = _login("liming", "not-the-password")
    assert resp.status_code == 200 and "_auth_user_id" not in client.session
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get(username="liming").failures_since_start == 1


def test_ldap_groups_set_the_role_and_a_removed_membership_demotes(directory):
    dn = directory.person("wangfang", name="王芳", employee_id="20020002", password="ldap-pass-2")
    directory.group("duban-auditors", [dn])
    directory.group("duban-admins", [f"uid=nobody,{PEOPLE}"])
    person = UserFactory(username="wangfang", employee_id="20020002")
    _login("wangfang", "ldap-pass-2")
    person.refresh_from_db()
    assert person.role == User.Role.AUDITOR
    directory.set_members("duban-admins", [dn])
    _login("wangfang", "ldap-pass-2")
    person.refresh_from_db()
    assert person.role == User.Role.ADMINISTRATOR
    directory.set_members("duban-admins", [f"uid=nobody,{PEOPLE}"])
    directory.set_members("duban-auditors", [f"uid=nobody,{PEOPLE}"])
    _login("wangfang", "ldap-pass-2")
    person.refresh_from_db()
    assert person.role == User.Role.STAFF


def test_people_not_in_duban_are_refused_unless_creation_is_allowed(directory, settings, dept_a):
    directory.person(
        "newbie", name="新人", employee_id="20020009", password="ldap-pass-9", department="本科生院", title="科员"
    )
    _client, resp = _login("newbie", "ldap-pass-9")
    assert resp.status_code == 200 and not User.objects.filter(employee_id="20020009").exists()
    settings.DUBAN_LDAP_CREATE_USERS = True
    _client, resp = _login("newbie", "ldap-pass-9")
    assert resp.status_code == 302
    user = User.objects.get(employee_id="20020009")
    assert (user.username, user.source, user.display_name) == ("newbie", User.Source.LDAP, "新人")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "member"


def test_a_deactivated_person_cannot_sign_in_through_ldap(directory):
    directory.person("gone", name="离职者", employee_id="20020010", password="ldap-pass-10")
    UserFactory(username="gone", employee_id="20020010", is_active=False)
    client, _resp = _login("gone", "ldap-pass-10")
    assert "_auth_user_id" not in client.session


def test_the_api_token_endpoint_accepts_ldap_credentials(directory):
    directory.person("apiuser", name="接口", employee_id="20020011", password="ldap-pass-11")
    UserFactory(username="apiuser", employee_id="20020011")
    resp = APIClient().post("/api/auth/token/", {"username": "apiuser", "password": "ldap-pass-11"}, format="json")
    assert resp.status_code == 200 and resp.json()["token"]


def test_ldap_off_means_no_ldap_login(directory, settings):
    directory.person("liming", name="李明", employee_id="20020001", password="ldap-pass-1")
    UserFactory(username="li.ming", employee_id="20020001")
    settings.DUBAN_LDAP_SERVER_URI = ""
    _client, resp = _login("liming", "ldap-pass-1")
    assert resp.status_code == 200


# --- the directory read -----------------------------------------------------------------------


def test_the_directory_sync_reads_everyone_from_ldap(directory, admin_user, dept_a, dept_b):
    directory.person("a1", name="甲", employee_id="30000001", password="x", department="教务处", title="副处长")
    directory.person(
        "a2", name="乙", employee_id="30000002", password="x", department="科技处", mail="yi@example.edu.cn"
    )
    rows = {r.employee_id: r for r in ldap_roster()}
    assert set(rows) == {"30000001", "30000002"}
    assert rows["30000002"].email == "yi@example.edu.cn" and rows["30000001"].title == "副处长"
    client = Client()
    client.force_login(admin_user)
    resp = client.post("/directory/ldap/")
    sync = DirectorySync.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/directory/{sync.pk}/"
    assert sync.source == DirectorySync.Source.LDAP and sync.report["counts"]["new"] == 2
    client.post(f"/directory/{sync.pk}/apply/")
    assert User.objects.get(employee_id="30000001").source == User.Source.LDAP
    assert Membership.objects.get(user__employee_id="30000002").department == dept_b
