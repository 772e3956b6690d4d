"""Import an office's existing 任务分解表 (.xlsx) into requirements and assignments.

Columns are found by their header text (the customary names and common variants), wherever the
header row is in the first rows of the sheet. Every row gets a line in the report: what was
created or matched, and what could not be matched (unknown departments, school leaders, dates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .. import permissions
from ..models import Assignment, Department, PolicyDocument, Requirement, User
from ..parsing.deadlines import extract_deadlines
from ..services import ServiceError
from ..services.assignments import assignment_create
from ..services.routing import DepartmentDirectory

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
_SPLIT_UNITS = re.compile(r"[、，,；;/\s]+")
_TITLE_QUOTE = re.compile(r"《([^》]+)》")
HEADER_SCAN_ROWS = 10


def _norm(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or "")).replace("(", "（").replace(")", "）")


@dataclass
class RowReport:
    row: int
    label: str
    outcome: str  # 新建 / 已存在 / 跳过
    problems: list[str] = field(default_factory=list)


@dataclass
class TaskbookImportReport:
    rows: list[RowReport] = field(default_factory=list)
    documents_created: list[str] = field(default_factory=list)
    requirements_created: int = 0
    requirements_matched: int = 0
    assignments_created: int = 0
    dry_run: bool = False

    @property
    def problems(self) -> list[RowReport]:
        return [r for r in self.rows if r.problems]


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


def _deadline(value: Any, year: int | None) -> tuple[str, dt.date | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), value
    text = str(value or "").strip()
    if not text:
        return "", None
    try:
        day = dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
        return text, day
    except ValueError:
        pass
    found = [d for d in extract_deadlines(text, year) if d.date]
    return text[:300], (found[0].date if found else None)


class _Resolver:
    """Name lookups done once per import: documents, departments, school leaders."""

    def __init__(self, by: User, source_name: str, report: TaskbookImportReport) -> None:
        self.by, self.source_name, self.report = by, source_name, report
        self.directory = DepartmentDirectory()
        self.documents: dict[str, PolicyDocument] = {}
        self.leaders = {
            name: u
            for u in User.objects.filter(is_active=True)
            for name in (u.display_name, u.username, u.get_full_name())
            if name
        }

    def document(self, title: str) -> PolicyDocument:
        key = _norm(title)
        if key in self.documents:
            return self.documents[key]
        clean = _TITLE_QUOTE.search(title)
        bare = (clean.group(1) if clean else title).strip()
        bare = re.sub(r"（[^（）]*〔\d{4}〕[^（）]*）$", "", bare).strip()
        doc = (
            PolicyDocument.objects.filter(title=bare).first() or PolicyDocument.objects.filter(doc_number=bare).first()
        )
        if doc is None:
            doc = PolicyDocument(
                title=bare[:500],
                source_name=self.source_name[:255],
                imported_by=self.by,
                sha256=hashlib.sha256(f"taskbook:{bare}".encode()).hexdigest(),
                status=PolicyDocument.Status.PUBLISHED,
            )
            doc._history_user = self.by
            doc.save()
            self.report.documents_created.append(doc.title)
        self.documents[key] = doc
        return doc

    def units(self, cell: Any, label: str, problems: list[str]) -> list[Department]:
        found: list[Department] = []
        for name in _SPLIT_UNITS.split(str(cell or "")):
            if not name:
                continue
            matched = self.directory.match(name)
            if not matched:
                problems.append(_("%(col)s“%(n)s”未匹配到部门") % {"col": label, "n": name})
            found.extend(d for d in matched if d not in found)
        return found


def taskbook_import(
    *, data: bytes, by: User, source_name: str = "", document: PolicyDocument | None = None, dry_run: bool = False
) -> TaskbookImportReport:
    """Create requirements and assignments from a 任务分解表; with dry_run nothing is kept."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以导入任务分解表。"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ServiceError(_("无法读取该文件，请上传 .xlsx 格式的任务分解表。")) from exc
    ws = wb["任务分解表"] if "任务分解表" in wb.sheetnames else wb.worksheets[0]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    header = _find_header(rows)
    if header is None:
        raise ServiceError(_("未找到表头：需要“重点任务”列，以及“牵头单位”或“文件”列。"))
    header_idx, cols = header
    title_doc = next(
        (m.group(1) for row in rows[:header_idx] for v in row if v and (m := _TITLE_QUOTE.search(str(v)))), None
    )
    report = TaskbookImportReport(dry_run=dry_run)

    def cell(row: tuple, key: str) -> Any:
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else None

    with transaction.atomic():
        resolver = _Resolver(by, source_name, report)
        next_order: dict[int, int] = {}
        for offset, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
            if not any(v not in (None, "") for v in row):
                continue
            clause = str(cell(row, "clause") or cell(row, "seq") or "").strip()
            entry = RowReport(row=offset, label=clause, outcome=_("跳过"))
            report.rows.append(entry)
            text = str(cell(row, "text") or "").strip()
            if not text:
                entry.problems.append(_("缺少重点任务内容"))
                continue
            if document is not None:
                doc = document
            elif cell(row, "document") or title_doc:
                doc = resolver.document(str(cell(row, "document") or title_doc))
            else:
                entry.problems.append(_("无法确定所属文件（无“文件”列，标题中也没有《》）"))
                continue
            deadline_text, deadline_date = _deadline(cell(row, "deadline"), doc.year)
            if deadline_text and deadline_date is None:
                entry.problems.append(_("完成时限“%(t)s”未识别出日期，仅保存原文") % {"t": deadline_text})
            leader_name = str(cell(row, "leader") or "").strip()
            leader = resolver.leaders.get(leader_name) if leader_name else None
            if leader_name and leader is None:
                entry.problems.append(_("责任校领导“%(n)s”未匹配到用户") % {"n": leader_name})
            leads = resolver.units(cell(row, "lead"), _("牵头单位"), entry.problems)
            cos = [d for d in resolver.units(cell(row, "co"), _("配合单位"), entry.problems) if d not in leads]

            req = Requirement.objects.filter(document=doc, text=text).first() or (
                Requirement.objects.filter(document=doc, label=clause[:32], is_requirement=True).first()
                if clause
                else None
            )
            if req is None:
                if doc.pk not in next_order:
                    next_order[doc.pk] = (doc.requirements.aggregate(m=Max("order"))["m"] or 0) + 1
                req = Requirement(
                    document=doc,
                    label=clause[:32],
                    path=[clause] if clause else [],
                    order=next_order[doc.pk],
                    level=1,
                    text=text,
                    is_requirement=True,
                    lead_units_text=[d.name for d in leads],
                    co_units_text=[d.name for d in cos],
                    deadline_text=deadline_text,
                    deadline_date=deadline_date,
                    school_leader=leader,
                )
                next_order[doc.pk] += 1
                req._history_user = by
                req.save()
                report.requirements_created += 1
                entry.outcome = _("新建")
            else:
                report.requirements_matched += 1
                entry.outcome = _("已存在")
            entry.label = entry.label or req.label
            for dept, role in [(d, Assignment.Role.LEAD) for d in leads] + [
                (d, Assignment.Role.COOPERATING) for d in cos
            ]:
                exists = Assignment.objects.filter(requirement=req, department=dept, period="").exists()
                assignment_create(
                    requirement=req, department=dept, by=by, role=role, due_date=deadline_date or req.deadline_date
                )
                report.assignments_created += 0 if exists else 1
            if not leads and not cos:
                entry.problems.append(_("没有可分派的部门，条款暂未分派"))
        if dry_run:
            transaction.set_rollback(True)
    return report
