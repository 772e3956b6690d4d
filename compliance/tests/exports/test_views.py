"""The /exports/ page, background jobs with progress, downloads and who may use them."""

from __future__ import annotations

import io
from urllib.parse import quote

import openpyxl
import pytest

from compliance.models import ExportJob, JobStatus
from compliance.services import exports as jobs

from .conftest import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_jobs_inline(monkeypatch):
    """Stand in for the Celery worker: a queued job runs when its callback is executed."""
    import tasks.exports

    monkeypatch.setattr(tasks.exports.build_export, "delay", lambda job_id: tasks.exports.build_export(job_id))


@pytest.mark.parametrize("fixture", ["lead_a", "member_a", "school_leader"])
def test_exports_are_for_administrators_and_auditors_only(world, client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/exports/").status_code == 403
    assert client.post("/exports/", {"as_of": "2026-05-15"}).status_code == 403
    job = ExportJob.objects.create(status=JobStatus.DONE, file_name="x.xlsx")
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 403
    assert client.get("/exports/import-xlsx/").status_code == 403


def test_auditor_downloads_a_small_workbook_directly(world, client, auditor):
    client.force_login(auditor)
    assert client.get("/exports/").status_code == 200
    resp = client.post("/exports/", {"as_of": "2026-05-15", "document": world["doc"].pk})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=utf-8''" + quote("示范大学《关于深化本科教育教学改革的意见》审计工作簿_截至2026-05-15.xlsx")
        in disposition
    )
    wb = load(b"".join(resp.streaming_content))
    assert wb["任务分解表"].max_row == 6
    assert not ExportJob.objects.exists()


def test_bad_filter_shows_a_message_not_an_error(world, client, admin_user):
    client.force_login(admin_user)
    resp = client.post("/exports/", {"as_of": "昨天"}, follow=True)
    assert resp.status_code == 200
    assert "无法识别" in resp.content.decode()


