"""Scans in the import job and on the command line: OCR page by page with progress, low-confidence
lines marked in the preview, the background worker for every scan, no second OCR on confirm."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from compliance import background
from compliance.models import ImportJob, JobStatus, PolicyDocument
from compliance.parsing import parse_text
from compliance.services import imports
from compliance.tests.parsing import fake_ocr

PAGES = [
    [
        ("某某大学关于做好实验室安全检查工作的通知", 0.99),
        ("各学院、各部门：", 0.99),
        ("一、开展全面自查", 0.99),
        ("各学院要于2024年6月30日前完成实验室安全自查，建立隐患台账。", 0.99),
    ],
    [
        ("二、加强整改落实", 0.98),
        ("对检查发现的问题要限期整改，整改情况于2024年7月15日前报实验室与设备管理处。", 0.61),
        ("某某大学", 0.99),
        ("2024年6月1日", 0.99),
    ],
]
TEXT = "\n".join(text for page in PAGES for text, _ in page)


@pytest.fixture
def engine(monkeypatch):
    return fake_ocr.install(monkeypatch, PAGES)


def test_scan_job_reports_page_progress_and_marks_unsure_lines(db, admin_user, engine):
    """Each OCR page moves the bar and says "page k of n"; the low-confidence line is marked on its item."""
    job = imports.import_job_create(by=admin_user, name="通知扫描件.pdf", data=fake_ocr.blank_scanned_pdf(2))
    seen = []
    engine.before_each = lambda k: seen.append(
        (ImportJob.objects.get(pk=job.pk).progress, ImportJob.objects.get(pk=job.pk).message)
    )
    imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    assert seen[1] == (50, "文字识别：第 1 页，共 2 页")
    assert job.progress == 100 and job.message == ""
    preview = job.result
    assert preview["uncertain"] == [PAGES[1][1][0]]
    marked = [i for d in preview["documents"] for i in d["items"] if i["unsure"]]
    assert len(marked) == 1 and "限期整改" in marked[0]["text"]
    assert preview["documents"][0]["unsure"] == 1


def test_confirming_a_scan_imports_without_reading_it_again(db, admin_user, engine, monkeypatch):
    """The preview keeps the recognised text; confirming imports it with no second OCR."""
    job = imports.import_job_create(by=admin_user, name="扫描件.png", data=fake_ocr.blank_page_png())
    imports.import_job_run(job_id=job.pk)
    calls = engine.calls
    monkeypatch.setattr(background, "run", lambda name, *args: imports.import_job_run(job_id=args[0]))
    imports.import_job_confirm(job=ImportJob.objects.get(pk=job.pk), by=admin_user)
    assert engine.calls == calls
    assert PolicyDocument.objects.count() == 1


def test_every_scan_goes_to_the_worker_however_small(db, admin_user, monkeypatch):
    """A small scan is not OCR'd inside the web request: it is queued like a large file."""
    queued = []
    monkeypatch.setattr(background, "run", lambda name, *args: queued.append((name, args)))
    job = imports.import_job_create(by=admin_user, name="p.png", data=fake_ocr.blank_page_png())
    assert imports.import_job_dispatch(job=job) == "queued"
    assert queued == [(background.RUN_IMPORT_JOB, (job.pk,))]
    text_job = imports.import_job_create(by=admin_user, name="t.txt", data=TEXT.encode())
    assert imports.import_job_dispatch(job=text_job) == "inline"


def test_progress_fragment_shows_the_page_message(client, admin_user, db):
    job = imports.import_job_create(by=admin_user, name="s.pdf", data=fake_ocr.blank_scanned_pdf(1))
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, progress=50, message="文字识别：第 2 页，共 3 页"
    )
    client.force_login(admin_user)
    page = client.get(f"/import/{job.pk}/?fragment=progress").content.decode()
    assert "文字识别：第 2 页，共 3 页" in page and 'value="50"' in page


def test_preview_page_marks_unsure_lines(client, admin_user, engine):
    job = imports.import_job_create(by=admin_user, name="s.png", data=fake_ocr.blank_page_png())
    engine.pages = [PAGES[0][:2] + PAGES[1][:2]]
    imports.import_job_run(job_id=job.pk)
    client.force_login(admin_user)
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "请对照原件核对" in page and "<mark" in page and "限期整改" in page


def test_parse_policy_reads_a_scan_with_progress_on_stderr(engine, tmp_path):
    """``parse_policy SCAN --json``: OCR progress on stderr, the same JSON as the text on stdout."""
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(fake_ocr.blank_scanned_pdf(2))
    txt = tmp_path / "scan.txt"
    txt.write_text(TEXT, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("parse_policy", str(scan), "--json", stdout=out, stderr=err)
    assert "第 1/2 页" in err.getvalue() and "第 2/2 页" in err.getvalue()
    got = json.loads(out.getvalue())
    out2 = io.StringIO()
    call_command("parse_policy", str(txt), "--json", stdout=out2, stderr=io.StringIO())
    assert got["documents"] == json.loads(out2.getvalue())["documents"]
    assert got["documents"] == [d.as_json() for d in parse_text(TEXT).documents]
