"""Every page, POST endpoint and file download refuses another department's items.

A lead of 科学技术处 (lead_b) tries everything on 教务处's item; an auditor reads everything and
changes nothing; members may update and upload but not submit.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.html import escape

from compliance.models import (
    Assignment,
    Evidence,
    ExtensionRequest,
    ImportJob,
    ProgressUpdate,
)
from compliance.tests.factories import EvidenceFactory

from .conftest import pdf

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/assignments/{a}/",
    "/assignments/{a}/?tab=others",
    "/assignments/{a}/?tab=evidence",
    "/assignments/{a}/?tab=history",
    "/evidence/{e}/download/",
]
ADMIN_PAGES = [
    "/assignments/{a}/reassign/",
    "/import/",
    "/import/{j}/",
    "/documents/{d}/assign/",
    "/departments/rules/",
]


def _posts(a: Assignment, other_dept_id: int, ext_id: int, doc_id: int, job_id: int) -> list[tuple[str, dict]]:
    v = a.version
    return [
        (f"/assignments/{a.pk}/start/", {"version": v}),
        (f"/assignments/{a.pk}/progress/", {"percent": 99, "note": "越权", "version": v}),
        (f"/assignments/{a.pk}/evidence/", {"files": [pdf("越权.pdf")]}),
        (f"/assignments/{a.pk}/submit/", {"version": v}),
        (f"/assignments/{a.pk}/comment/", {"text": "越权评论"}),
        (f"/assignments/{a.pk}/extension/", {"proposed_date": "2027-01-01", "reason": "越权"}),
        (f"/assignments/{a.pk}/approve/", {"version": v}),
        (f"/assignments/{a.pk}/return/", {"version": v, "reason": "越权"}),
        (f"/assignments/{a.pk}/reassign/", {"version": v, "department": other_dept_id}),
        (f"/review/extensions/{ext_id}/decide/", {"decision": "approve"}),
        (f"/documents/{doc_id}/assign/", {"action": "na", "requirements": [a.requirement_id]}),
        (f"/documents/{doc_id}/assign/alias/", {"name": "越权名", "department": other_dept_id}),
        (f"/documents/{doc_id}/publish/", {}),
        (f"/import/{job_id}/confirm/", {}),
        ("/departments/rules/", {f"keywords-{other_dept_id}": "越权"}),
    ]


@pytest.fixture
def world(assignment_a, member_a, dept_b, admin_user):
    """教务处's item with evidence, a progress note, a pending extension and an import job."""
    assignment_a.status = Assignment.Status.SUBMITTED
    assignment_a.save()
    ev = EvidenceFactory(assignment=assignment_a)
    ext = ExtensionRequest.objects.create(
        assignment=assignment_a, requested_by=member_a, reason="r", proposed_date=dt.date(2026, 12, 31)
    )
    job = ImportJob.objects.create(
        created_by=admin_user,
        source_name="x.txt",
        file="imports/x.txt",
        status="done",
        result={"stage": "preview", "documents": []},
    )
    return {"a": assignment_a, "e": ev, "x": ext, "d": assignment_a.requirement.document_id, "j": job, "b": dept_b}


def _snapshot(a: Assignment) -> tuple:
    a.refresh_from_db()
    return (
        a.status,
        a.progress,
        a.version,
        a.department_id,
        a.due_date,
        Evidence.objects.count(),
        ProgressUpdate.objects.count(),
        ExtensionRequest.objects.filter(status="pending").count(),
        a.requirement.__class__.objects.get(pk=a.requirement_id).not_applicable,
    )


def _fmt(url: str, w: dict) -> str:
    return url.format(a=w["a"].pk, e=w["e"].pk, j=w["j"].pk, d=w["d"])


@pytest.mark.parametrize("url", READ_PAGES + ADMIN_PAGES)
def test_another_departments_lead_cannot_open_any_page_of_the_item(as_user, lead_b, world, url):
    """Item pages, tabs and the evidence download are 404 for another department's lead; admin pages 403."""
    resp = as_user(lead_b).get(_fmt(url, world))
    assert resp.status_code in (403, 404)
    assert world["a"].requirement.text[:15] not in resp.content.decode(errors="ignore")


def test_another_departments_lead_does_not_see_the_item_in_lists(as_user, lead_b, world):
    """The task list, the document list and the review queue show nothing of 教务处's item."""
    client = as_user(lead_b)
    assert world["a"].requirement.heading not in client.get("/tasks/").content.decode()
    assert world["a"].requirement.document.title not in client.get("/documents/").content.decode()
    assert client.get(f"/documents/{world['d']}/").status_code == 404


def test_every_post_by_another_departments_lead_is_refused_and_changes_nothing(as_user, lead_b, world):
    """Each POST endpoint answers 403 or 404 to a lead of another department, and nothing changes."""
    client = as_user(lead_b)
    before = _snapshot(world["a"])
    for url, data in _posts(world["a"], world["b"].pk, world["x"].pk, world["d"], world["j"].pk):
        resp = client.post(url, data)
        assert resp.status_code in (403, 404), url
    assert _snapshot(world["a"]) == before
    world["b"].refresh_from_db()
    assert world["b"].keywords == [] and "越权名" not in world["b"].aliases


