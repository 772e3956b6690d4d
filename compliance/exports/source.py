"""The rows of the audit workbook, read as of a date, and the judgement of 是否按期 for each.

Requirements, assignments and evidence are read as three streams sorted the same way (document,
order, requirement) and merged in Python, so memory stays flat however many rows there are.
For a past as-of date the assignments' state is the last history record before that day ended.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Assignment, Department, Evidence, PolicyDocument, Requirement
from ..selectors_history import clause_display, user_names
from .scope import AuditScope

ON_TIME_YES, ON_TIME_NO, ON_TIME_NOT_DUE = "是", "否", "未到期"
CHUNK = 2000

S = Assignment.Status


class _Stream:
    """A sorted row iterator that hands out the rows belonging to one requirement key."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._it = iter(rows)
        self.head: tuple | None = next(self._it, None)

    def take(self, key: tuple) -> list[tuple]:
        out: list[tuple] = []
        while self.head is not None and self.head[:3] <= key:
            if self.head[:3] == key:
                out.append(self.head)
            self.head = next(self._it, None)
        return out


# Columns read for an assignment (live row or history snapshot), after the 3 sort-key columns.
_A_FIELDS = (
    "id",
    "department_id",
    "role",
    "period",
    "status",
    "due_date",
    "progress_note",
    "completed_at",
    "return_reason",
)


@dataclass(slots=True)
class AssignmentState:
    """An assignment as it stood on the as-of day."""

    id: int
    department_id: int
    role: str
    period: str
    status: str
    due_date: dt.date | None
    progress_note: str
    completed_at: dt.datetime | None
    return_reason: str


@dataclass(frozen=True)
class EvidenceRow:
    assignment_id: int
    department_id: int
    name: str
    uploaded_by_id: int | None
    uploaded_at: dt.datetime
    size: int
    sha256: str


@dataclass(slots=True)
class RequirementRow:
    """One 任务分解表 row: a tracked requirement in one period, with its assignments and evidence."""

    document_id: int
    requirement_id: int
    document: str
    clause: str
    text: str
    deadline_date: dt.date | None
    deadline_text: str
    not_applicable: bool
    leader_id: int | None
    period: str
    assignments: list[AssignmentState]  # lead units first, then cooperating units
    evidence: list[EvidenceRow]


