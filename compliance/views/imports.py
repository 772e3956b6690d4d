"""Importing a policy document: upload, watch the parse, preview, confirm (the office only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors
from ..forms import ImportUploadForm
from ..models import JobStatus
from ..services import ServiceError
from ..services import imports as import_services
from ..services import jobs as job_services
from .common import admin_required

RECENT_JOBS = 10
FOLD_OVER = 3  # more documents than this: each starts closed in the preview


@require_http_methods(["GET", "POST"])
@admin_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte past the limit, so the service can refuse an oversized file without reading it all.
        data = upload.read(settings.DUBAN_MAX_IMPORT_BYTES + 1)
        try:
            job = import_services.import_job_create(by=request.user, name=upload.name, data=data)
        except ServiceError as exc:
            form.add_error("file", str(exc))
        else:
            how = import_services.import_job_dispatch(job=job)
            if how == "queued":
                messages.info(request, _("文件较大，正在后台解析，完成后自动显示预览。"))
            return redirect("import_job", job_id=job.pk)
    jobs = selectors.import_job_list(user=request.user)[:RECENT_JOBS]
    return render(
        request, "tracking/import_upload.html", {"form": form, "jobs": jobs}, status=400 if form.errors else 200
    )


@admin_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=job_id)
    running = job.status in (JobStatus.PENDING, JobStatus.RUNNING)
    if request.GET.get("fragment") == "progress":
        response = render(request, "tracking/_import_progress.html", {"job": job, "running": running})
        if not running:
            # The preview needs the whole page: tell htmx to reload it.
            response["HX-Refresh"] = "true"
        return response
    docs = job.result.get("documents", []) if job.status == JobStatus.DONE else []
    return render(
        request,
        "tracking/import_job.html",
        {
            "job": job,
            "running": running,
            "documents": docs,
            # A compilation's documents start folded: the page stays short enough to choose from.
            "fold": len(docs) > FOLD_OVER,
            "classified": any(d.get("classification") for d in docs),
            "stage": job.result.get("stage"),
            "report": job.result.get("report", []),
            "warnings": job.result.get("warnings", []),
            "skipped": job.result.get("skipped", []),
            "uncertain": job.result.get("uncertain", []),
        },
    )


def _indexes(request: HttpRequest, name: str) -> list[int]:
    """The ticked checkboxes ``name`` as preview indexes (anything not a number is ignored)."""
    return [int(v) for v in request.POST.getlist(name) if v.strip().isdigit()]


@require_POST
@admin_required
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    """Import the ticked documents, the skipped blocks forced in, and the reference documents."""
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=job_id)
    try:
        how = import_services.import_job_confirm(
            job=job,
            by=request.user,
            documents=_indexes(request, "doc"),
            skipped=_indexes(request, "skip"),
            references=_indexes(request, "reference"),
            classified_confirmed=request.POST.get("classified_ok") == "1",
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if how == "queued":
            messages.info(request, _("正在后台导入，请稍候。"))
        elif how == "inline":
            messages.success(request, _("导入完成。"))
    return redirect("import_job", job_id=job.pk)


@require_POST
@admin_required
def import_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Run a failed job again (a stale job, a worker that was stopped, a broker that was down)."""
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=job_id)
    try:
        how = job_services.import_job_retry(job=job, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if how == "queued":
            messages.info(request, _("已重新排队，正在后台处理。"))
    return redirect("import_job", job_id=job.pk)


urlpatterns = [
    path("import/", import_upload, name="import_upload"),
    path("import/<int:job_id>/", import_job, name="import_job"),
    path("import/<int:job_id>/confirm/", import_confirm, name="import_confirm"),
    path("import/<int:job_id>/retry/", import_retry, name="import_retry"),
]
