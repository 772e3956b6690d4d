"""Every API endpoint x every role: allowed (2xx) or refused (401, 403, 404), from the outside.

The objects live in dept_a (教务处). "lead_own" leads dept_a, "member" is a dept_a member,
"lead_other" leads dept_b and must get 404 for dept_a's objects, exactly as for an id that does
not exist; "school_leader" oversees dept_a (reads, changes nothing); the auditor reads
everything and changes nothing. Roles that may never use an endpoint get 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver

from compliance.api import urls as api_urls
from compliance.models import (
    Assignment,
    ExportJob,
    ExtensionRequest,
    ImportJob,
    JobStatus,
    Notification,
    ProgressReport,
    RequirementLink,
)
from compliance.services.imports import import_job_create, import_job_dispatch
from compliance.services.reports import round_open
from compliance.tests.factories import DepartmentFactory, EvidenceFactory, RequirementFactory

from .conftest import ROLES, SAMPLE_POLICY, assert_error, token_client

OK = "ok"

# method, path,                                   anonymous admin auditor school_leader lead_own lead_other member
TABLE: list[tuple[str, str, Any, Any, Any, Any, Any, Any, Any]] = [
    ("GET", "/api/", OK, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/schema/", OK, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/docs/", OK, OK, OK, OK, OK, OK, OK),
    ("POST", "/api/auth/token/", 401, OK, OK, OK, OK, OK, OK),
    ("DELETE", "/api/auth/token/", 401, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/me/", 401, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/departments/", 401, OK, OK, OK, OK, OK, OK),
    # Routing keywords and aliases are the office's, as on the 路由规则 page.
    ("GET", "/api/department-rules/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/departments/{department}/keywords/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/departments/{department}/keywords/", 401, OK, 403, 403, 403, 403, 403),
    ("DELETE", "/api/departments/{department}/keywords/{keyword}/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/departments/{department}/aliases/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/departments/{department}/aliases/", 401, OK, 403, 403, 403, 403, 403),
    ("DELETE", "/api/departments/{department}/aliases/{alias}/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/documents/", 401, OK, OK, OK, OK, OK, OK),
    ("POST", "/api/documents/import/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/documents/{document}/", 401, OK, OK, OK, OK, 404, OK),
    ("GET", "/api/documents/{document}/tree/", 401, OK, OK, OK, OK, 404, OK),
    # Routing, publishing and archiving are the office's (the assignment screen and the document list).
    ("GET", "/api/documents/{document}/routing/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/documents/{document}/routing/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/documents/{document}/publish/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/documents/{document}/archive/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/documents/{document}/unarchive/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/taskbook-imports/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/import-jobs/{import_job}/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/import-jobs/{import_job}/confirm/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/import-jobs/{import_job}/retry/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/requirements/", 401, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/requirements/{requirement}/", 401, OK, OK, OK, OK, 404, OK),
    ("GET", "/api/assignments/", 401, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/assignments/{assignment}/", 401, OK, OK, OK, OK, 404, OK),
    ("GET", "/api/assignments/{assignment}/history/", 401, OK, OK, OK, OK, 404, OK),
    ("POST", "/api/assignments/{assignment}/start/", 401, 403, 403, 403, OK, 404, OK),
    ("POST", "/api/assignments/{assignment}/progress/", 401, 403, 403, 403, OK, 404, OK),
    ("POST", "/api/assignments/{assignment}/submit/", 401, 403, 403, 403, OK, 404, 403),
    ("POST", "/api/assignments/{assignment}/approve/", 401, OK, 403, 403, 403, 404, 403),
    ("POST", "/api/assignments/{assignment}/return/", 401, OK, 403, 403, 403, 404, 403),
    ("POST", "/api/assignments/{assignment}/reassign/", 401, OK, 403, 403, 403, 404, 403),
    ("GET", "/api/assignments/{assignment}/extension-requests/", 401, OK, OK, OK, OK, 404, OK),
    ("POST", "/api/assignments/{assignment}/extension-requests/", 401, 403, 403, 403, OK, 404, OK),
    ("GET", "/api/assignments/{assignment}/evidence/", 401, OK, OK, OK, OK, 404, OK),
    ("POST", "/api/assignments/{assignment}/evidence/", 401, 403, 403, 403, OK, 404, OK),
    ("GET", "/api/assignments/{assignment}/comments/", 401, OK, OK, OK, OK, 404, OK),
    # The school leader in charge of the department comments (the same service as the item page).
    ("POST", "/api/assignments/{assignment}/comments/", 401, OK, 403, OK, OK, 404, OK),
    ("GET", "/api/extension-requests/", 401, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/extension-requests/{extension}/", 401, OK, OK, OK, OK, 404, OK),
    ("POST", "/api/extension-requests/{extension}/decide/", 401, OK, 403, 403, 403, 404, 403),
    ("GET", "/api/evidence/{evidence}/", 401, OK, OK, OK, OK, 404, OK),
    ("GET", "/api/evidence/{evidence}/download/", 401, OK, OK, OK, OK, 404, OK),
    ("GET", "/api/notifications/", 401, OK, OK, OK, OK, OK, OK),
    ("POST", "/api/notifications/read-all/", 401, OK, OK, OK, OK, OK, OK),
    # The notification belongs to lead_own: nobody else, not even an administrator, may touch it.
    ("POST", "/api/notifications/{notification}/read/", 401, 404, 404, 404, OK, 404, 404),
    ("GET", "/api/dashboard/", 401, OK, OK, OK, OK, OK, OK),
    ("POST", "/api/export-jobs/", 401, OK, OK, 403, 403, 403, 403),
    ("GET", "/api/export-jobs/{export_job}/", 401, OK, OK, 403, 403, 403, 403),
    ("GET", "/api/export-jobs/{export_job}/download/", 401, OK, OK, 403, 403, 403, 403),
    ("POST", "/api/export-jobs/{export_job}/retry/", 401, OK, OK, 403, 403, 403, 403),
    # Reporting rounds: dept_a reports in the round; another department's lead sees neither it nor its reports.
    ("GET", "/api/report-rounds/", 401, OK, OK, OK, OK, OK, OK),
    ("POST", "/api/report-rounds/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/report-rounds/{round}/", 401, OK, OK, OK, OK, 404, OK),
    ("POST", "/api/report-rounds/{round}/close/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/report-rounds/{round}/export/", 401, OK, OK, OK, OK, 404, OK),
    ("GET", "/api/report-schedules/", 401, OK, OK, 403, 403, 403, 403),
    ("POST", "/api/report-schedules/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/reports/", 401, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/reports/{report}/", 401, OK, OK, OK, OK, 404, OK),
    ("PATCH", "/api/reports/{report}/", 401, 403, 403, 403, OK, 404, OK),
    ("POST", "/api/reports/{report}/submit/", 401, 403, 403, 403, OK, 404, OK),
    # Scores: everyone reads (scoped); the rule is the office's to change; the bulletin is the office's.
    ("GET", "/api/scores/", 401, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/scoring-rule/", 401, OK, OK, OK, OK, OK, OK),
    ("PUT", "/api/scoring-rule/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/bulletin/", 401, OK, 403, 403, 403, 403, 403),
    # 上下贯通: links are the office's (auditors read); coverage also for school leaders.
    ("GET", "/api/links/", 401, OK, OK, 403, 403, 403, 403),
    ("POST", "/api/links/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/links/propose/", 401, OK, 403, 403, 403, 403, 403),
    ("POST", "/api/links/{link}/decide/", 401, OK, 403, 403, 403, 403, 403),
    ("GET", "/api/documents/{document}/coverage/", 401, OK, OK, OK, 403, 403, 403),
]

EXPECTED: dict[tuple[str, str], dict[str, Any]] = {
    (method, path): dict(zip(ROLES, outcomes, strict=True)) for method, path, *outcomes in TABLE
}


@dataclass
class World:
    """The objects an endpoint needs, created in the state in which the action can succeed."""

    assignment: Assignment
    users: dict[str, Any]

    def ids(self, path: str) -> dict[str, int]:
        a = self.assignment
        ids: dict[str, int] = {
            "assignment": a.pk,
            "document": a.requirement.document_id,
            "requirement": a.requirement_id,
            "department": a.department_id,
            "keyword": "教学",
            "alias": "本科生院",
        }
        if "/keywords/{keyword}/" in path:
            a.department.keywords = ["教学"]
            a.department.save()
        if "/unarchive/" in path:
            from compliance.services.documents import document_archive

            document_archive(document=a.requirement.document, by=self.users["admin"], reason="已全部办结")
        if "{evidence}" in path:
            ids["evidence"] = EvidenceFactory(assignment=a).pk
        if "{extension}" in path:
            ids["extension"] = ExtensionRequest.objects.create(
                assignment=a,
                requested_by=self.users["member"],
                reason="材料未齐",
                proposed_date=a.due_date + dt.timedelta(days=30),
                previous_due_date=a.due_date,
            ).pk
        if "{notification}" in path:
            ids["notification"] = Notification.objects.create(
                user=self.users["lead_own"], verb="assigned", message="新分配事项", assignment=a
            ).pk
        if "{import_job}" in path:
            job = import_job_create(by=self.users["admin"], name="通知.txt", data=SAMPLE_POLICY.read_bytes())
            import_job_dispatch(job=job)
            ids["import_job"] = job.pk
        if "{round}" in path or "{report}" in path:
            rnd = round_open(
                by=self.users["admin"],
                title="2027年1月进展报送",
                period="2027-01",
                period_start=dt.date(2027, 1, 1),
                period_end=dt.date(2027, 1, 31),
                due_date=dt.date(2027, 1, 25),
            )
            ids["round"] = rnd.pk
            report = ProgressReport.objects.get(round=rnd, assignment=a)
            report.progress_text = "已完成方案起草"
            report.save()
            ids["report"] = report.pk
        if "{link}" in path:
            ids["link"] = RequirementLink.objects.create(source=a.requirement, target=RequirementFactory()).pk
        if "{export_job}" in path:
            job = ExportJob.objects.create(created_by=self.users["admin"], status=JobStatus.DONE, file_name="审计.xlsx")
            job.file.save("audit-test.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=True)
            ids["export_job"] = job.pk
        return ids


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _set_status(a: Assignment, status: str, *, evidence: bool = False) -> None:
    if evidence:
        EvidenceFactory(assignment=a)
    Assignment.objects.filter(pk=a.pk).update(status=status)
    a.refresh_from_db()


# Per endpoint: bring the assignment into the right state and return (body, format).
Prepare = Callable[[World], tuple[dict[str, Any] | None, str]]


def _failed(model: type[ImportJob] | type[ExportJob]) -> tuple[dict[str, Any], str]:
    model.objects.update(status=JobStatus.FAILED, message="worker lost")
    return {}, "json"


def _version(w: World) -> dict[str, Any]:
    return {"version": w.assignment.version}


def _submit(w: World) -> tuple[dict[str, Any], str]:
    _set_status(w.assignment, Assignment.Status.IN_PROGRESS, evidence=True)
    return {**_version(w), "note": "已完成"}, "json"


def _submitted(extra: dict[str, Any]) -> Prepare:
    def prepare(w: World) -> tuple[dict[str, Any], str]:
        _set_status(w.assignment, Assignment.Status.SUBMITTED, evidence=True)
        return {**_version(w), **extra}, "json"

    return prepare


def _reassign(w: World) -> tuple[dict[str, Any], str]:
    return {**_version(w), "department": DepartmentFactory(name="研究生院").pk}, "json"


def _taskbook(w: World) -> tuple[dict[str, Any], str]:
    from compliance.tests.exports.test_taskbook import DOC, _xlsx

    data = _xlsx([[1, DOC, "一", "健全安全责任体系。", "教务处", "", "", ""]])
    return {"file": _upload("分解表.xlsx", data), "dry_run": "true"}, "multipart"


PREPARE: dict[tuple[str, str], Prepare] = {
    ("POST", "/api/departments/{department}/keywords/"): lambda w: ({"value": "本科教学"}, "json"),
    ("POST", "/api/departments/{department}/aliases/"): lambda w: ({"value": "教务部"}, "json"),
    ("POST", "/api/documents/{document}/routing/"): lambda w: (
        {"requirements": [w.assignment.requirement_id], "deadline": "2030-06-30"},
        "json",
    ),
    ("POST", "/api/documents/{document}/publish/"): lambda w: ({"confirm_past_deadlines": True}, "json"),
    ("POST", "/api/documents/{document}/archive/"): lambda w: ({"reason": "已全部办结"}, "json"),
    ("POST", "/api/taskbook-imports/"): _taskbook,
    ("POST", "/api/auth/token/"): lambda w: ({}, "json"),
    ("POST", "/api/documents/import/"): lambda w: (
        {"file": _upload("通知.txt", SAMPLE_POLICY.read_bytes())},
        "multipart",
    ),
    ("POST", "/api/assignments/{assignment}/start/"): lambda w: (_version(w), "json"),
    ("POST", "/api/assignments/{assignment}/progress/"): lambda w: (
        {**_version(w), "percent": 40, "note": "已召开专题会"},
        "json",
    ),
    ("POST", "/api/assignments/{assignment}/submit/"): _submit,
    ("POST", "/api/assignments/{assignment}/approve/"): _submitted({"note": "同意"}),
    ("POST", "/api/assignments/{assignment}/return/"): _submitted({"reason": "佐证不足"}),
    ("POST", "/api/assignments/{assignment}/reassign/"): _reassign,
    ("POST", "/api/assignments/{assignment}/extension-requests/"): lambda w: (
        {"reason": "等待上级批复", "proposed_date": (w.assignment.due_date + dt.timedelta(days=20)).isoformat()},
        "json",
    ),
    ("POST", "/api/assignments/{assignment}/evidence/"): lambda w: (
        {"file": _upload("会议纪要.txt", "会议纪要：已落实。".encode()), "note": "纪要"},
        "multipart",
    ),
    ("POST", "/api/assignments/{assignment}/comments/"): lambda w: ({"text": "请尽快提交"}, "json"),
    ("POST", "/api/extension-requests/{extension}/decide/"): lambda w: ({"approve": True, "note": "同意"}, "json"),
    ("POST", "/api/export-jobs/"): lambda w: ({}, "json"),
    # Only a failed job can be retried: the job of the world is made to have failed.
    ("POST", "/api/import-jobs/{import_job}/retry/"): lambda w: _failed(ImportJob),
    ("POST", "/api/export-jobs/{export_job}/retry/"): lambda w: _failed(ExportJob),
    ("POST", "/api/report-rounds/"): lambda w: (
        {
            "title": "2027年第一季度进展报送",
            "period": "2027-Q1",
            "period_start": "2027-01-01",
            "period_end": "2027-03-31",
            "due_date": "2027-03-25",
        },
        "json",
    ),
    ("POST", "/api/report-schedules/"): lambda w: (
        {"name": "月度进展", "recurrence": "monthly", "due_day": 25},
        "json",
    ),
    ("PATCH", "/api/reports/{report}/"): lambda w: ({"progress_text": "已召开推进会", "percent": 40}, "json"),
    ("PUT", "/api/scoring-rule/"): lambda w: (
        {
            "on_time_weight": "100",
            "overdue_penalty": "5",
            "return_penalty": "2",
            "late_report_penalty": "2",
            "urge_penalty": "1",
        },
        "json",
    ),
    ("POST", "/api/bulletin/"): lambda w: ({"start": "2026-01-01", "end": "2026-12-31"}, "json"),
    ("POST", "/api/links/"): lambda w: (
        {"source": w.assignment.requirement_id, "target": RequirementFactory().pk},
        "json",
    ),
    ("POST", "/api/links/propose/"): lambda w: (
        {"document": w.assignment.requirement.document_id, "upstream": RequirementFactory().document_id},
        "json",
    ),
    ("POST", "/api/links/{link}/decide/"): lambda w: ({"accept": True}, "json"),
}


def _api_endpoints() -> set[tuple[str, str]]:
    """Every (method, path pattern) the API's URLconf serves, for the exhaustiveness check."""
    found = set()
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "api-not-found":  # the catch-all 404, tested on its own
            continue
        view = pattern.callback.view_class
        route = "/api/" + str(pattern.pattern)
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                found.add((method.upper(), route))
    return found