@pytest.mark.parametrize("url", READ_PAGES + ["/tasks/", "/documents/", "/documents/{d}/", "/review/"])
def test_auditors_read_everything(as_user, auditor, world, url):
    """Auditors open the item, its evidence, its history and the lists."""
    resp = as_user(auditor).get(_fmt(url, world))
    assert resp.status_code == 200


def test_auditors_see_evidence_and_history_content(as_user, auditor, world):
    """The evidence tab lists the file with its checksum and the history tab the changes."""
    client = as_user(auditor)
    page = client.get(f"/assignments/{world['a'].pk}/?tab=evidence").content.decode()
    assert escape(world["e"].original_name) in page and world["e"].sha256 in page
    assert b"%PDF" in b"".join(client.get(f"/evidence/{world['e'].pk}/download/").streaming_content)


def test_every_post_by_an_auditor_is_refused_and_changes_nothing(as_user, auditor, world):
    """An auditor cannot change anything through any endpoint."""
    client = as_user(auditor)
    before = _snapshot(world["a"])
    for url, data in _posts(world["a"], world["b"].pk, world["x"].pk, world["d"], world["j"].pk):
        resp = client.post(url, data)
        assert resp.status_code in (403, 404), url
    assert _snapshot(world["a"]) == before
    page = client.get(f"/assignments/{world['a'].pk}/").content.decode()
    assert '<form method="post" action="/assignments/' not in page


def test_a_lead_of_another_department_cannot_download_evidence_by_guessing_ids(as_user, lead_b, assignment_a):
    """Every evidence id of another department is a 404."""
    client = as_user(lead_b)
    for ev in EvidenceFactory.create_batch(3, assignment=assignment_a):
        assert client.get(f"/evidence/{ev.pk}/download/").status_code == 404


@pytest.mark.parametrize("fixture", ["lead_a", "member_a", "school_leader"])
def test_own_department_and_school_leader_can_download(as_user, request, world, fixture):
    """The department's people and its school leader may download its evidence."""
    resp = as_user(request.getfixturevalue(fixture)).get(f"/evidence/{world['e'].pk}/download/")
    assert resp.status_code == 200


def test_download_is_an_attachment_with_a_safe_name_and_nosniff(as_user, lead_a, assignment_a):
    """The file comes as an attachment, with nosniff, and a name that cannot break the header."""
    ev = EvidenceFactory(
        assignment=assignment_a, original_name='报告"\r\nX-Evil: 1.pdf', content_type="application/pdf"
    )
    resp = as_user(lead_a).get(f"/evidence/{ev.pk}/download/")
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "X-Evil: 1" not in resp.headers.get("X-Evil", "")
    assert "filename*=utf-8''" in disposition
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Type"] == "application/pdf"


def test_html_disguised_as_text_is_served_as_an_attachment_never_inline(as_user, lead_a, assignment_a):
    """Even a text file containing HTML is downloaded, with nosniff and a sandbox policy."""
    ev = EvidenceFactory(assignment=assignment_a, original_name="说明.txt", content_type="text/html")
    resp = as_user(lead_a).get(f"/evidence/{ev.pk}/download/")
    assert resp["Content-Type"] == "application/octet-stream"
    assert resp["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in resp["Content-Security-Policy"]


@pytest.mark.parametrize("content_type", ["application/pdf", "text/html"])
def test_the_api_download_sends_the_same_headers_as_the_page(as_user, lead_a, assignment_a, content_type):
    """One download helper: the API and the page send the same type, disposition, CSP, cache and nosniff."""
    ev = EvidenceFactory(assignment=assignment_a, original_name="报告.pdf", content_type=content_type)
    client = as_user(lead_a)
    page = client.get(f"/evidence/{ev.pk}/download/")
    api = client.get(f"/api/evidence/{ev.pk}/download/")
    assert page.status_code == api.status_code == 200
    for header in ("Content-Type", "Content-Disposition", "Content-Security-Policy", "Cache-Control"):
        assert page[header] == api[header], header
    assert api["X-Content-Type-Options"] == "nosniff" and api["Cache-Control"] == "private, no-store"


def test_members_of_the_department_cannot_submit_but_can_update(as_user, member_a, assignment_a):
    """A member updates progress and uploads; the submit POST is refused."""
    client = as_user(member_a)
    assert client.post(f"/assignments/{assignment_a.pk}/progress/", {"percent": 20, "version": 1}).status_code == 302
    assert client.post(f"/assignments/{assignment_a.pk}/evidence/", {"files": [pdf()]}).status_code == 302
    assert client.post(f"/assignments/{assignment_a.pk}/submit/", {"version": 2}).status_code == 403
    assignment_a.refresh_from_db()
    assert assignment_a.status == Assignment.Status.IN_PROGRESS
