"""Reading an office's 任务分解表 (.xlsx) into parsed documents. No database, no settings.

Columns are found by their header text (the customary names and common variants, listed once in
``HEADER_ALIASES``) wherever the header row is in the first rows of the sheet. Each row becomes a
``TaskbookRow``; the rows of one document become a ``ParsedDocument`` with one tracked item per
row, which the document import service stores like any parsed policy document.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ..parsing.deadlines import extract_deadlines
from ..parsing.types import Deadline, ParsedDocument, ParsedItem
from ..parsing.units import split_unit_list

# The header names a 任务分解表 uses for each column (the first listed is Duban's own).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "document": ("文件", "文件名称", "政策文件", "文件名"),
    "clause": ("条款", "编号", "条目"),
    "text": ("重点任务（原文）", "重点任务", "任务内容", "工作任务", "具体任务", "主要任务", "任务"),
    "lead": ("牵头单位", "牵头部门", "责任单位", "责任部门"),
    "co": ("配合单位", "配合部门", "协办单位"),
    "leader": ("责任校领导", "分管校领导", "牵头校领导", "校领导"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限"),
    "remark": ("备注",),
}
HEADER_SCAN_ROWS = 10
PREFERRED_SHEET = "任务分解表"
CLAUSE_SEPARATOR = " > "  # how Duban's own workbook prints a clause's path

_TITLE_QUOTE = re.compile(r"《([^》]+)》")
_DOC_NUMBER_SUFFIX = re.compile(r"（([^（）]*〔\d{4}〕[^（）]*)）$")


class TaskbookError(ValueError):
    """The file is not a readable 任务分解表; the message is shown to the user as is."""


@dataclass
class TaskbookRow:
    """One row of the table, as printed."""

    row: int  # the sheet's row number
    label: str  # 条款 (or 序号) as printed
    path: list[str]
    text: str
    document: str  # the 文件 cell, else the 《》 title of the sheet, else ""
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    leader: str = ""
    deadline_text: str = ""
    deadline_date: dt.date | None = None  # a date cell or an ISO date; text is resolved later


def _norm(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or "")).replace("(", "（").replace(")", "）")


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for idx, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = [_norm(v) for v in row]
        columns: dict[str, int] = {}
        for key, aliases in HEADER_ALIASES.items():
            for alias in aliases:
                if alias in names and key not in columns:
                    columns[key] = names.index(alias)
        if "text" in columns and ("lead" in columns or "document" in columns):
            return idx, columns
    return None


def _units(value: Any) -> list[str]:
    # A line break inside a cell separates names like 、 does.
    return split_unit_list(str(value or "").replace("\n", "、"))


def _deadline(value: Any) -> tuple[str, dt.date | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), value
    text = str(value or "").strip()
    try:
        return text, dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        return text[:300], None


def _read_rows(data: bytes) -> list[tuple]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TaskbookError(_("无法读取该文件，请上传 .xlsx 格式的任务分解表。")) from exc
    try:
        ws = wb[PREFERRED_SHEET] if PREFERRED_SHEET in wb.sheetnames else wb.worksheets[0]
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_taskbook(data: bytes) -> list[TaskbookRow]:
    """Every non-empty row under the header, in sheet order."""
    rows = _read_rows(data)
    header = _find_header(rows)
    if header is None:
        raise TaskbookError(_("未找到表头：需要“重点任务”列，以及“牵头单位”或“文件”列。"))
    header_idx, cols = header
    title_doc = next(
        (m.group(1) for row in rows[:header_idx] for v in row if v and (m := _TITLE_QUOTE.search(str(v)))), ""
    )

    def cell(row: tuple, key: str) -> Any:
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else None

    out: list[TaskbookRow] = []
    for number, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
        if not any(v not in (None, "") for v in row):
            continue
        label = str(cell(row, "clause") or cell(row, "seq") or "").strip()
        deadline_text, deadline_date = _deadline(cell(row, "deadline"))
        out.append(
            TaskbookRow(
                row=number,
                label=label,
                path=[p.strip() for p in label.split(CLAUSE_SEPARATOR.strip())] if label else [],
                text=str(cell(row, "text") or "").strip(),
                document=str(cell(row, "document") or title_doc).strip(),
                lead_units=_units(cell(row, "lead")),
                co_units=_units(cell(row, "co")),
                leader=str(cell(row, "leader") or "").strip(),
                deadline_text=deadline_text,
                deadline_date=deadline_date,
            )
        )
    return out


def document_title(printed: str) -> tuple[str, str]:
    """(title, 文号) from a printed document name: 《》 and a trailing （教高〔2024〕1号） removed."""
    quoted = _TITLE_QUOTE.search(printed)
    title = (quoted.group(1) if quoted else printed).strip()
    number = _DOC_NUMBER_SUFFIX.search(title)
    if number:
        return title[: number.start()].strip(), number.group(1).strip()
    return title, ""


def row_deadline(row: TaskbookRow, year: int | None) -> Deadline | None:
    """The row's 完成时限: the printed text, with a date when it states one (never guessed)."""
    if not row.deadline_text:
        return None
    if row.deadline_date is not None:
        return Deadline(text=row.deadline_text, date=row.deadline_date)
    found = extract_deadlines(row.deadline_text, year)
    date = next((d.date for d in found if d.date), None)
    recurrence = next((d.recurrence for d in found if d.recurrence), None)
    return Deadline(text=row.deadline_text, date=date, recurrence=recurrence)


def parsed_document(*, title: str, doc_number: str, rows: list[TaskbookRow], year: int | None) -> ParsedDocument:
    """A document with one tracked item per row, numbered as the table numbers them."""
    items = []
    for row in rows:
        label = row.label or str(len(items) + 1)
        path = row.path or [label]
        deadline = row_deadline(row, year)
        items.append(
            ParsedItem(
                label=path[-1],
                path=path,
                level=len(path),
                heading="",
                text=row.text,
                is_requirement=True,
                lead_units=row.lead_units,
                co_units=row.co_units,
                deadlines=[deadline] if deadline else [],
            )
        )
    return ParsedDocument(title=title, doc_number=doc_number, items=items)
