"""The access matrix: every URL pattern x every role, against a checked-in expectation table.

URL patterns are enumerated from the resolver, so a new URL without an entry in a table fails
``test_every_url_pattern_has_an_entry``. Pages are in PAGES below; the API has its own table in
compliance/tests/api/test_permission_table.py (checked here for completeness too); the Django
admin is enumerated from its registry (every registered model's list, add, change and history).

The objects belong to 教务处 (dept_a). ``lead_own`` leads it, ``member`` is a member,
``school_leader`` oversees it, ``lead_other`` leads 科学技术处 and must reach none of it.

Outcomes: OK (served, or a redirect that is not to the login page), LOGIN (redirect to the
login page), 403, 404, 405. For POST rows, OK means the request got past the permission check
(it may still be refused for its content, e.g. a form error, but not for who sent it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from compliance.models import (
    Assignment,
    DirectorySync,
    ExportJob,
    ExtensionRequest,
    ImportJob,
    JobStatus,
    LoginLock,
    Notification,
    ProgressReport,
    RequirementLink,
)
from compliance.services.reports import round_open, schedule_create
from compliance.tests.factories import AssignmentFactory, EvidenceFactory, RequirementFactory

pytestmark = pytest.mark.django_db

OK, LOGIN = "OK", "LOGIN"
ROLES = ("anonymous", "admin", "auditor", "school_leader", "lead_own", "lead_other", "member")

# method, path, then the outcome for each role in ROLES order.
PAGES: list[tuple[str, str, str, Any, Any, Any, Any, Any, Any, Any]] = [
    # Authentication and language: open to everyone.
    ("GET", "/accounts/login/", "public", OK, OK, OK, OK, OK, OK, OK),
    # Logging out (signed in or not) lands on the login page.
    ("POST", "/accounts/logout/", "public", LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("GET", "/accounts/password_change/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("GET", "/accounts/password_change/done/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("GET", "/accounts/password_reset/", "public", OK, OK, OK, OK, OK, OK, OK),
    ("GET", "/accounts/password_reset/done/", "public", OK, OK, OK, OK, OK, OK, OK),
    ("GET", "/accounts/reset/{uidb64}/{token}/", "public", OK, OK, OK, OK, OK, OK, OK),
    ("GET", "/accounts/reset/done/", "public", OK, OK, OK, OK, OK, OK, OK),
    # Single sign-on pages exist only while CAS is configured (it is not here).
    ("GET", "/accounts/cas/login/", "public", 404, 404, 404, 404, 404, 404, 404),
    ("GET", "/accounts/cas/logout/", "public", 404, 404, 404, 404, 404, 404, 404),
    # The office's unlock screen and directory sync.
    ("GET", "/accounts/locks/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/accounts/locks/{lock}/unlock/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/directory/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/directory/ldap/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/directory/{sync}/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/directory/{sync}/apply/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/directory/{sync}/discard/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/i18n/setlang/", "public", OK, OK, OK, OK, OK, OK, OK),
    # Everyone signed in.
    ("GET", "/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("GET", "/tasks/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("GET", "/dashboard/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("GET", "/notifications/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("POST", "/notifications/read-all/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    # The notification belongs to lead_own: nobody else may mark it.
    ("POST", "/notifications/{notification}/read/", "own", LOGIN, 404, 404, 404, OK, 404, 404),
    # One item of 教务处 and its evidence.
    ("GET", "/assignments/{assignment}/", "item", LOGIN, OK, OK, OK, OK, 404, OK),
    ("GET", "/evidence/{evidence}/download/", "item", LOGIN, OK, OK, OK, OK, 404, OK),
    ("POST", "/assignments/{assignment}/start/", "item", LOGIN, 403, 403, 403, OK, 404, OK),
    ("POST", "/assignments/{assignment}/progress/", "item", LOGIN, 403, 403, 403, OK, 404, OK),
    ("POST", "/assignments/{assignment}/evidence/", "item", LOGIN, 403, 403, 403, OK, 404, OK),
    ("POST", "/assignments/{assignment}/submit/", "item", LOGIN, 403, 403, 403, OK, 404, 403),
    # The school leader in charge of 教务处 comments, writes 批示 and urges; the office urges too.
    ("POST", "/assignments/{assignment}/comment/", "item", LOGIN, OK, 403, OK, OK, 404, OK),
    ("POST", "/assignments/{assignment}/instruction/", "item", LOGIN, 403, 403, OK, 403, 404, 403),
    ("POST", "/assignments/{assignment}/urge/", "item", LOGIN, OK, 403, OK, 403, 404, 403),
    ("POST", "/documents/{document}/instruction/", "auth", LOGIN, 403, 403, OK, 403, 404, 403),
    ("POST", "/departments/{dept_a}/urge/", "auth", LOGIN, OK, 403, OK, 403, 404, 403),
    ("POST", "/assignments/{assignment}/extension/", "item", LOGIN, 403, 403, 403, OK, 404, OK),
    ("POST", "/assignments/{assignment}/approve/", "item", LOGIN, OK, 403, 403, 403, 404, 403),
    # Returning: the office, or a lead unit for its cooperating units' parts; this is a lead
    # item, so there is nothing anyone else could return (404, the same as for a stranger).
    ("POST", "/assignments/{assignment}/return/", "item", LOGIN, OK, 404, 404, 404, 404, 404),
    # Office-only pages refuse every other role alike (403), so they reveal nothing either.
    ("GET", "/assignments/{assignment}/reassign/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    # The office's pages.
    ("GET", "/review/", "office", LOGIN, OK, OK, 403, 403, 403, 403),
    ("POST", "/review/extensions/{extension}/decide/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/import/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/import/{import_job}/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/import/{import_job}/confirm/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/import/{import_job}/retry/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/documents/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("GET", "/documents/{document}/", "auth", LOGIN, OK, OK, OK, OK, 404, OK),
    ("GET", "/documents/{document}/assign/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/assign/alias/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/publish/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/default-deadline/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/archive/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/unarchive/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/reference/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/documents/{document}/structure/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/structure/add/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/structure/{requirement}/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/structure/{requirement}/delete/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/structure/{requirement}/split/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/documents/{document}/structure/{requirement}/merge/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/departments/rules/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/departments/external/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    # Audit exports: the office and auditors only.
    ("GET", "/exports/", "audit", LOGIN, OK, OK, 403, 403, 403, 403),
    ("GET", "/exports/jobs/{export_job}/", "audit", LOGIN, OK, OK, 403, 403, 403, 403),
    ("GET", "/exports/jobs/{export_job}/download/", "audit", LOGIN, OK, OK, 403, 403, 403, 403),
    ("POST", "/exports/jobs/{export_job}/retry/", "audit", LOGIN, OK, OK, 403, 403, 403, 403),
    ("GET", "/exports/import-xlsx/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    # Reporting rounds: 教务处 reports in the round; another department's lead sees neither it nor its reports.
    ("GET", "/reports/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("POST", "/reports/open/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/reports/schedules/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/reports/schedules/{schedule}/toggle/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/reports/{round}/", "item", LOGIN, OK, OK, OK, OK, 404, OK),
    ("GET", "/reports/{round}/progress/", "item", LOGIN, OK, OK, OK, OK, 404, OK),
    ("POST", "/reports/{round}/close/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/reports/{round}/export/", "item", LOGIN, OK, OK, OK, OK, 404, OK),
    ("GET", "/reports/items/{report}/", "item", LOGIN, OK, OK, OK, OK, 404, OK),
    # Only the department's own people file its report.
    ("POST", "/reports/items/{report}/", "item", LOGIN, 403, 403, 403, OK, 404, OK),
    ("GET", "/bulletin/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/bulletin/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    # Scores: everyone sees the scores they may (their own department's, or all); the rule is the office's.
    ("GET", "/scores/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    ("POST", "/scores/rule/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/scores/export/", "auth", LOGIN, OK, OK, OK, OK, OK, OK),
    # 上下贯通: the office links; auditors read; coverage is also for school leaders.
    ("GET", "/links/", "audit", LOGIN, OK, OK, 403, 403, 403, 403),
    ("POST", "/links/propose/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/links/new/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("POST", "/links/{link}/decide/", "office", LOGIN, OK, 403, 403, 403, 403, 403),
    ("GET", "/links/coverage/{document}/", "audit", LOGIN, OK, OK, OK, 403, 403, 403),
    ("GET", "/links/year-over-year/", "audit", LOGIN, OK, OK, 403, 403, 403, 403),
]
EXPECTED = {(m, p): dict(zip(ROLES, outcomes, strict=True)) for m, p, _kind, *outcomes in PAGES}


def _post_data(path: str, ids: dict[str, Any], version: int) -> dict[str, Any]:
    """A valid body for each POST, so that only who sends it decides the outcome."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    bodies: dict[str, dict[str, Any]] = {
        "/assignments/{assignment}/start/": {"version": version},
        "/assignments/{assignment}/progress/": {"percent": 50, "note": "进展", "version": version},
        "/assignments/{assignment}/evidence/": {
            "files": [SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        },
        "/assignments/{assignment}/submit/": {"version": version, "note": "完成"},
        "/assignments/{assignment}/comment/": {"text": "请补充材料"},
        "/assignments/{assignment}/extension/": {"proposed_date": "2027-12-31", "reason": "等待批复"},
        "/assignments/{assignment}/approve/": {"version": version},
        "/assignments/{assignment}/return/": {"version": version, "reason": "材料不全"},
        "/review/extensions/{extension}/decide/": {"decision": "approve"},
        "/documents/{document}/assign/alias/": {"name": "本科教学部", "department": ids["dept_a"]},
        "/documents/{document}/publish/": {},
        "/assignments/{assignment}/instruction/": {"text": "务必按期完成。"},
        "/assignments/{assignment}/urge/": {"note": "请加快。"},
        "/documents/{document}/instruction/": {"text": "全文件抓落实。"},
        "/departments/{dept_a}/urge/": {},
        "/documents/{document}/default-deadline/": {"deadline": "2027-12-31"},
        "/documents/{document}/archive/": {"reason": "已全部办结"},
        "/documents/{document}/unarchive/": {},
        "/documents/{document}/reference/": {"is_reference": "0"},
        "/documents/{document}/structure/add/": {"label": "九、", "text": "补充条款。", "is_requirement": "on"},
        "/documents/{document}/structure/{requirement}/": {"label": "一、", "text": "更正后的原文。"},
        "/departments/external/": {"name": "省发展改革委"},
        "/i18n/setlang/": {"language": "en", "next": "/"},
        "/reports/open/": {
            "title": "2027年2月进展报送",
            "period": "2027-02",
            "period_start": "2027-02-01",
            "period_end": "2027-02-28",
            "due_date": "2027-02-25",
        },
        "/reports/schedules/": {"name": "月度进展", "recurrence": "monthly", "due_day": "25"},
        "/reports/items/{report}/": {"progress_text": "已召开推进会", "percent": "40", "action": "save"},
        "/bulletin/": {"from": "2026-01-01", "to": "2026-12-31"},
        "/scores/rule/": {
            "on_time_weight": "100",
            "overdue_penalty": "5",
            "return_penalty": "2",
            "late_report_penalty": "2",
            "urge_penalty": "1",
        },
        "/links/propose/": {"document": ids["document"], "upstream": ids["upstream_document"]},
        "/links/new/": {"source": ids["requirement"], "target": ids["upstream_requirement"]},
        "/links/{link}/decide/": {"decision": "accept"},
        "/accounts/locks/{lock}/unlock/": {"reason": "本人来电确认"},
    }
    return bodies.get(path, {})


