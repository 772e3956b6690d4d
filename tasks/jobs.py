"""Periodic check for import and export jobs whose worker died: an adapter around ``compliance.services.jobs``."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="tasks.jobs.fail_stale_jobs", acks_late=True)
def fail_stale_jobs() -> int:
    """Mark failed (with a message; the user can retry) every job running longer than its time limit."""
    from compliance.services.jobs import jobs_fail_stale

    return jobs_fail_stale()