def _normalise(path: str) -> str:
    import re

    path = re.sub(r"\{(keyword|alias)\}", "<str:value>", path)
    return re.sub(r"\{[a-z_]+\}", "<int:pk>", path)


def test_the_table_lists_every_endpoint_and_method_exactly_once():
    """No endpoint can be added without deciding, in the table, who may call it."""
    table = [(m, _normalise(p)) for m, p, *_ in TABLE]
    assert len(table) == len(set(table)), "duplicate rows"
    assert set(table) == _api_endpoints()
    # And the API is mounted where the table says.
    assert get_resolver().resolve("/api/assignments/").func.view_class.__name__ == "AssignmentListApi"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), list(EXPECTED), ids=[f"{m} {p}" for m, p in EXPECTED])
def test_endpoint_by_role(method, path, role, role_users, assignment_a):
    """Each role gets exactly the outcome the table gives it (2xx, 401, 403 or 404)."""
    world = World(assignment=assignment_a, users=role_users)
    url = path.format(**world.ids(path))
    body, fmt = PREPARE.get((method, path), lambda w: (None, "json"))(world)
    client = token_client(role_users[role])
    response = client.generic(method, url) if body is None else getattr(client, method.lower())(url, body, format=fmt)
    expected = EXPECTED[(method, path)][role]
    if expected == OK:
        assert 200 <= response.status_code < 300, (response.status_code, response.content[:400])
    else:
        assert_error(response, expected)
