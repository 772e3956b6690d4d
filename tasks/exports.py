"""Background audit workbooks: an adapter that takes a job id and calls the export runner."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="tasks.exports.build_export", acks_late=True)
def build_export(job_id: int) -> str:
    """Build the workbook of ExportJob job_id; a failure is stored on the job row, never retried.

    A message for a job that no longer exists is dropped with one log line.
    """
    from compliance.models import ExportJob
    from compliance.services.exports import export_job_run

    try:
        return export_job_run(job_id=job_id).status
    except ExportJob.DoesNotExist:
        logger.warning("Export job %s does not exist; message dropped.", job_id)
        return "missing"