def _route_regex(route: str) -> re.Pattern[str]:
    """Turn a Django route (``assignments/<int:pk>/``) into a regex matching our templates."""
    pattern = re.sub(r"<(?:\w+:)?\w+>", r"\\{\\w+\\}", re.escape(route).replace(r"\<", "<").replace(r"\>", ">"))
    return re.compile("^/" + pattern + "$")


def _walk(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _all_routes() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_entry():
    """A URL added anywhere (pages, API, downloads) without a decision on who may use it fails."""
    from compliance.tests.api.test_permission_table import EXPECTED as API_EXPECTED

    api_paths = {p for _m, p in API_EXPECTED}
    page_paths = {p for _m, p in EXPECTED}
    missing = []
    for route, pattern in _all_routes():
        if route.startswith("admin/"):
            continue  # enumerated from the admin registry below
        if route.startswith("api/"):
            if pattern.name == "api-not-found":
                continue
            table = api_paths
        else:
            table = page_paths
        regex = _route_regex(route)
        if not any(regex.match(path) for path in table):
            missing.append(route)
    assert not missing, f"URL patterns without an access-matrix entry: {missing}"


@pytest.fixture
def world(admin_user, auditor, school_leader, lead_a, lead_b, member_a, dept_a):
    users = {
        "anonymous": None,
        "admin": admin_user,
        "auditor": auditor,
        "school_leader": school_leader,
        "lead_own": lead_a,
        "lead_other": lead_b,
        "member": member_a,
    }
    a = AssignmentFactory(department=dept_a, due_date=dt.date(2027, 6, 30))
    ev = EvidenceFactory(assignment=a)
    ext = ExtensionRequest.objects.create(
        assignment=a,
        requested_by=member_a,
        reason="等待批复",
        proposed_date=dt.date(2027, 9, 30),
        previous_due_date=a.due_date,
    )
    note = Notification.objects.create(user=lead_a, verb="assigned", message="新分配事项", assignment=a)
    job = ImportJob.objects.create(
        created_by=admin_user, source_name="通知.txt", status=JobStatus.FAILED, message="测试"
    )
    rnd = round_open(
        by=admin_user,
        title="2027年1月进展报送",
        period="2027-01",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 1, 31),
        due_date=dt.date(2027, 1, 25),
    )
    schedule = schedule_create(by=admin_user, name="季度进展", recurrence="quarterly", due_day=20)
    upstream = RequirementFactory()
    link = RequirementLink.objects.create(source=a.requirement, target=upstream)
    export = ExportJob.objects.create(created_by=admin_user, status=JobStatus.DONE, file_name="审计.xlsx")
    export.file.save("audit-matrix.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=True)
    now = timezone.now()
    lock = LoginLock.objects.create(
        scope=LoginLock.Scope.PAIR,
        username=lead_a.username,
        ip_address="192.0.2.1",
        failures=5,
        locked_at=now,
        locked_until=now + dt.timedelta(minutes=30),
    )
    sync = DirectorySync.objects.create(
        source=DirectorySync.Source.FILE, rows={"columns": [], "rows": []}, report={}, created_by=admin_user
    )
    ids = {
        "assignment": a.pk,
        "evidence": ev.pk,
        "extension": ext.pk,
        "notification": note.pk,
        "import_job": job.pk,
        "export_job": export.pk,
        "document": a.requirement.document_id,
        "uidb64": "MQ",
        "token": "set-password",
        "dept_a": dept_a.pk,
        "round": rnd.pk,
        "report": ProgressReport.objects.get(round=rnd, assignment=a).pk,
        "schedule": schedule.pk,
        "link": link.pk,
        "requirement": a.requirement_id,
        "upstream_requirement": upstream.pk,
        "upstream_document": upstream.document_id,
        "lock": lock.pk,
        "sync": sync.pk,
    }
    return users, ids


def _outcome(response) -> str | int:
    if response.status_code in (301, 302, 303):
        return LOGIN if "/login/" in response["Location"] else OK
    if response.status_code < 300 or response.status_code in (400, 409, 422):
        return OK
    return response.status_code


CASES = [(m, p, role) for m, p, *_ in PAGES for role in ROLES]


@pytest.mark.parametrize(("method", "path", "role"), CASES, ids=[f"{m} {p} {r}" for m, p, r in CASES])
def test_page_access(world, method, path, role):
    """Each role reaches exactly what the table says; another department's lead reaches nothing."""
    users, ids = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        version = Assignment.objects.get(pk=ids["assignment"]).version
        response = client.post(url, _post_data(path, ids, version))
    assert response.status_code != 500
    assert _outcome(response) == EXPECTED[(method, path)][role], (
        f"{method} {url} as {role}: {response.status_code} {response.get('Location', '')}"
    )


TRACKED_READ_ONLY = {
    "instruction",
    "urge",
    "externalbody",
    "policydocument",
    "requirement",
    "assignment",
    "evidence",
    "extensionrequest",
    "progressupdate",
    "notification",
}


def _admin_urls() -> list[tuple[str, str]]:
    urls = [("index", reverse("admin:index"))]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append((f"{info[1]} list", reverse("admin:{}_{}_changelist".format(*info))))
        urls.append((f"{info[1]} add", reverse("admin:{}_{}_add".format(*info))))
    return urls


@pytest.mark.parametrize(("name", "url"), _admin_urls(), ids=[n for n, _ in _admin_urls()])
def test_django_admin_is_for_staff_only(world, name, url):
    """Only staff reach /admin/; every other role is sent to the admin login, whatever the model."""
    users, _ids = world
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], (role, url)
    staff = users["admin"]
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    # django-axes' login records are read-only by design, and so are the tracked records that change
    # only through the services: even staff cannot add one.
    read_only = url.startswith("/admin/axes/") or name.split()[0] in TRACKED_READ_ONLY
    expected = 403 if read_only and url.endswith("/add/") else 200
    assert client.get(url).status_code == expected


def test_admin_change_and_history_pages_are_for_staff_only(world):
    """Object pages (change, history) of an item are refused to a department lead."""
    users, ids = world
    client = Client()
    client.force_login(users["lead_own"])
    for name in ("change", "history"):
        url = reverse(f"admin:compliance_assignment_{name}", args=[ids["assignment"]])
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
