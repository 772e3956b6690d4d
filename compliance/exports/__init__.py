"""openpyxl workbook builders (no HTTP): the audit workbook and the 任务分解表 importer."""

from .audit import (
    SHEETS,
    TASK_HEADERS,
    AuditScope,
    audit_filename,
    audit_row_count,
    build_audit_workbook,
)
from .cells import CellMaker, clean_text

__all__ = [
    "SHEETS",
    "TASK_HEADERS",
    "AuditScope",
    "CellMaker",
    "audit_filename",
    "audit_row_count",
    "build_audit_workbook",
    "clean_text",
]
