"""The audit workbook (审计工作簿): every figure computed as of a date, streamed in write-only mode.

Sheets (stable names, used for measurement): 概览, 任务分解表, 逾期事项, 佐证材料, 操作记录.
The parts: scope.py (what is covered), source.py (the rows and 是否按期), layout.py (headers,
widths, print set-up), workbook.py (the table sheets and 操作记录), overview.py (概览 and charts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from openpyxl import Workbook

from ..models import Department, PolicyDocument
from .scope import AuditScope
from .source import AuditSource
from .workbook import AuditWorkbookWriter


def build_audit_workbook(
    *,
    as_of: dt.date,
    document: PolicyDocument | None = None,
    department: Department | None = None,
    include_drafts: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Workbook:
    """Build the audit workbook (write-only; call .save(file) once); published documents only
    unless ``include_drafts``."""
    scope = AuditScope(as_of=as_of, document=document, department=department, include_drafts=include_drafts)
    # An audit document is Chinese whatever language the requesting user browses in.
    with translation.override(settings.LANGUAGE_CODE):
        return AuditWorkbookWriter(AuditSource(scope), progress=progress).build()


def audit_row_count(
    *,
    as_of: dt.date,
    document: PolicyDocument | None = None,
    department: Department | None = None,
    include_drafts: bool = False,
) -> int:
    """How many 任务分解表 rows (roughly) a workbook will have; decides web vs background job."""
    scope = AuditScope(as_of=as_of, document=document, department=department, include_drafts=include_drafts)
    return AuditSource(scope).count()
