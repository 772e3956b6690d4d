"""Import and export jobs that lost their worker: found by a periodic check, failed, retried by the user.

A worker killed mid-job (or stopped at the hard time limit) leaves the row ``running``; nothing
else would ever change it. ``jobs_fail_stale`` (run by beat every few minutes) marks such rows
failed with a message, and ``import_job_retry`` / ``export_job_retry`` put a failed job back in
the queue.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import background, permissions
from ..models import ExportJob, ImportJob, JobStatus, User
from . import ServiceError
from .imports import import_job_dispatch


def jobs_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Mark failed every import or export job running longer than DUBAN_STALE_JOB_SECONDS; return how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.DUBAN_STALE_JOB_SECONDS)
    stale = Q(status=JobStatus.RUNNING) & (Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff))
    message = background.time_limit_message()
    count = 0
    for model in (ImportJob, ExportJob):
        count += model.objects.filter(stale).update(status=JobStatus.FAILED, message=message, finished_at=now)
    return count


def _reset(job: ImportJob | ExportJob) -> None:
    job.status = JobStatus.PENDING
    job.progress = 0
    job.message = ""
    job.started_at = None
    job.finished_at = None
    job.save(update_fields=["status", "progress", "message", "started_at", "finished_at"])


def _locked_failed(model: type[ImportJob] | type[ExportJob], pk: int) -> ImportJob | ExportJob:
    job = model.objects.select_for_update().get(pk=pk)
    if job.status != JobStatus.FAILED:
        raise ServiceError(_("只有失败的任务可以重试（当前状态：%(s)s）。") % {"s": job.get_status_display()})
    return job


def import_job_retry(*, job: ImportJob, by: User) -> str:
    """Run a failed import job's step again (parse, or the confirmed import); returns how it was run."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以导入文件。"))
    with transaction.atomic():
        locked = _locked_failed(ImportJob, job.pk)
        if not locked.file or not locked.file.storage.exists(locked.file.name):
            raise ServiceError(_("原文件已不存在，请重新上传。"))
        _reset(locked)
    return import_job_dispatch(job=locked)


def export_job_retry(*, job: ExportJob, by: User) -> ExportJob:
    """Queue a failed audit workbook again, with the same parameters."""
    permissions.require(permissions.sees_everything(by), _("只有管理员和审计人员可以导出审计工作簿。"))
    with transaction.atomic():
        locked = _locked_failed(ExportJob, job.pk)
        _reset(locked)

        def broker_down(exc: Exception) -> None:
            ExportJob.objects.filter(pk=locked.pk, status=JobStatus.PENDING).update(
                status=JobStatus.FAILED, message=_("后台任务队列暂不可用，请稍后重试。"), finished_at=timezone.now()
            )

        background.after_commit(background.BUILD_EXPORT, locked.pk, on_failure=broker_down)
    return locked
