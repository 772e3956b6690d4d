"""Background import jobs: an adapter around ``compliance.services.imports``."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="tasks.imports.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> str:
    """Parse (or, once confirmed, import) the job's stored file; failures stay on the job row."""
    from compliance.services.imports import import_job_run

    job = import_job_run(job_id=job_id)
    return job.status
