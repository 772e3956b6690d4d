"""Audit workbook requests: user input into an audit scope, and the background export job.

The web page, the API, the Celery task and the management command all come through here, so they
build the same workbook from the same parameters. The workbook itself is built by
``compliance.exports`` (no HTTP, no job rows).
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .. import background, permissions
from ..exports import AuditScope, audit_filename, audit_row_count, build_audit_workbook
from ..models import Department, ExportJob, JobStatus, PolicyDocument, User
from .routing import DepartmentDirectory

logger = logging.getLogger(__name__)

# Above this many 任务分解表 rows the web page hands the work to a background job.
DIRECT_DOWNLOAD_MAX_ROWS = 2000


class ScopeError(ValueError):
    """The requested document, department or date does not exist; the message is shown as is."""


def _department_named(name: str) -> Department:
    """A department by its name, short name or alias; closed departments too (audits look back)."""
    dept = DepartmentDirectory(include_inactive=True).find(name)
    if dept is None:
        raise ScopeError(_("未找到部门“%(n)s”（按名称、简称或别名查找）。") % {"n": name.strip()})
    return dept


def _document(value: Any, include_drafts: bool) -> PolicyDocument | None:
    if value in (None, ""):
        return None
    try:
        doc = PolicyDocument.objects.get(pk=int(value))
    except (ValueError, TypeError, PolicyDocument.DoesNotExist):
        raise ScopeError(_("未找到编号为 %(id)s 的文件。") % {"id": value}) from None
    if doc.status != PolicyDocument.Status.PUBLISHED and not include_drafts:
        raise ScopeError(
            _("文件《%(t)s》尚未发布，工作簿默认只含已发布的文件；如需导出，请选择“包含未发布的草稿”。")
            % {"t": doc.title}
        )
    return doc


def _department(value: Any) -> Department | None:
    if isinstance(value, Department):
        return value
    if value in (None, ""):
        return None
    text = str(value)
    dept = Department.objects.filter(pk=int(text)).first() if text.isdigit() else None
    return dept or _department_named(text)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ScopeError(_("日期“%(d)s”无法识别，请使用 YYYY-MM-DD 格式。") % {"d": value}) from None


def _flag(value: Any) -> bool:
    """A checkbox, query or JSON value: on/1/true/yes (any case) or True."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "on", "true", "yes")


def parse_scope(
    *, document: Any = None, department: Any = None, as_of: Any = None, include_drafts: Any = False
) -> AuditScope:
    """Validate raw parameters (ids, names, ISO dates, a drafts flag) into an AuditScope.

    Only published documents are covered unless ``include_drafts``; asking for one draft
    document without it is refused with a message rather than answered with an empty workbook.
    """
    drafts = _flag(include_drafts)
    return AuditScope(
        as_of=_day(as_of),
        document=_document(document, drafts),
        department=_department(department),
        include_drafts=drafts,
    )


def scope_params(scope: AuditScope) -> dict[str, Any]:
    return {
        "document": scope.document.pk if scope.document else None,
        "department": scope.department.pk if scope.department else None,
        "as_of": scope.as_of.isoformat(),
        "include_drafts": scope.include_drafts,
    }


def scope_workbook(*, scope: AuditScope, progress: Callable[[int, int], None] | None = None) -> Workbook:
    """The audit workbook of a validated scope (the page's direct download and the command)."""
    return build_audit_workbook(
        as_of=scope.as_of,
        document=scope.document,
        department=scope.department,
        include_drafts=scope.include_drafts,
        progress=progress,
    )


def scope_row_count(*, scope: AuditScope) -> int:
    return audit_row_count(
        as_of=scope.as_of, document=scope.document, department=scope.department, include_drafts=scope.include_drafts
    )


def export_job_create(*, by: User, scope: AuditScope) -> ExportJob:
    """Record a workbook request and queue it once the row is committed."""
    permissions.require(permissions.sees_everything(by), _("只有管理员和审计人员可以导出审计工作簿。"))
    job = ExportJob.objects.create(created_by=by, params=scope_params(scope), file_name=audit_filename(scope))

    def broker_down(exc: Exception) -> None:
        # Shown on the job row, not as an error page.
        ExportJob.objects.filter(pk=job.pk, status=JobStatus.PENDING).update(
            status=JobStatus.FAILED, message=_("后台任务队列暂不可用，请稍后重试。"), finished_at=timezone.now()
        )

    background.after_commit(background.BUILD_EXPORT, job.pk, on_failure=broker_down)
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the workbook of a job, reporting progress on the row; failures are stored, not raised."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job  # a re-delivered message must not build the workbook twice
    ExportJob.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, progress=0, message="", started_at=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        # Leave the last percent for saving the file.
        pct = min(99, int(done * 100 / total)) if total else 0
        ExportJob.objects.filter(pk=job_id).update(progress=pct)

    try:
        p = job.params or {}
        scope = parse_scope(
            document=p.get("document"),
            department=p.get("department"),
            as_of=p.get("as_of"),
            include_drafts=p.get("include_drafts", False),
        )
        wb = scope_workbook(scope=scope, progress=progress)
        with tempfile.TemporaryFile() as tmp:
            wb.save(tmp)
            tmp.seek(0)
            job.file.save(f"audit-{job.pk}.xlsx", File(tmp), save=False)
        ExportJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE,
            progress=100,
            file=job.file.name,
            file_name=audit_filename(scope),
            finished_at=timezone.now(),
        )
    except SoftTimeLimitExceeded:
        logger.warning("Export job %s stopped at its time limit", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=background.time_limit_message(), finished_at=timezone.now()
        )
    except Exception as exc:  # permanent failures are kept on the row for the user
        logger.exception("Export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=str(exc)[:1000] or exc.__class__.__name__, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job
