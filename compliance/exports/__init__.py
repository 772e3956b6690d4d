"""openpyxl workbook builders (no HTTP): the audit workbook and the 任务分解表 importer."""

from .audit import audit_row_count, build_audit_workbook
from .cells import CellMaker, clean_text
from .layout import SHEETS, TASK_HEADERS
from .scope import AuditScope, audit_filename

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
