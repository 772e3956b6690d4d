"""Periodic check for import and export jobs whose worker died: an adapter around ``compliance.services.jobs``."""

from __future__ import annotations

from celery import shared_task

from . import once


@shared_task(name="tasks.jobs.fail_stale_jobs", acks_late=True)
def fail_stale_jobs(slot_seconds: int | None = None) -> int:
    """Mark failed (with a message; the user can retry) every job running longer than its time limit.

    ``slot_seconds`` (sent by beat): once per slot however many schedulers send it.
    """
    from compliance.services.jobs import jobs_fail_stale

    with once.once_per_slot("fail_stale_jobs", slot_seconds) as first:
        return jobs_fail_stale() if first else 0
