"""Background import jobs: an adapter around ``compliance.services.imports``."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="tasks.imports.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> str:
    """Parse (or, once confirmed, import) the job's stored file; failures stay on the job row.

    A message for a job that no longer exists (a database reset, messages left in the broker by
    another installation) is dropped with one log line.
    """
    from compliance.models import ImportJob
    from compliance.services.imports import import_job_run

    try:
        job = import_job_run(job_id=job_id)
    except ImportJob.DoesNotExist:
        logger.warning("Import job %s does not exist; message dropped.", job_id)
        return "missing"
    return job.status
