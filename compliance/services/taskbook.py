"""Importing an office's existing 任务分解表 (.xlsx): documents, requirements, routing, a row report.

The rows are read by ``exports.taskbook_sheet``. A document that is not in Duban yet is stored by
the document import service (one tracked item per row: the same content hash, parent links and
history as any imported document) and published by the routing service, which routes each row to
the units the table names. For a document already in Duban (found by title or 文号, or the one
the administrator chose) each row is matched to its requirement by text, clause path or label; the
table's units become that requirement's routing plan, and its school leader and deadline fill in
what the requirement lacks. A published document gets its new assignments at once; a draft keeps
the plan until the office publishes it. Every row gets a line in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..exports.taskbook_sheet import (
    TaskbookError,
    TaskbookRow,
    document_title,
    parsed_document,
    read_taskbook,
    row_deadline,
)
from ..models import Assignment, Department, PolicyDocument, Requirement, User
from . import ServiceError
from .documents import policy_document_import
from .routing import DepartmentDirectory, document_publish, propose, requirements_bulk_update, routing_plan_set


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
    notes: list[str] = field(default_factory=list)
    requirements_created: int = 0
    requirements_matched: int = 0
    assignments_created: int = 0
    dry_run: bool = False

    @property
    def problems(self) -> list[RowReport]:
        return [r for r in self.rows if r.problems]


@dataclass
class _Row:
    """A table row on its way in: what it says, its report line, and its requirement once known."""

    data: TaskbookRow
    report: RowReport
    lead: list[Department] = field(default_factory=list)
    co: list[Department] = field(default_factory=list)
    leader: User | None = None
    requirement: Requirement | None = None


class _Import:
    """One import run: name lookups done once, the report filled row by row."""

    def __init__(self, *, by: User, source_name: str, report: TaskbookImportReport) -> None:
        self.by, self.source_name, self.report = by, source_name, report
        self.directory = DepartmentDirectory()
        self.leaders = {
            name: u
            for u in User.objects.filter(is_active=True)
            for name in (u.display_name, u.username, u.get_full_name())
            if name
        }

    def check(self, row: _Row, year: int | None) -> None:
        """Resolve units and the school leader; note what cannot be matched."""
        problems = row.report.problems
        for names, bucket, column in (
            (row.data.lead_units, row.lead, _("牵头单位")),
            (row.data.co_units, row.co, _("配合单位")),
        ):
            for name in names:
                found = self.directory.match(name)
                if not found:
                    problems.append(_("%(col)s“%(n)s”未匹配到部门") % {"col": column, "n": name})
                bucket.extend(d for d in found if d not in bucket)
        row.co = [d for d in row.co if d not in row.lead]
        if row.data.leader:
            row.leader = self.leaders.get(row.data.leader)
            if row.leader is None:
                problems.append(_("责任校领导“%(n)s”未匹配到用户") % {"n": row.data.leader})
        deadline = row_deadline(row.data, year)
        if deadline is not None and deadline.date is None:
            problems.append(_("完成时限“%(t)s”未识别出日期，仅保存原文") % {"t": deadline.text})

    def document(self, printed: str, rows: list[_Row], chosen: PolicyDocument | None) -> None:
        """Store or match the rows of one document, route them, and publish when that is due."""
        title, number = document_title(printed) if chosen is None else (chosen.title, chosen.doc_number)
        doc = chosen or _existing_document(title, number)
        for row in rows:
            self.check(row, doc.year if doc else None)
        created = False
        if doc is None:
            parsed = parsed_document(title=title, doc_number=number, rows=[r.data for r in rows], year=None)
            outcome = policy_document_import(parsed=parsed, source_name=self.source_name, by=self.by)
            doc, created = outcome.document, outcome.status == "created"
        if created:
            self.report.documents_created.append(doc.title)
            for row, req in zip(rows, doc.requirements.order_by("order"), strict=True):
                row.requirement, row.report.outcome = req, _("新建")
            self.report.requirements_created += len(rows)
        else:
            self._match(doc, rows)
            self._plan(rows)
        matched = [r for r in rows if r.requirement is not None]
        self._fill_in(doc, matched, deadlines=not created)
        if created or doc.status == PolicyDocument.Status.PUBLISHED:
            self.report.assignments_created += document_publish(document=doc, by=self.by)
            self._note_unrouted(matched)
        elif matched:
            self.report.notes.append(
                _("《%(t)s》尚未发布：分派方案已保存，在该文件的分派页面发布后生效。") % {"t": doc.title}
            )

    def _match(self, doc: PolicyDocument, rows: list[_Row]) -> None:
        """Find each row's requirement in an existing document: by text, clause path, or a unique label."""
        reqs = list(doc.requirements.filter(is_requirement=True).order_by("order"))
        by_text: dict[str, Requirement] = {}
        for r in reqs:
            for text in (r.text, f"{r.heading}\n{r.text}" if r.heading else r.text, r.heading):
                if text:
                    by_text.setdefault(_squash(text), r)
        by_path = {tuple(r.path): r for r in reqs}
        labels: dict[str, list[Requirement]] = {}
        for r in reqs:
            labels.setdefault(r.label, []).append(r)
        for row in rows:
            unique = labels.get(row.data.label, [])
            row.requirement = (
                by_text.get(_squash(row.data.text))
                or by_path.get(tuple(row.data.path))
                or (unique[0] if len(unique) == 1 else None)
            )
            if row.requirement is None:
                row.report.problems.append(
                    _("文件《%(t)s》中没有与该行对应的条款（按原文、条款编号查找），未导入") % {"t": doc.title}
                )
                continue
            row.report.outcome = _("已存在")
            row.report.label = row.report.label or row.requirement.label
            self.report.requirements_matched += 1

    def _plan(self, rows: list[_Row]) -> None:
        """The table's units become the routing plan of requirements routed otherwise so far."""
        for row in rows:
            if row.requirement is None or not (row.lead or row.co):
                continue
            lead, co = (row.lead, row.co) if row.lead else (row.co[:1], row.co[1:])
            current = propose(row.requirement, self.directory)
            if (current.lead, current.co) != (lead, co):
                routing_plan_set(requirement=row.requirement, lead=lead, co=co, by=self.by)

    def _fill_in(self, doc: PolicyDocument, rows: list[_Row], *, deadlines: bool) -> None:
        """School leaders (and, for existing requirements, dates) the requirement does not have yet."""
        leaders: dict[User, list[int]] = {}
        dates: dict[object, list[int]] = {}
        for row in rows:
            req = row.requirement
            if row.leader is not None and req.school_leader_id is None:
                leaders.setdefault(row.leader, []).append(req.pk)
            deadline = row_deadline(row.data, doc.year)
            if deadlines and req.deadline_date is None and deadline is not None and deadline.date is not None:
                dates.setdefault(deadline.date, []).append(req.pk)
        for leader, ids in leaders.items():
            requirements_bulk_update(document=doc, requirement_ids=ids, by=self.by, school_leader=leader)
        for date, ids in dates.items():
            requirements_bulk_update(document=doc, requirement_ids=ids, by=self.by, deadline=date)

    def _note_unrouted(self, rows: list[_Row]) -> None:
        routed = set(
            Assignment.objects.filter(requirement__in=[r.requirement for r in rows]).values_list(
                "requirement_id", flat=True
            )
        )
        for row in rows:
            if row.requirement.pk not in routed:
                row.report.problems.append(_("没有可分派的部门，条款暂未分派"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _existing_document(title: str, number: str) -> PolicyDocument | None:
    docs = PolicyDocument.objects.order_by("id")
    return (
        docs.filter(title=title).first()
        or (docs.filter(doc_number=number).first() if number else None)
        or docs.filter(doc_number=title).first()
    )


def taskbook_import(
    *, data: bytes, by: User, source_name: str = "", document: PolicyDocument | None = None, dry_run: bool = False
) -> TaskbookImportReport:
    """Create or match requirements from a 任务分解表 and route them; with dry_run nothing is kept."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以导入任务分解表。"))
    try:
        rows = read_taskbook(data)
    except TaskbookError as exc:
        raise ServiceError(str(exc)) from exc
    report = TaskbookImportReport(dry_run=dry_run)
    groups: dict[object, tuple[str, list[_Row]]] = {}
    for data_row in rows:
        row = _Row(data=data_row, report=RowReport(row=data_row.row, label=data_row.label, outcome=_("跳过")))
        report.rows.append(row.report)
        if not data_row.text:
            row.report.problems.append(_("缺少重点任务内容"))
        elif document is None and not data_row.document:
            row.report.problems.append(_("无法确定所属文件（无“文件”列，标题中也没有《》）"))
        else:
            key = document.pk if document is not None else _squash(document_title(data_row.document)[0])
            groups.setdefault(key, (data_row.document, []))[1].append(row)
    with transaction.atomic():
        run = _Import(by=by, source_name=source_name, report=report)
        for printed, group in groups.values():
            run.document(printed, group, document)
        if dry_run:
            transaction.set_rollback(True)
    return report
