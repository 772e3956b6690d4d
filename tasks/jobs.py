"""Import and export jobs in the worker: one runner at a time (``claim_job``), and the periodic
check for jobs whose worker died (an adapter around ``compliance.services.jobs``).

A job can be asked for twice. Workers acknowledge a message only once the task has finished
(``acks_late``), so a worker killed mid-job leaves its message in Redis, which delivers it again:
at once when only the pool process died (``reject_on_worker_lost``), after the broker's visibility
timeout when the whole worker did. Meanwhile the stale-job check may have failed the job and the
user retried it, which queues a second message. Without a claim both messages would build the
same workbook or import the same file at the same time.

``claim_job`` lets a message run its job only when it takes it from ``pending`` in one UPDATE, or
when it is the very message whose earlier delivery died (its Celery task id and the time it took
the job are remembered in the shared cache; a retry started since wins). Every other message is
dropped with one log line, so a job never has two runners.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.utils import timezone

from . import once

logger = logging.getLogger(__name__)

RUNNER_TTL = 24 * 3600  # longer than any redelivery (the broker's visibility timeout is one hour)


def _runner_key(model: type[Model], job_id: int) -> str:
    return f"duban:job-runner:{model._meta.model_name}:{job_id}"


def _note(key: str, runner: str, claimed_at: dt.datetime) -> None:
    try:
        cache.set(key, (runner, claimed_at), timeout=RUNNER_TTL)
    except Exception:  # without the note a redelivery cannot resume; the stale check fails the job visibly
        logger.warning("Shared cache unreachable; %s cannot resume if its worker dies.", key, exc_info=True)


def claim_job(model: type[Model], job_id: int, runner: str | None) -> bool:
    """Mark the job running for this message; False when another runner has it or it has finished.

    ``runner`` is the Celery task id of the message (the same on every delivery of it), or None
    when the task is called directly (it can then only take a pending job).
    """
    from compliance.models import JobStatus

    now = timezone.now()
    key = _runner_key(model, job_id)
    if model.objects.filter(pk=job_id, status=JobStatus.PENDING).update(status=JobStatus.RUNNING, started_at=now):
        if runner:
            _note(key, runner, now)
        return True
    if not runner:
        return False
    try:
        owner = cache.get(key)
    except Exception:
        logger.warning("Shared cache unreachable; redelivered %s not resumed.", key, exc_info=True)
        return False
    if not owner or owner[0] != runner:
        return False
    # This message's earlier delivery died mid-job: resume. A retry since then would have started
    # the job anew at least DUBAN_STALE_JOB_SECONDS later (only a failed job can be retried), so
    # the window on started_at (which the runner itself moves on starting) tells the two apart.
    claimed_at = owner[1]
    window = dt.timedelta(seconds=settings.DUBAN_STALE_JOB_SECONDS)
    resumed = model.objects.filter(
        pk=job_id,
        status__in=[JobStatus.RUNNING, JobStatus.FAILED],
        started_at__gte=claimed_at,
        started_at__lt=claimed_at + window,
    ).update(status=JobStatus.RUNNING, started_at=now, message="")
    if resumed:
        logger.warning("Job %s resumed by its redelivered message %s (its worker died).", key, runner)
        _note(key, runner, now)
    return bool(resumed)


def not_claimed(model: type[Model], job_id: int, label: str) -> str:
    """What a task returns when ``claim_job`` refused: "missing" or "skipped", with one log line."""
    if not model.objects.filter(pk=job_id).exists():
        logger.warning("%s job %s does not exist; message dropped.", label, job_id)
        return "missing"
    logger.info("%s job %s is running elsewhere or finished; duplicate message dropped.", label, job_id)
    return "skipped"


@shared_task(name="tasks.jobs.fail_stale_jobs", acks_late=True)
def fail_stale_jobs(slot_seconds: int | None = None) -> int:
    """Mark failed (with a message; the user can retry) every job running longer than its time limit.

    ``slot_seconds`` (sent by beat): once per slot however many schedulers send it.
    """
    from compliance.services.jobs import jobs_fail_stale

    with once.once_per_slot("fail_stale_jobs", slot_seconds) as first:
        if not first:
            once.skipped("fail_stale_jobs")  # the log line a second scheduler leaves
            return 0
        return jobs_fail_stale()
