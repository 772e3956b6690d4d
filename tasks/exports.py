"""Background audit workbooks: an adapter that takes a job id and calls the export runner."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="tasks.exports.build_export", acks_late=True)
def build_export(job_id: int) -> str:
    """Build the workbook of ExportJob job_id; a failure is stored on the job row, never retried."""
    from compliance.services.exports import export_job_run

    return export_job_run(job_id=job_id).status
