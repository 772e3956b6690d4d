"""Friendly failure: Duban's own 403, 404 and 500 pages, a Content-Security-Policy on every page
that needs no inline script, and a 403 that is one log line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path

from compliance import urls as project_urls

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page")


urlpatterns = [*project_urls.urlpatterns, path("boom/", boom)]


def _csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/tasks/", "/dashboard/", "/notifications/", "/nowhere/"])
def test_every_page_sends_a_policy_without_inline_script_or_style(client, lead_a, url):
    client.force_login(lead_a)
    policy = _csp(client.get(url))
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert "frame-ancestors 'none'" in policy.values() and "object-src 'none'" in policy.values()


def test_page_templates_need_no_inline_script_handler_or_style():
    """Behaviour lives in static/duban/duban.js and looks in duban.css, so the policy can forbid inline code.

    E-mail templates are not pages (mail clients need inline styles) and are left out.
    """
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        if "email" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\sstyle\s*=", r"<style[\s>]"):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []


def test_a_missing_page_is_a_chinese_404_page(client, lead_a):
    client.force_login(lead_a)
    response = client.get("/assignments/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "返回首页" in body and "duban.css" in body
    assert "Page not found" not in body and "Traceback" not in body


def test_a_forbidden_page_is_a_chinese_403_page_and_one_log_line(client, lead_a, caplog):
    client.force_login(lead_a)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/review/")
    body = response.content.decode()
    assert response.status_code == 403 and "没有权限" in body and "只有管理员和审计人员可以查看审核队列" in body
    records = [r for r in caplog.records if r.name == "django.request" and r.status_code == 403]
    assert len(records) == 1 and "Forbidden" in records[0].getMessage()
    assert records[0].exc_info is None and "Traceback" not in caplog.text


def test_an_expired_form_is_a_chinese_403_page(lead_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead_a)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_is_a_chinese_500_page(lead_a, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(lead_a)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500 and "服务器出错" in body and "duban.css" in body
    assert "RuntimeError" not in body and "deliberate failure" not in body
    assert "deliberate failure" in caplog.text  # the error itself is logged for the administrator
    assert response.headers["Content-Security-Policy"]
