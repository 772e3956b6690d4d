"""Background work: time limits and queues for every task; stale import/export jobs fail with a
message, and the user can run them again."""

from __future__ import annotations

import datetime as dt
import fnmatch

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from compliance import background
from compliance.models import ExportJob, ImportJob, JobStatus
from compliance.services import ServiceError
from compliance.services import imports as import_services
from compliance.services.jobs import jobs_fail_stale
from tasks.celery import app
from tasks.jobs import fail_stale_jobs

POLICY = "关于加强实验室安全管理的通知\n一、各学院于2027年3月31日前完成实验室安全自查。\n二、保卫处每季度开展一次安全检查。\n"


def _running(model, *, minutes_ago: int, **fields):
    job = model.objects.create(status=JobStatus.RUNNING, **fields)
    model.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return job


def _failed_import(admin_user) -> ImportJob:
    job = ImportJob(created_by=admin_user, source_name="通知.txt", status=JobStatus.FAILED, message="worker lost")
    job.file.save("job.txt", ContentFile(POLICY.encode()), save=False)
    job.result = {"stage": import_services.STAGE_PREVIEW}
    job.save()
    return job


# --- limits and queues (settings) -----------------------------------------------------------


def test_every_task_has_a_soft_and_a_hard_time_limit():
    app.loader.import_default_modules()
    names = [n for n in app.tasks if n.startswith("tasks.")]
    assert "tasks.jobs.fail_stale_jobs" in names and "tasks.imports.run_import_job" in names
    for name in names:
        limits = settings.CELERY_TASK_ANNOTATIONS.get(name, {})
        soft = limits.get("soft_time_limit", settings.CELERY_TASK_SOFT_TIME_LIMIT)
        hard = limits.get("time_limit", settings.CELERY_TASK_TIME_LIMIT)
        assert soft and hard and soft < hard, name


def test_imports_exports_notifications_and_reminders_each_have_their_own_queue():
    def queue(name: str) -> str:
        for pattern, route in settings.CELERY_TASK_ROUTES.items():
            if fnmatch.fnmatch(name, pattern):
                return route["queue"]
        return settings.CELERY_TASK_DEFAULT_QUEUE

    assert queue("tasks.imports.run_import_job") == "imports"
    assert queue("tasks.exports.build_export") == "exports"
    assert queue("tasks.notifiers.send_notification_emails") == "notifications"
    assert queue("tasks.reminders.scan_reminders") == queue("tasks.report_reminders.report_rounds") == "reminders"
    app.loader.import_default_modules()
    used = {queue(n) for n in app.tasks if n.startswith("tasks.")}
    assert used <= set(settings.DUBAN_CELERY_QUEUES)  # the worker of `make run` consumes them all


def test_the_stale_job_check_runs_on_a_schedule():
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tasks.jobs.fail_stale_jobs" in entries


# --- stale jobs ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_jobs_running_past_their_limit_are_failed_with_a_message(admin_user):
    limit_minutes = settings.DUBAN_STALE_JOB_SECONDS // 60
    dead_import = _running(ImportJob, minutes_ago=limit_minutes + 5, created_by=admin_user, source_name="大文件.pdf")
    dead_export = _running(ExportJob, minutes_ago=limit_minutes + 60, created_by=admin_user)
    busy = _running(ImportJob, minutes_ago=1, created_by=admin_user, source_name="小文件.txt")
    done = ExportJob.objects.create(created_by=admin_user, status=JobStatus.DONE)
    assert fail_stale_jobs() == 2  # the periodic task
    for job in (dead_import, dead_export):
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and job.finished_at is not None
        assert "时间上限" in job.message and "重试" in job.message
    busy.refresh_from_db()
    done.refresh_from_db()
    assert busy.status == JobStatus.RUNNING and done.status == JobStatus.DONE
    assert jobs_fail_stale() == 0  # a second run changes nothing


@pytest.mark.django_db
def test_a_job_stopped_at_its_soft_time_limit_says_so(admin_user, monkeypatch):
    job = _failed_import(admin_user)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(import_services, "parse_file", too_slow)
    job = import_services.import_job_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED and "时间上限" in job.message


# --- retry -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_office_retries_a_failed_import_from_its_page(client, admin_user):
    job = _failed_import(admin_user)
    client.force_login(admin_user)
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert f"/import/{job.pk}/retry/" in page
    response = client.post(f"/import/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/import/{job.pk}/"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.message == "" and job.result["documents"]
    again = client.post(f"/import/{job.pk}/retry/", follow=True)
    assert "只有失败的任务可以重试" in again.content.decode()


@pytest.mark.django_db
def test_a_large_import_retried_goes_back_to_the_imports_queue(admin_user, monkeypatch, settings):
    settings.DUBAN_INLINE_IMPORT_BYTES = 10
    queued = []
    monkeypatch.setattr(background, "run", lambda name, *args: queued.append((name, args)))
    job = _failed_import(admin_user)
    from compliance.services.jobs import import_job_retry

    assert import_job_retry(job=job, by=admin_user) == "queued"
    assert queued == [(background.RUN_IMPORT_JOB, (job.pk,))]
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.message == "" and job.started_at is None


@pytest.mark.django_db
def test_an_auditor_retries_a_failed_export(client, auditor, lead_a, monkeypatch, django_capture_on_commit_callbacks):
    import tasks.exports

    monkeypatch.setattr(tasks.exports.build_export, "delay", lambda job_id: tasks.exports.build_export(job_id))
    job = ExportJob.objects.create(created_by=auditor, status=JobStatus.FAILED, message="worker lost")
    client.force_login(auditor)
    assert f"/exports/jobs/{job.pk}/retry/" in client.get("/exports/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exports/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file and job.message == ""
    client.force_login(lead_a)
    assert client.post(f"/exports/jobs/{job.pk}/retry/").status_code == 403


# --- import size -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_text_import_far_larger_than_any_policy_is_refused_with_a_message(admin_user, settings):
    data = ("第一条 各单位认真落实。\n" * 200_000).encode()
    assert settings.DUBAN_MAX_IMPORT_TEXT_BYTES < len(data) < settings.DUBAN_MAX_IMPORT_BYTES
    with pytest.raises(ServiceError, match="超过文本导入上限 2 MB"):
        import_services.import_job_create(by=admin_user, name="巨大.txt", data=data)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_api_retries_a_failed_import_and_refuses_one_that_did_not_fail(admin_user):
    from compliance.tests.api.conftest import token_client

    job = _failed_import(admin_user)
    client = token_client(admin_user)
    response = client.post(f"/api/import-jobs/{job.pk}/retry/")
    assert response.status_code == 200 and response.json()["status"] == JobStatus.DONE
    again = client.post(f"/api/import-jobs/{job.pk}/retry/")
    assert again.status_code == 400 and again.json()["error"]["code"] == "rule_violation"


def test_a_message_for_a_job_that_no_longer_exists_is_dropped_with_one_line(db, caplog):
    """Messages left in the broker for jobs of another database (a reset, a test run on the same
    Redis) must not fill the worker's log with tracebacks."""
    from tasks.exports import build_export
    from tasks.imports import run_import_job

    with caplog.at_level("WARNING"):
        assert run_import_job(987654) == "missing"
        assert build_export(987654) == "missing"
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("tasks.")]
    assert lines == [
        "Import job 987654 does not exist; message dropped.",
        "Export job 987654 does not exist; message dropped.",
    ]
    assert not any(r.exc_info for r in caplog.records)
