"""Background audit workbooks: an adapter that takes a job id and calls the export runner."""

from __future__ import annotations

import logging

from celery import shared_task

from .jobs import claim_job, not_claimed

logger = logging.getLogger(__name__)


@shared_task(name="tasks.exports.build_export", acks_late=True, bind=True)
def build_export(self, job_id: int) -> str:
    """Build the workbook of ExportJob job_id; a failure is stored on the job row, never retried.

    The workbook is built only if this message claims the job (``tasks.jobs.claim_job``): a
    second message for it (a redelivery after a worker died, racing the user's retry) does
    nothing. A message for a job that no longer exists is dropped with one log line.
    """
    from compliance.models import ExportJob
    from compliance.services.exports import export_job_run

    if not claim_job(ExportJob, job_id, self.request.id):
        return not_claimed(ExportJob, job_id, "Export")
    try:
        return export_job_run(job_id=job_id).status
    except ExportJob.DoesNotExist:
        logger.warning("Export job %s does not exist; message dropped.", job_id)
        return "missing"
