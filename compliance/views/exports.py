"""Audit exports page (administrators and auditors) and the 任务分解表 upload (administrators)."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions, selectors
from ..exports import audit_filename
from ..models import ExportJob, JobStatus
from ..services import ServiceError
from ..services import jobs as job_services
from ..services.exports import (
    DIRECT_DOWNLOAD_MAX_ROWS,
    ScopeError,
    export_job_create,
    parse_scope,
    scope_row_count,
    scope_workbook,
)
from ..services.taskbook import taskbook_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reader(request: HttpRequest) -> None:
    if not permissions.sees_everything(request.user):
        raise PermissionDenied(_("只有管理员和审计人员可以导出审计工作簿。"))


def _xlsx_response(fileobj, filename: str) -> FileResponse:
    # FileResponse writes the Chinese name as RFC 5987 filename*=utf-8'' with an ASCII fallback.
    return FileResponse(fileobj, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def exports_page(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = request.user
    form = {"document": "", "department": "", "as_of": selectors.today().isoformat(), "include_drafts": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            scope = parse_scope(**form)
        except ScopeError as exc:
            messages.error(request, str(exc))
        else:
            rows = scope_row_count(scope=scope)
            if rows <= DIRECT_DOWNLOAD_MAX_ROWS and request.POST.get("background") != "1":
                wb = scope_workbook(scope=scope)
                tmp = tempfile.TemporaryFile()
                wb.save(tmp)
                tmp.seek(0)
                return _xlsx_response(tmp, audit_filename(scope))
            job = export_job_create(by=user, scope=scope)
            messages.success(
                request,
                _("工作簿约 %(n)s 行，已转为后台生成（任务 #%(id)s），完成后可在下方下载。")
                % {"n": rows, "id": job.pk},
            )
            return redirect("exports")
    jobs = list(ExportJob.objects.select_related("created_by").order_by("-created_at")[:20])
    context = {
        "form": form,
        "jobs": jobs,
        "active": any(j.status in (JobStatus.PENDING, JobStatus.RUNNING) for j in jobs),
        "document_options": selectors.document_list(user=user).order_by("-id").values_list("id", "title"),
        "department_options": selectors.department_list(user=user).only("id", "name"),
        "direct_max": DIRECT_DOWNLOAD_MAX_ROWS,
        "is_admin": permissions.is_administrator(user),
    }
    return render(request, "exports/index.html", context)


@login_required
def export_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress as a small fragment (the page reloads itself while jobs run)."""
    _require_reader(request)
    job = get_object_or_404(ExportJob, pk=pk)
    return render(request, "exports/_job.html", {"job": job})


@login_required
@require_POST
def export_job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed workbook again (its worker died or the queue was down)."""
    _require_reader(request)
    job = get_object_or_404(ExportJob, pk=pk)
    try:
        job_services.export_job_retry(job=job, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("已重新排队，完成后可在下方下载。"))
    return redirect("exports")


@login_required
def export_job_download(request: HttpRequest, pk: int) -> FileResponse:
    _require_reader(request)
    job = get_object_or_404(ExportJob, pk=pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404(_("该工作簿尚未生成。"))
    try:
        fileobj = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件已不存在，请重新导出。")) from None
    return _xlsx_response(fileobj, job.file_name or f"audit-{job.pk}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def taskbook_import_page(request: HttpRequest) -> HttpResponse:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied(_("只有管理员可以导入任务分解表。"))
    report = None
    documents = selectors.document_list(user=request.user).select_related(None).only("id", "title").order_by("-id")
    if request.method == "POST":
        upload = request.FILES.get("file")
        document = None
        if request.POST.get("document"):
            document = documents.filter(pk=request.POST["document"]).first()
        if upload is None:
            messages.error(request, _("请选择要导入的 .xlsx 文件。"))
        elif upload.size > settings.DUBAN_MAX_IMPORT_BYTES:
            messages.error(
                request, _("文件过大（上限 %(mb)s MB）。") % {"mb": settings.DUBAN_MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        else:
            try:
                report = taskbook_import(
                    data=upload.read(),
                    by=request.user,
                    source_name=upload.name,
                    document=document,
                    dry_run=request.POST.get("dry_run") == "1",
                )
            except ServiceError as exc:
                messages.error(request, str(exc))
    return render(request, "exports/import.html", {"report": report, "documents": documents})


urlpatterns = [
    path("exports/", exports_page, name="exports"),
    path("exports/jobs/<int:pk>/", export_job_status, name="export-job"),
    path("exports/jobs/<int:pk>/download/", export_job_download, name="export-download"),
    path("exports/jobs/<int:pk>/retry/", export_job_retry, name="export-retry"),
    path("exports/import-xlsx/", taskbook_import_page, name="taskbook-import"),
]
