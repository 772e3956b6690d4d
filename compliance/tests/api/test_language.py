"""The API answers in the language the client asks for (Accept-Language); Chinese otherwise."""

from __future__ import annotations

import pytest

from .conftest import assert_error, token_client

pytestmark = pytest.mark.django_db


def test_accept_language_en_gives_english_errors(lead_a, assignment_a):
    client = token_client(lead_a)
    missing = assert_error(client.get("/api/assignments/999999/", HTTP_ACCEPT_LANGUAGE="en"), 404, "not_found")
    assert missing["message"] == "Not found."
    invalid = client.post(
        f"/api/assignments/{assignment_a.pk}/progress/", {"version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en-US"
    )
    body = assert_error(invalid, 400, "validation_error")
    assert body["message"].isascii() and "percent" in body["details"]
    assert body["details"]["percent"] == ["This field is required."]
    refused = client.post(
        f"/api/documents/{assignment_a.requirement.document_id}/publish/",
        {},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert assert_error(refused, 403, "permission_denied")["message"].isascii()


@pytest.mark.parametrize("header", [None, "zh-hans", "zh-CN,zh;q=0.9", "fr"])
def test_without_english_asked_for_errors_stay_chinese(lead_a, header):
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    missing = assert_error(token_client(lead_a).get("/api/assignments/999999/", **extra), 404, "not_found")
    assert missing["message"] == "未找到该对象。"


def test_a_rule_violation_is_translated_too(admin_user, assignment_a):
    """Service messages (gettext at the time of the request) follow the header as well."""
    url = f"/api/documents/{assignment_a.requirement.document_id}/archive/"
    client = token_client(admin_user)
    en = assert_error(client.post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="en"), 400, "rule_violation")
    zh = assert_error(client.post(url, {}, format="json"), 400, "rule_violation")
    assert en["message"].startswith("Give a reason for archiving") and zh["message"].startswith("归档时请说明原因")
