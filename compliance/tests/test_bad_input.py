"""Bad input is the sender's error: a 4xx with a message, never a 500.

Every page of the access matrix is requested by every signed-in role with hostile values in every
query parameter the pages read (huge and negative numbers, text where a number belongs, impossible
dates, 10,000 characters, NUL bytes). A request body over the limit is a 413 with a message, on
the pages and in the API, and a refused request (403) is one log line without a traceback.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from compliance import forms as page_forms
from compliance.tests.api.conftest import token_client
from compliance.tests.test_access_matrix import PAGES, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

VIEWS = Path(__file__).resolve().parents[1] / "views"
HOSTILE = [
    "99999",
    "99999999999999999999999999",
    "-1",
    "abc",
    "1e309",
    "9999-99-99",
    "2026-02-30",
    "x" * 10_000,
    "\x00",
    "1\x002",
]
ROLES = ("admin", "auditor", "school_leader", "lead_own", "member")
GET_PAGES = sorted({p for m, p, kind, *_ in PAGES if m == "GET" and not p.startswith("/accounts/cas/")})


def _query_names() -> list[str]:
    """Every GET parameter a page reads: the names views look up and the fields of the page forms."""
    names = {"page", "next", "year", "from", "to", "round", "document", "department", "status", "as_of"}
    for source in VIEWS.glob("*.py"):
        names.update(re.findall(r"""(?:GET|src|query)\.get(?:list)?\(\s*["'](\w+)["']""", source.read_text()))
    for form in vars(page_forms).values():
        if isinstance(form, type) and issubclass(form, page_forms.forms.Form):
            names.update(form.base_fields)
    return sorted(names)


NAMES = _query_names()


# Every role sends these in every parameter at once; the office also sends the rest of HOSTILE.
EVERY_ROLE = ["99999999999999999999999999", "\x00"]


def _requests(role: str):
    """Hostile values in every parameter at once; for the office also rotated over the parameters.

    The rotation (request i gives parameter j value i + j) puts each value in each parameter once
    more, next to other values, so a 400 for one parameter does not hide a 500 from another.
    """
    for value in EVERY_ROLE if role != "admin" else HOSTILE:
        yield dict.fromkeys(NAMES, value)
    if role == "admin":
        for i in range(len(HOSTILE)):
            yield {name: HOSTILE[(i + j) % len(HOSTILE)] for j, name in enumerate(NAMES)}


@pytest.mark.parametrize("path", GET_PAGES)
def test_no_page_answers_hostile_query_parameters_with_a_500(world, path):  # noqa: F811
    users, ids = world
    url = path.format(**ids)
    failures = []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(users[role])
        for params in _requests(role):
            response = client.get(url, params)
            if response.status_code >= 500:
                sample = {k: v[:12] for k, v in params.items() if k in ("year", "from", "page", "document")}
                failures.append(f"{role} {url} {sample}: {response.status_code}")
    assert failures == []


def test_the_parameter_list_covers_what_the_pages_read():
    assert {"year", "from", "to", "due_within", "completed_month", "page", "q", "tab"} <= set(NAMES)


def _six_megabytes_of_json() -> str:
    return json.dumps({"text": "评论" * (3 * 1024 * 1024 // 2)})


def test_an_api_body_over_the_limit_is_a_413_with_a_message(lead_a, assignment_a):
    body = _six_megabytes_of_json()
    assert len(body.encode()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    client = token_client(lead_a)
    response = client.post(f"/api/assignments/{assignment_a.pk}/comments/", body, content_type="application/json")
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and "5 MB" in error["message"]


def test_a_page_form_over_the_limit_is_a_413_page_with_a_message(client, lead_a, assignment_a, caplog):
    client.force_login(lead_a)
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING):
        response = client.post(
            f"/assignments/{assignment_a.pk}/comment/", {"text": "评" * (2 * 1024 * 1024)}
        )  # 6 MB once URL-encoded
    assert response.status_code == 413
    body = response.content.decode()
    assert "5 MB" in body and "duban.css" in body and "Traceback" not in body
    assert all(r.exc_info is None for r in caplog.records) and "Traceback" not in caplog.text


def test_a_refused_api_request_is_one_log_line_without_a_traceback(lead_b, assignment_a, caplog):
    client = token_client(lead_b)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post("/api/documents/import/", {})
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].exc_info is None and "Traceback" not in caplog.text
