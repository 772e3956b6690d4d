"""A job has one runner at a time: a worker killed mid-job leaves its message to be delivered
again (acks_late), and the user may have retried the job meanwhile; the workbook is still built once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from compliance.models import ExportJob, ImportJob, JobStatus
from compliance.services import exports as export_services
from compliance.services import imports as import_services
from compliance.services.jobs import export_job_retry, jobs_fail_stale
from tasks.exports import build_export
from tasks.imports import run_import_job
from tasks.jobs import claim_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times a workbook was built."""
    calls = []
    real = export_services.scope_workbook

    def counted(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(export_services, "scope_workbook", counted)
    return calls


def _deliver(job: ExportJob, message_id: str) -> str:
    """What a worker does with one delivery of the message ``message_id``."""
    return build_export.apply(args=[job.pk], task_id=message_id).get()


def _worker_died_long_ago(job) -> None:
    past = timezone.now() - dt.timedelta(seconds=settings.DUBAN_STALE_JOB_SECONDS + 60)
    type(job).objects.filter(pk=job.pk).update(started_at=past)


def test_a_redelivered_message_does_not_build_a_workbook_the_user_already_retried(auditor, builds):
    job = ExportJob.objects.create(created_by=auditor)
    assert claim_job(ExportJob, job.pk, "first-message")  # a worker took it ... and was killed
    _worker_died_long_ago(job)
    assert jobs_fail_stale() == 1  # the periodic check: failed, with a message
    export_job_retry(job=job, by=auditor)  # the auditor presses 重试: a second message

    assert _deliver(job, "retry-message") == JobStatus.DONE
    job.refresh_from_db()
    finished = job.finished_at
    assert _deliver(job, "first-message") == "skipped"  # the broker delivers the first one again
    job.refresh_from_db()
    assert builds == [1] and job.status == JobStatus.DONE and job.finished_at == finished


def test_a_redelivery_racing_the_retry_leaves_the_job_to_the_retry(auditor, builds):
    job = ExportJob.objects.create(created_by=auditor)
    assert claim_job(ExportJob, job.pk, "first-message")
    _worker_died_long_ago(job)
    jobs_fail_stale()
    export_job_retry(job=job, by=auditor)
    assert claim_job(ExportJob, job.pk, "retry-message")  # the retry is being built right now

    assert _deliver(job, "first-message") == "skipped"
    job.refresh_from_db()
    assert builds == [] and job.status == JobStatus.RUNNING


def test_a_message_whose_worker_died_resumes_its_job_and_no_other_message_does(auditor, builds):
    job = ExportJob.objects.create(created_by=auditor)
    assert claim_job(ExportJob, job.pk, "first-message")  # the pool process running it was killed

    assert _deliver(job, "a-stray-message") == "skipped"
    assert _deliver(job, "first-message") == JobStatus.DONE  # requeued: the same message, resumed
    job.refresh_from_db()
    assert builds == [1] and job.file and job.message == ""
    assert _deliver(job, "first-message") == "skipped"  # delivered yet again: already done


def test_a_second_message_for_a_running_import_does_nothing(admin_user):
    job = ImportJob(created_by=admin_user, source_name="通知.txt", result={"stage": import_services.STAGE_PREVIEW})
    job.file.save("job.txt", ContentFile("关于加强实验室安全管理的通知\n一、各学院完成自查。\n".encode()), save=False)
    job.save()
    assert claim_job(ImportJob, job.pk, "first-message")

    assert run_import_job.apply(args=[job.pk], task_id="second-message").get() == "skipped"
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and "documents" not in job.result
    assert run_import_job.apply(args=[job.pk], task_id="first-message").get() == JobStatus.DONE
    job.refresh_from_db()
    assert job.result["documents"]