class AuditSource:
    """Everything the workbook shows, read as of scope.as_of through sorted streams."""

    def __init__(self, scope: AuditScope) -> None:
        self.scope = scope
        self.departments: dict[int, tuple[str, int | None]] = {
            pk: (name, leader) for pk, name, leader in Department.objects.values_list("id", "name", "school_leader_id")
        }
        self.users: dict[int, str] = user_names()
        self.status_labels = {k: str(v) for k, v in S.choices}
        self.role_labels = {k: str(v) for k, v in Assignment.Role.choices}

    # -- querysets --------------------------------------------------------------------------------

    def requirements(self) -> QuerySet[Requirement]:
        qs = Requirement.objects.filter(is_requirement=True, document__imported_at__lt=self.scope.as_of_end)
        if not self.scope.include_drafts:
            qs = qs.filter(document__status=PolicyDocument.Status.PUBLISHED)
        if self.scope.document is not None:
            qs = qs.filter(document=self.scope.document)
        if self.scope.department is not None:
            qs = qs.filter(id__in=Assignment.objects.filter(department=self.scope.department).values("requirement_id"))
        return qs

    def document_ids(self) -> list[int]:
        return list(self.requirements().order_by().values_list("document_id", flat=True).distinct()[:2])

    def count(self) -> int:
        return self.requirements().count()

    def _requirement_rows(self) -> Iterator[tuple]:
        return (
            self.requirements()
            .order_by("document_id", "order", "id")
            .values_list(
                "document_id",
                "order",
                "id",
                "document__title",
                "document__doc_number",
                "path",
                "heading",
                "text",
                "deadline_date",
                "deadline_text",
                "not_applicable",
                "school_leader_id",
            )
            .iterator(chunk_size=CHUNK)
        )

    def _assignment_rows(self) -> Iterator[tuple]:
        key = ("requirement__document_id", "requirement__order", "requirement_id")
        if not self.scope.uses_history:
            return (
                Assignment.objects.filter(requirement__in=self.requirements(), created_at__lt=self.scope.as_of_end)
                .order_by(*key, "id")
                .values_list(*key, *_A_FIELDS)
                .iterator(chunk_size=CHUNK)
            )
        return self._assignment_snapshots(key)

    def _assignment_snapshots(self, key: tuple[str, ...]) -> Iterator[tuple]:
        """The last recorded state of each assignment before the as-of day ended."""
        history = (
            Assignment.history.model.objects.filter(
                requirement_id__in=self.requirements().values("id"), history_date__lt=self.scope.as_of_end
            )
            .order_by(*key, "id", "history_date", "history_id")
            .values_list(*key, *_A_FIELDS, "history_type")
            .iterator(chunk_size=CHUNK)
        )
        last: tuple | None = None
        for row in history:
            if last is not None and last[3] != row[3] and last[-1] != "-":
                yield last[:-1]
            last = row
        if last is not None and last[-1] != "-":
            yield last[:-1]

    def _evidence_rows(self) -> Iterator[tuple]:
        key = ("assignment__requirement__document_id", "assignment__requirement__order", "assignment__requirement_id")
        return (
            Evidence.objects.filter(
                assignment__requirement__in=self.requirements(), uploaded_at__lt=self.scope.as_of_end
            )
            .order_by(*key, "assignment_id", "uploaded_at", "id")
            .values_list(
                *key,
                "assignment_id",
                "assignment__department_id",
                "original_name",
                "uploaded_by_id",
                "uploaded_at",
                "size",
                "sha256",
            )
            .iterator(chunk_size=CHUNK)
        )

    # -- judgement --------------------------------------------------------------------------------

    def judge(self, a: AssignmentState | None, due: dt.date | None) -> tuple[str, bool, dt.date | None]:
        """Return (是否按期, overdue?, completion date) for an assignment as of the scope's date."""
        if a is None:
            return "", False, None
        if a.status == S.COMPLETED:
            done = timezone.localtime(a.completed_at).date() if a.completed_at else None
            if due is None or done is None:
                return ON_TIME_YES, False, done
            return (ON_TIME_YES if done <= due else ON_TIME_NO), False, done
        if a.status == S.NOT_APPLICABLE or due is None:
            return "", False, None
        if due < self.scope.as_of:
            # Overdue means still open past the due date, as on the dashboard and the task list.
            return ON_TIME_NO, a.status in Assignment.OPEN_STATUSES, None
        return ON_TIME_NOT_DUE, False, None

    @staticmethod
    def document_label(title: str, number: str) -> str:
        return f"{title}（{number}）" if number else title

    @staticmethod
    def task_text(heading: str, text: str) -> str:
        if heading and text and not text.startswith(heading):
            return f"{heading}\n{text}"
        return text or heading

    # -- the main pass ----------------------------------------------------------------------------

    def rows(self) -> Iterator[RequirementRow]:
        """Yield one row per tracked requirement and period, with its assignments and evidence."""
        assignments = _Stream(self._assignment_rows())
        evidence = _Stream(self._evidence_rows())
        lead = Assignment.Role.LEAD
        for req in self._requirement_rows():
            key = req[:3]
            doc_id, _order, req_id, title, number, path, heading, text, deadline, deadline_text, na, leader = req
            by_period: dict[str, list[AssignmentState]] = defaultdict(list)
            for row in assignments.take(key):
                a = AssignmentState(*row[3:])
                by_period[a.period].append(a)
            ev_rows = [EvidenceRow(*e[3:]) for e in evidence.take(key)]
            for period in sorted(by_period) or [""]:
                group = by_period.get(period, [])
                # Lead units first, then cooperating units in directory order.
                group.sort(key=lambda a: (a.role != lead, a.department_id, a.id))
                ids = {a.id for a in group}
                yield RequirementRow(
                    document_id=doc_id,
                    requirement_id=req_id,
                    document=self.document_label(title, number),
                    clause=clause_display(path),
                    text=self.task_text(heading, text),
                    deadline_date=deadline,
                    deadline_text=deadline_text,
                    not_applicable=na,
                    leader_id=leader,
                    period=period,
                    assignments=group,
                    evidence=[e for e in ev_rows if e.assignment_id in ids],
                )
