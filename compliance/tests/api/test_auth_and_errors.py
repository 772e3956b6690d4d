"""Session and token authentication, own-token management, and the one error format."""

from __future__ import annotations

import base64

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance.tests.factories import PASSWORD

from .conftest import assert_error, token_client

pytestmark = pytest.mark.django_db


def test_a_user_creates_a_token_with_username_and_password_and_uses_it(lead_a, assignment_a):
    """POST /api/auth/token/ with credentials returns a token that authenticates later calls."""
    resp = APIClient().post("/api/auth/token/", {"username": lead_a.username, "password": PASSWORD}, format="json")
    assert resp.status_code == 200
    key = resp.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = client.get("/api/assignments/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [assignment_a.pk]


def test_basic_auth_can_create_a_token(lead_a):
    """HTTP Basic is accepted on the token endpoint (for scripts that only have a password)."""
    client = APIClient()
    creds = base64.b64encode(f"{lead_a.username}:{PASSWORD}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {creds}")
    resp = client.post("/api/auth/token/")
    assert resp.status_code == 200
    assert Token.objects.get(user=lead_a).key == resp.json()["token"]


def test_a_wrong_password_is_refused_in_the_error_format(lead_a):
    """Bad credentials: 401 authentication_failed, and no token is created."""
    resp = APIClient().post("/api/auth/token/", {"username": lead_a.username, "password": "wrong"}, format="json")
    assert_error(resp, 401, "authentication_failed")
    assert not Token.objects.filter(user=lead_a).exists()


def test_rotating_a_token_invalidates_the_old_one(lead_a):
    """Creating a token again replaces the previous one: only the newest works."""
    client = token_client(lead_a)
    old = Token.objects.get(user=lead_a).key
    new = client.post("/api/auth/token/").json()["token"]
    assert new != old
    stale = APIClient()
    stale.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert_error(stale.get("/api/assignments/"), 401, "authentication_failed")


def test_a_user_revokes_their_own_token(lead_a, lead_b):
    """DELETE /api/auth/token/ revokes only the caller's token; it stops working at once."""
    client = token_client(lead_a)
    other = token_client(lead_b)
    assert client.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(user=lead_a).exists()
    assert Token.objects.filter(user=lead_b).exists()
    assert_error(client.get("/api/assignments/"), 401)
    assert other.get("/api/assignments/").status_code == 200


def test_a_deactivated_users_token_stops_working(lead_a):
    client = token_client(lead_a)
    lead_a.is_active = False
    lead_a.save()
    assert_error(client.get("/api/assignments/"), 401, "authentication_failed")


def test_session_authentication_works_and_writes_need_the_csrf_token(lead_a, assignment_a):
    """A signed-in browser session reads the API; a write without the CSRF token is refused."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lead_a)
    assert client.get(f"/api/assignments/{assignment_a.pk}/").status_code == 200
    resp = client.post(f"/api/assignments/{assignment_a.pk}/start/", {"version": 1}, format="json")
    assert_error(resp, 403, "permission_denied")
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"


def test_anonymous_calls_get_401_with_an_authenticate_header():
    resp = APIClient().get("/api/assignments/")
    assert_error(resp, 401, "not_authenticated")
    assert resp["WWW-Authenticate"].startswith("Token")


def test_validation_errors_name_the_fields(lead_a, assignment_a):
    """An invalid body: 400 validation_error with the offending fields in details."""
    resp = token_client(lead_a).post(
        f"/api/assignments/{assignment_a.pk}/progress/", {"version": "x", "percent": 101}, format="json"
    )
    error = assert_error(resp, 400, "validation_error")
    assert set(error["details"]) == {"version", "percent"}


def test_invalid_filters_are_a_400_not_a_crash(lead_a):
    resp = token_client(lead_a).get("/api/assignments/?due_before=not-a-date&status=bogus&department=1.5")
    error = assert_error(resp, 400, "validation_error")
    assert {"due_before", "status", "department"} <= set(error["details"])


def test_unknown_api_paths_and_huge_ids_are_404_in_the_error_format(lead_a):
    client = token_client(lead_a)
    assert_error(client.get("/api/nothing-here/"), 404, "not_found")
    assert_error(client.get("/api/assignments/abc/"), 404, "not_found")
    assert_error(client.get(f"/api/assignments/{10**30}/"), 404, "not_found")


def test_a_page_beyond_the_last_is_404_and_page_size_is_capped(lead_a):
    client = token_client(lead_a)
    assert_error(client.get("/api/assignments/?page=9"), 404, "not_found")
    body = client.get("/api/assignments/?page_size=100000").json()
    assert set(body) == {"count", "count_capped", "next", "previous", "results"}
    assert body["count_capped"] is False


def test_a_long_list_counts_no_further_than_the_cap(lead_a, dept_a, settings):
    """Past DUBAN_LIST_COUNT_CAP rows the API says so (count = cap, count_capped) instead of
    counting every row, and pages stop at the cap."""
    from compliance.tests.factories import AssignmentFactory

    settings.DUBAN_LIST_COUNT_CAP = 30
    AssignmentFactory.create_batch(45, department=dept_a)
    client = token_client(lead_a)
    body = client.get("/api/assignments/?page_size=20").json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (30, True, 20)
    last = client.get("/api/assignments/?page_size=20&page=2").json()
    assert len(last["results"]) == 10 and last["next"] is None
    assert_error(client.get("/api/assignments/?page_size=20&page=3"), 404, "not_found")


def test_error_messages_are_chinese(lead_b, assignment_a):
    resp = token_client(lead_b).get(f"/api/assignments/{assignment_a.pk}/")
    message = assert_error(resp, 404, "not_found")["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_token_endpoint_honours_the_login_lockout(lead_a, settings):
    """After repeated wrong passwords the account is locked for the API too, even with the right one."""
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    for _ in range(3):
        client.post("/api/auth/token/", {"username": lead_a.username, "password": "wrong"}, format="json")
    resp = client.post("/api/auth/token/", {"username": lead_a.username, "password": PASSWORD}, format="json")
    assert_error(resp, 429, "locked_out")
    assert not Token.objects.filter(user=lead_a).exists()


def test_an_import_over_the_size_limit_is_refused(admin_user, settings):
    settings.DUBAN_MAX_IMPORT_BYTES = 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = token_client(admin_user).post(
        "/api/documents/import/", {"file": SimpleUploadedFile("大文件.txt", "通知".encode() * 1000)}, format="multipart"
    )
    assert "MB" in assert_error(resp, 400, "rule_violation")["message"]


def test_the_api_root_links_to_the_docs_the_schema_and_every_endpoint(client):
    """/api/ answers (it used to be a 404) with links a client can follow."""
    body = client.get("/api/").json()
    assert client.get(body["docs"]).status_code == 200
    assert client.get(body["schema"]).status_code == 200
    endpoints = body["endpoints"]
    assert endpoints["token"].endswith("/api/auth/token/")
    assert endpoints["assignments"].endswith("/api/assignments/")
    assert endpoints["assignment"].endswith("/api/assignments/{pk}/")
    assert client.get(endpoints["departments"]).status_code == 401  # listed, and still needs a token
