"""Several evidence files at once: all are checked first, and either all are stored or none."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction

from compliance.models import Assignment, Evidence
from compliance.services import PermissionDeniedError, ServiceError
from compliance.services import assignments as assignment_services
from compliance.services.evidence import evidence_upload_many
from compliance.tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 100


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_every_good_file_is_stored_with_its_checksum(member_a, assignment_a, settings):
    stored = evidence_upload_many(
        assignment=assignment_a, by=member_a, files=[("方案.pdf", PDF), ("照片.png", PNG)], note="会议材料"
    )
    assert [e.original_name for e in stored] == ["方案.pdf", "照片.png"]
    assert stored[0].sha256 == hashlib.sha256(PDF).hexdigest() and stored[1].content_type == "image/png"
    assert {e.note for e in stored} == {"会议材料"} and len(_stored_files(settings)) == 2


def test_one_bad_file_stores_none_and_every_bad_file_is_named(member_a, assignment_a, settings):
    with pytest.raises(ServiceError) as refused:
        evidence_upload_many(
            assignment=assignment_a,
            by=member_a,
            files=[("好文件.pdf", PDF), ("病毒.pdf", EXE), ("空.pdf", b"")],
        )
    assert "病毒.pdf" in str(refused.value) and "空.pdf" in str(refused.value)
    assert "好文件.pdf" not in str(refused.value)
    assert not Evidence.objects.exists() and _stored_files(settings) == []


def test_a_failure_while_storing_removes_the_files_already_written(member_a, assignment_a, settings, monkeypatch):
    """The second row cannot be written: the first file and row disappear with it."""
    real_save = Evidence.save
    calls = {"n": 0}

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", failing_save)
    with pytest.raises(RuntimeError):
        evidence_upload_many(assignment=assignment_a, by=member_a, files=[("一.pdf", PDF), ("二.png", PNG)])
    assert not Evidence.objects.exists() and _stored_files(settings) == []


@pytest.mark.parametrize("status", [Assignment.Status.SUBMITTED, Assignment.Status.COMPLETED])
def test_nothing_is_added_to_a_submitted_or_closed_item(member_a, assignment_a, status):
    Assignment.objects.filter(pk=assignment_a.pk).update(status=status)
    assignment_a.refresh_from_db()
    with pytest.raises(ServiceError):
        evidence_upload_many(assignment=assignment_a, by=member_a, files=[("方案.pdf", PDF)])
    assert not Evidence.objects.exists()


def test_other_departments_and_readers_cannot_upload(lead_b, auditor, school_leader, assignment_a):
    for user in (lead_b, auditor, school_leader):
        with pytest.raises(PermissionDeniedError):
            evidence_upload_many(assignment=assignment_a, by=user, files=[("方案.pdf", PDF)])
    assert not Evidence.objects.exists()


def test_an_empty_batch_is_refused(member_a, assignment_a):
    with pytest.raises(ServiceError, match="请选择要上传的文件"):
        evidence_upload_many(assignment=assignment_a, by=member_a, files=[])


def test_the_api_uses_the_same_rule_for_several_file_parts(member_a, assignment_a):
    client = token_client(member_a)
    url = f"/api/assignments/{assignment_a.pk}/evidence/"
    bad = client.post(
        url,
        {"file": [SimpleUploadedFile("好.pdf", PDF), SimpleUploadedFile("坏.pdf", EXE)]},
        format="multipart",
    )
    assert bad.status_code == 400 and "坏.pdf" in bad.json()["error"]["message"]
    assert not Evidence.objects.exists()
    two = client.post(
        url,
        {"file": [SimpleUploadedFile("一.pdf", PDF), SimpleUploadedFile("二.png", PNG)], "note": "两份"},
        format="multipart",
    )
    assert two.status_code == 201 and [e["original_name"] for e in two.json()] == ["一.pdf", "二.png"]
    one = client.post(url, {"file": SimpleUploadedFile("三.pdf", PDF)}, format="multipart")
    assert one.status_code == 201 and one.json()["original_name"] == "三.pdf"  # one file: one object, as before
    assert Evidence.objects.filter(assignment=assignment_a).count() == 3


def test_an_upload_with_a_stale_view_of_the_item_after_submit_is_refused(member_a, lead_a, assignment_a, settings):
    """The page was opened before the lead submitted: the upload that follows finds the item submitted."""
    stale = Assignment.objects.get(pk=assignment_a.pk)
    evidence_upload_many(assignment=assignment_a, by=member_a, files=[("方案.pdf", PDF)])
    assignment_services.assignment_submit(assignment=assignment_a, by=lead_a, note="已完成")
    assert stale.status != Assignment.Status.SUBMITTED  # what the uploader's page still shows
    with pytest.raises(ServiceError, match="不能再上传材料"):
        evidence_upload_many(assignment=stale, by=member_a, files=[("照片.png", PNG)])
    assert [e.original_name for e in Evidence.objects.all()] == ["方案.pdf"]
    assert len(_stored_files(settings)) == 1


@pytest.mark.django_db(transaction=True)
def test_an_upload_racing_a_submit_waits_for_it_and_is_refused(member_a, lead_a, assignment_a, settings):
    """Two connections on PostgreSQL: the upload blocks on the submit's row lock, then sees the new status."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole transactions)")
    evidence_upload_many(assignment=assignment_a, by=member_a, files=[("方案.pdf", PDF)])
    stale = Assignment.objects.get(pk=assignment_a.pk)
    submit_locked, release, outcome = threading.Event(), threading.Event(), {}

    def submit() -> None:
        try:
            with transaction.atomic():
                assignment_services.assignment_submit(assignment=assignment_a, by=lead_a, note="已完成")
                submit_locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    def upload() -> None:
        try:
            evidence_upload_many(assignment=stale, by=member_a, files=[("照片.png", PNG)])
            outcome["result"] = "stored"
        except ServiceError as exc:
            outcome["result"] = str(exc)
        finally:
            connections.close_all()

    submitter = threading.Thread(target=submit)
    submitter.start()
    assert submit_locked.wait(30)
    uploader = threading.Thread(target=upload)
    uploader.start()
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    submitter.join(30)
    uploader.join(30)
    assert "不能再上传材料" in outcome["result"]
    assert Assignment.objects.get(pk=assignment_a.pk).status == Assignment.Status.SUBMITTED
    assert [e.original_name for e in Evidence.objects.all()] == ["方案.pdf"]
    assert len(_stored_files(settings)) == 1


def _wait_until_a_backend_waits_for_a_lock() -> None:
    """Poll pg_stat_activity until the uploader is blocked on the row lock (bounded, not a timing assertion)."""
    for _attempt in range(3000):
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cur.fetchone()[0]:
                return
        threading.Event().wait(0.01)
    pytest.fail("the upload never waited for the submit's row lock")
