"""Documents (import, tree, requirement filters), export jobs and dashboard figures via the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import ExportJob, PolicyDocument, Requirement
from compliance.services.exports import export_job_run
from compliance.tests.factories import (
    AssignmentFactory,
    PolicyDocumentFactory,
    RequirementFactory,
)

from .conftest import SAMPLE_POLICY, assert_error, token_client

pytestmark = pytest.mark.django_db


def _import(client, data: bytes, name: str = "通知.txt"):
    return client.post("/api/documents/import/", {"file": SimpleUploadedFile(name, data)}, format="multipart")


def test_import_previews_then_confirm_stores_the_document(admin_user):
    """Upload → job with a parse preview (nothing stored yet) → confirm → document and requirements."""
    client = token_client(admin_user)
    job = _import(client, SAMPLE_POLICY.read_bytes())
    assert job.status_code == 201
    body = job.json()
    assert (body["status"], body["result"]["stage"]) == ("done", "preview")
    assert body["result"]["documents"][0]["title"].startswith("教育部办公厅关于加强高校实验室安全工作的通知")
    assert not PolicyDocument.objects.exists()

    status = client.get(f"/api/import-jobs/{body['id']}/").json()
    assert status["id"] == body["id"] and status["status"] == "done"

    confirmed = client.post(f"/api/import-jobs/{body['id']}/confirm/").json()
    assert confirmed["result"]["stage"] == "imported"
    doc_id = confirmed["result"]["report"][0]["document_id"]
    assert PolicyDocument.objects.filter(pk=doc_id).exists()
    assert Requirement.objects.filter(document_id=doc_id).count() >= 5

    again = client.post(f"/api/import-jobs/{body['id']}/confirm/")
    assert_error(again, 400, "rule_violation")


def test_confirm_takes_the_chosen_documents_and_the_classified_confirmation(admin_user):
    """The body chooses documents and skipped blocks; a 密级 document needs classified_confirmed."""
    from compliance.tests.views.test_import_preview import NEWS, SECRET, TEACHING

    client = token_client(admin_user)
    body = _import(client, ("\n".join([SECRET, NEWS, TEACHING])).encode("utf-8")).json()
    assert [d["classification"] for d in body["result"]["documents"]] == ["机密", ""]
    url = f"/api/import-jobs/{body['id']}/confirm/"
    assert_error(client.post(url, {"documents": []}, format="json"), 400, "rule_violation")
    assert_error(client.post(url, {"documents": [0]}, format="json"), 400, "rule_violation")
    assert not PolicyDocument.objects.exists()
    done = client.post(url, {"documents": [1], "skipped": [0]}, format="json").json()
    assert [r["title"] for r in done["result"]["report"]] == [
        "东方大学关于做好本科教学评估工作的通知",
        "东方大学召开实验室安全工作会议",
    ]
    assert PolicyDocument.objects.count() == 2


def test_an_unreadable_file_gives_a_failed_job_with_a_message(admin_user):
    job = _import(token_client(admin_user), b"\x00\x01\x02\xff" * 50, name="乱码.bin").json()
    assert job["status"] == "failed"
    assert job["message"]


def test_an_empty_upload_is_refused(admin_user):
    assert_error(_import(token_client(admin_user), b""), 400, "rule_violation")


def test_document_tree_nests_children_under_their_parents(lead_a, dept_a):
    doc = PolicyDocumentFactory()
    top = RequirementFactory(document=doc, label="一、", path=["一"], level=1, order=1, is_requirement=False)
    child = RequirementFactory(document=doc, label="1.", path=["一", "1"], level=2, order=2, parent=top)
    AssignmentFactory(requirement=child, department=dept_a)
    tree = token_client(lead_a).get(f"/api/documents/{doc.pk}/tree/").json()
    assert tree["document"]["id"] == doc.pk
    assert [n["id"] for n in tree["nodes"]] == [top.pk]
    assert [n["id"] for n in tree["nodes"][0]["children"]] == [child.pk]
    assert tree["nodes"][0]["children"][0]["children"] == []


def test_requirement_list_filters(admin_user):
    doc = PolicyDocumentFactory()
    tracked = RequirementFactory(document=doc, heading="安全检查", is_requirement=True)
    RequirementFactory(document=doc, heading="总体要求", is_requirement=False)
    RequirementFactory(heading="安全检查")  # another document
    client = token_client(admin_user)
    rows = client.get(f"/api/requirements/?document={doc.pk}&is_requirement=true").json()["results"]
    assert [r["id"] for r in rows] == [tracked.pk]
    assert client.get("/api/requirements/?q=安全检查").json()["count"] == 2


def test_a_lead_lists_only_documents_with_an_item_of_their_department(lead_a, dept_a, dept_b):
    mine = AssignmentFactory(department=dept_a).requirement.document
    AssignmentFactory(department=dept_b)
    rows = token_client(lead_a).get("/api/documents/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]


def test_export_job_is_created_reports_status_and_downloads_once_built(auditor, assignment_a):
    """An auditor asks for a workbook; download waits (409 not_ready) until the job is done."""
    client = token_client(auditor)
    created = client.post("/api/export-jobs/", {"as_of": "2026-06-01"}, format="json")
    assert created.status_code == 201
    job = created.json()
    assert (job["status"], job["params"]["as_of"], job["download_url"]) == ("pending", "2026-06-01", None)
    error = assert_error(client.get(f"/api/export-jobs/{job['id']}/download/"), 409, "not_ready")
    assert error["details"] == {"status": "pending"}

    export_job_run(job_id=job["id"])  # what the Celery worker does

    status = client.get(f"/api/export-jobs/{job['id']}/").json()
    assert status["status"] == "done" and status["download_url"]
    resp = client.get(status["download_url"])
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content)[:2] == b"PK"  # an xlsx is a zip
    assert ".xlsx" in resp["Content-Disposition"]


def test_export_with_an_unknown_document_is_a_validation_error(admin_user):
    resp = token_client(admin_user).post("/api/export-jobs/", {"document": 999999}, format="json")
    assert_error(resp, 400, "validation_error")
    assert not ExportJob.objects.exists()


@time_machine.travel(dt.date(2026, 7, 15))
def test_dashboard_figures_are_scoped_to_the_user(admin_user, lead_a, dept_a, dept_b):
    """The lead's totals count only their department; the office sees both departments."""
    AssignmentFactory(department=dept_a, due_date=dt.date(2026, 6, 30))  # overdue
    AssignmentFactory(department=dept_a, due_date=dt.date(2026, 12, 31), status="completed")
    AssignmentFactory(department=dept_b, due_date=dt.date(2026, 6, 30))
    mine = token_client(lead_a).get("/api/dashboard/").json()
    assert (mine["totals"]["total"], mine["totals"]["overdue"], mine["totals"]["completed"]) == (2, 1, 1)
    assert [row["name"] for row in mine["by_department"]] == ["教务处"]
    everyone = token_client(admin_user).get("/api/dashboard/").json()
    assert everyone["totals"]["total"] == 3
    assert {row["name"] for row in everyone["by_department"]} == {"教务处", "科学技术处"}
    filtered = token_client(admin_user).get(f"/api/dashboard/?department={dept_b.pk}").json()
    assert filtered["totals"]["total"] == 1