def test_big_workbooks_go_to_a_background_job_with_progress_and_a_download_link(
    world, client, admin_user, auditor, monkeypatch, run_jobs_inline, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("compliance.views.exports.DIRECT_DOWNLOAD_MAX_ROWS", 1)
    monkeypatch.setattr("compliance.exports.workbook.PROGRESS_EVERY", 1)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks() as queued:
        resp = client.post("/exports/", {"as_of": "2026-05-15"})
    assert resp.status_code == 302  # the request does not wait for the workbook
    job = ExportJob.objects.get()
    assert job.status == JobStatus.PENDING
    assert "后台生成" in client.get("/exports/").content.decode()
    for callback in queued:  # the worker picks the job up
        callback()
    job.refresh_from_db()
    assert (job.status, job.progress, job.created_by) == (JobStatus.DONE, 100, admin_user)
    assert job.file_name.endswith("审计工作簿_截至2026-05-15.xlsx")
    page = client.get("/exports/").content.decode()
    assert f"/exports/jobs/{job.pk}/download/" in page and 'value="100"' in page
    client.force_login(auditor)
    download = client.get(f"/exports/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert load(b"".join(download.streaming_content)).sheetnames[1] == "任务分解表"


def test_a_failing_job_keeps_the_reason_and_is_not_retried(world, admin_user):
    job = ExportJob.objects.create(created_by=admin_user, params={"department": "不存在的部门"})
    jobs.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "不存在的部门" in job.message
    assert not job.file


def test_progress_is_written_to_the_job_row(world, admin_user, monkeypatch):
    seen = []
    monkeypatch.setattr("compliance.exports.workbook.PROGRESS_EVERY", 1)
    original = ExportJob.objects.filter

    def spy(*args, **kwargs):
        qs = original(*args, **kwargs)
        update = qs.update

        def recording_update(**fields):
            if "progress" in fields:
                seen.append(fields["progress"])
            return update(**fields)

        qs.update = recording_update
        return qs

    monkeypatch.setattr(ExportJob.objects, "filter", spy)
    job = ExportJob.objects.create(created_by=admin_user, params={"as_of": "2026-05-15"})
    jobs.export_job_run(job_id=job.pk)
    assert seen[0] == 0 and 0 < seen[1] < 100 and seen[-1] == 100


def test_job_download_before_it_is_done_is_not_found(world, client, auditor):
    job = ExportJob.objects.create(status=JobStatus.RUNNING)
    client.force_login(auditor)
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def _taskbook(rows: list[list], title: str = "示范大学贯彻落实《关于加强实验室安全的通知》任务分解表") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append([title])
    ws.append(["序号", "条款", "重点任务", "牵头单位", "配合单位", "责任校领导", "完成时限", "备注"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_enqueue_failure_is_shown_on_the_job(world, admin_user, monkeypatch, django_capture_on_commit_callbacks):
    import tasks.exports

    def broker_down(job_id):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.exports.build_export, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.export_job_create(by=admin_user, scope=jobs.parse_scope())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "队列" in job.message


def test_admin_imports_a_taskbook_with_a_row_by_row_report(db, client, admin_user, dept_a, dept_b):
    """Rows become requirements and assignments; what cannot be matched is reported per row."""
    data = _taskbook(
        [
            [1, "（一）", "建立实验室安全责任体系。", "本科生院", "科技处", "", "2030-06-30", ""],
            [2, "（二）", "开展安全检查。", "后勤集团", "", "张校长", "每学期开学前", ""],
            [3, "（三）", "", "教务处", "", "", "", ""],
        ]
    )
    client.force_login(admin_user)
    upload = io.BytesIO(data)
    upload.name = "任务分解表.xlsx"
    resp = client.post("/exports/import-xlsx/", {"file": upload})
    assert resp.status_code == 200
    report = resp.context["report"]
    assert report.documents_created == ["关于加强实验室安全的通知"]
    assert report.requirements_created == 2 and report.assignments_created == 2
    by_row = {r.row: r for r in report.rows}
    assert by_row[3].outcome == "新建" and by_row[3].problems == []
    assert "牵头单位“后勤集团”未匹配到部门" in by_row[4].problems
    assert "责任校领导“张校长”未匹配到用户" in by_row[4].problems
    assert "缺少重点任务内容" in by_row[5].problems
    page = resp.content.decode()
    assert "后勤集团" in page and "未匹配到部门" in page
    from compliance.models import Assignment, Requirement

    req = Requirement.objects.get(text="建立实验室安全责任体系。")
    assert str(req.deadline_date) == "2030-06-30"
    assert {(a.department.name, a.role) for a in Assignment.objects.filter(requirement=req)} == {
        ("教务处", "lead"),
        ("科学技术处", "co"),
    }
    # Importing the same table again matches instead of duplicating.
    upload = io.BytesIO(data)
    upload.name = "任务分解表.xlsx"
    again = client.post("/exports/import-xlsx/", {"file": upload}).context["report"]
    assert again.requirements_created == 0 and again.requirements_matched == 2 and again.assignments_created == 0


def test_taskbook_dry_run_changes_nothing(db, client, admin_user, dept_a):
    from compliance.models import PolicyDocument, Requirement

    client.force_login(admin_user)
    upload = io.BytesIO(_taskbook([[1, "（一）", "建立制度。", "教务处", "", "", "", ""]]))
    upload.name = "t.xlsx"
    report = client.post("/exports/import-xlsx/", {"file": upload, "dry_run": "1"}).context["report"]
    assert report.requirements_created == 1
    assert not Requirement.objects.exists() and not PolicyDocument.objects.exists()


def test_exported_workbook_imports_back(world, client, admin_user):
    """The 任务分解表 Duban writes is one an office can import: every row matches its requirement."""
    from compliance.exports import build_audit_workbook

    from .conftest import TODAY, saved_bytes

    client.force_login(admin_user)
    upload = io.BytesIO(saved_bytes(build_audit_workbook(as_of=TODAY)))
    upload.name = "审计工作簿.xlsx"
    report = client.post("/exports/import-xlsx/", {"file": upload}).context["report"]
    assert report.documents_created == []
    assert report.requirements_matched == 3 and report.requirements_created == 0


def test_not_an_xlsx_is_refused_with_a_message(db, client, admin_user):
    client.force_login(admin_user)
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "x.xlsx"
    resp = client.post("/exports/import-xlsx/", {"file": upload})
    assert "无法读取该文件" in resp.content.decode()


def test_the_page_offers_drafts_as_a_choice(world, client, auditor):
    """Unchecked, a draft is left out; checked, it is in; a draft picked alone without it is refused."""
    from compliance.models import PolicyDocument
    from compliance.tests.factories import PolicyDocumentFactory, RequirementFactory

    draft = PolicyDocumentFactory(title="尚未发布的文件", status=PolicyDocument.Status.DRAFT)
    RequirementFactory(document=draft, heading="", text="草稿里的条款。")
    client.force_login(auditor)
    assert 'name="include_drafts"' in client.get("/exports/").content.decode()

    def texts(resp):
        return [r[3] for r in load(b"".join(resp.streaming_content))["任务分解表"].iter_rows(values_only=True)]

    assert "草稿里的条款。" not in texts(client.post("/exports/", {"as_of": "2026-05-15"}))
    assert "草稿里的条款。" in texts(client.post("/exports/", {"as_of": "2026-05-15", "include_drafts": "1"}))
    refused = client.post("/exports/", {"as_of": "2026-05-15", "document": draft.pk}, follow=True)
    assert "尚未发布" in refused.content.decode()


def test_the_api_takes_include_drafts(world, auditor, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(auditor)
    resp = client.post("/api/export-jobs/", {"as_of": "2026-05-15", "include_drafts": True}, format="json")
    assert resp.status_code == 201
    assert resp.json()["params"]["include_drafts"] is True
    resp = client.post("/api/export-jobs/", {"as_of": "2026-05-15"}, format="json")
    assert resp.json()["params"]["include_drafts"] is False
