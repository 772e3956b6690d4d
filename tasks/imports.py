"""Background import jobs: an adapter around ``compliance.services.imports``."""

from __future__ import annotations

import logging

from celery import shared_task

from .jobs import claim_job, not_claimed

logger = logging.getLogger(__name__)


@shared_task(name="tasks.imports.run_import_job", acks_late=True, bind=True)
def run_import_job(self, job_id: int) -> str:
    """Parse (or, once confirmed, import) the job's stored file; failures stay on the job row.

    The job runs only if this message claims it (``tasks.jobs.claim_job``): a second message for
    it (a redelivery after a worker died, racing the user's retry) does nothing. A message for a
    job that no longer exists (a database reset, messages left in the broker by another
    installation) is dropped with one log line.
    """
    from compliance.models import ImportJob
    from compliance.services.imports import import_job_run

    if not claim_job(ImportJob, job_id, self.request.id):
        return not_claimed(ImportJob, job_id, "Import")
    try:
        job = import_job_run(job_id=job_id)
    except ImportJob.DoesNotExist:
        logger.warning("Import job %s does not exist; message dropped.", job_id)
        return "missing"
    return job.status
