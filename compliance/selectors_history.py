"""The change history of assignments: one reader for the item page and the audit workbook.

Each entry says who did what when, to which field, from what to what, and why, in the reader's
language. The records come from django-simple-history (requirements, assignments, evidence,
extension requests) plus the comments on an assignment. Consecutive records of one object are
compared in Python: one streamed query per kind of record, ordered by object and time, whatever
the number of objects, so the workbook reads 100,000 assignments in constant queries and memory.

Services record *why* a change was made as a short code in ``history_change_reason``
(``submit``, ``reassign 教务处 -> 财务处``, ...). ``reason_sentence`` turns those codes into
sentences; a code it does not know is shown as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from . import permissions
from .models import (
    Assignment,
    Department,
    Evidence,
    ExtensionRequest,
    Instruction,
    ProgressUpdate,
    Requirement,
    Urge,
    User,
)

CHUNK = 2000

# Reason codes written by the services, as sentences.
_REASONS: dict[str, Promise] = {
    "progress": pgettext_lazy("history", "更新进展"),
    "start": pgettext_lazy("history", "开始办理"),
    "submit": gettext_lazy("提交审核"),
    "approve": gettext_lazy("审核通过，已办结"),
    "approve with lead": gettext_lazy("随牵头单位一并办结"),
    "return": gettext_lazy("退回修改"),
    "not applicable": gettext_lazy("标记为不适用"),
    "routing": gettext_lazy("督查办调整分派"),
    "deadline set by the office": gettext_lazy("督查办设定完成时限"),
}
_REASON_PATTERNS: tuple[tuple[re.Pattern[str], Promise], ...] = (
    (re.compile(r"^reassign (?P<old>.+?) -> (?P<new>.+)$"), gettext_lazy("由 %(old)s 改派至 %(new)s")),
    (re.compile(r"^extension approved to (?P<date>\S+)$"), gettext_lazy("同意延期申请，新时限 %(date)s")),
)


def reason_sentence(code: str | None) -> str:
    """The sentence for a service's reason code; an unknown code is returned as written."""
    if not code:
        return ""
    if code in _REASONS:
        return str(_REASONS[code])
    for pattern, sentence in _REASON_PATTERNS:
        match = pattern.match(code)
        if match:
            return str(sentence) % match.groupdict()
    return code


@dataclass(frozen=True)
class HistoryEntry:
    """One change: who, when, what (object and action), field, from, to, and the reason."""

    when: dt.datetime
    who: str
    subject: str  # 对象: 条款 / 任务 / 佐证材料 / 延期申请 / 评论
    action: str  # 操作: 新建 / 分派 / 修改 / 上传 / 删除 / 申请延期 / 评论
    field: str  # the changed field's name; "" for whole-object entries
    old: str
    new: str
    note: str  # 说明: why (a sentence), or a comment's text
    document: str = ""
    clause: str = ""
    department: str = ""


@dataclass
class HistoryNames:
    """Department and user names, read once (1 query each) when first needed."""

    departments: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    _loaded: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Names handed in by a caller that already read them are not read again.
        self._loaded.update(k for k, names in (("d", self.departments), ("u", self.users)) if names)

    def department(self, pk: int | None) -> str:
        if pk is None:
            return ""
        if "d" not in self._loaded:
            self.departments = dict(Department.objects.values_list("id", "name")) | self.departments
            self._loaded.add("d")
        return self.departments.get(pk, str(pk))

    def user(self, pk: int | None) -> str:
        if pk is None:
            return ""
        if "u" not in self._loaded:
            self.users = user_names() | self.users
            self._loaded.add("u")
        return self.users.get(pk, str(pk))


def user_names() -> dict[int, str]:
    """Every user's display name, as ``str(user)`` shows it (姓名, else full name, else login)."""
    return {
        pk: display or f"{first} {last}".strip() or username
        for pk, display, first, last, username in User.objects.values_list(
            "id", "display_name", "first_name", "last_name", "username"
        )
    }


def clause_display(path: list[str] | None) -> str:
    return " > ".join(path or [])


# --- what is read for each kind of record ------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    model: type[Model]
    subject: Promise
    created: Promise  # the action name of a "+" record
    tracked: tuple[str, ...]  # compared between consecutive records
    summary: tuple[str, ...]  # shown for a new object
    context: tuple[str, str, str | None]  # document title, clause path, department id
    who_fallback: str | None = None  # a user column for records written outside a request


_KINDS = {
    "requirement": _Kind(
        Requirement,
        gettext_lazy("条款"),
        gettext_lazy("新建"),
        (
            "heading",
            "text",
            "deadline_text",
            "deadline_date",
            "school_leader_id",
            "not_applicable",
            "is_requirement",
            "lead_units_text",
            "co_units_text",
            "routing_plan",
        ),
        ("deadline_date", "lead_units_text", "co_units_text"),
        ("document__title", "path", None),
    ),
    "assignment": _Kind(
        Assignment,
        gettext_lazy("任务"),
        gettext_lazy("分派"),
        (
            "department_id",
            "role",
            "period",
            "status",
            "due_date",
            "progress",
            "progress_note",
            "submitted_at",
            "completed_at",
            "return_reason",
        ),
        ("department_id", "role", "status", "due_date"),
        ("requirement__document__title", "requirement__path", "department_id"),
    ),
    "evidence": _Kind(
        Evidence,
        gettext_lazy("佐证材料"),
        pgettext_lazy("history", "上传"),
        ("original_name", "note", "sha256"),
        ("original_name", "sha256"),
        ("assignment__requirement__document__title", "assignment__requirement__path", "assignment__department_id"),
        "uploaded_by_id",
    ),
    "extension": _Kind(
        ExtensionRequest,
        gettext_lazy("延期申请"),
        pgettext_lazy("history", "申请延期"),
        ("status", "proposed_date", "reason", "decision_note"),
        ("previous_due_date", "proposed_date", "reason"),
        ("assignment__requirement__document__title", "assignment__requirement__path", "assignment__department_id"),
        "requested_by_id",
    ),
}


def _history_rows(kind: _Kind, qs: QuerySet, before: dt.datetime | None) -> Iterator[tuple]:
    title, path, dept = kind.context
    cols = [
        "id",
        "history_date",
        "history_user_id",
        "history_type",
        "history_change_reason",
        title,
        path,
        dept or "history_id",
        kind.who_fallback or "history_user_id",
        *dict.fromkeys(kind.tracked + kind.summary),
    ]
    if before is not None:
        qs = qs.filter(history_date__lt=before)
    return qs.order_by("id", "history_date", "history_id").values_list(*cols).iterator(chunk_size=CHUNK)


class _Formatter:
    """Field values as the reader sees them: labels, names, local times."""

    def __init__(self, names: HistoryNames) -> None:
        # Translated once per run: a workbook has as many entries as there are changes.
        self.names = names
        self.labels = {
            "status": {k: str(v) for k, v in [*Assignment.Status.choices, *ExtensionRequest.Status.choices]},
            "role": {k: str(v) for k, v in Assignment.Role.choices},
        }
        self._fields: dict[tuple[type[Model], str], str] = {}
        self._reasons: dict[str, str] = {}

    def label(self, model: type[Model], name: str) -> str:
        key = (model, name)
        if key not in self._fields:
            self._fields[key] = str(model._meta.get_field(name.removesuffix("_id")).verbose_name)
        return self._fields[key]

    def reason(self, code: str | None) -> str:
        if not code:
            return ""
        if code not in self._reasons:
            self._reasons[code] = reason_sentence(code)
        return self._reasons[code]

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return ""
        if name in self.labels:
            return self.labels[name].get(value, value)
        if name == "department_id":
            return self.names.department(value)
        if name.endswith("_id"):
            return self.names.user(value)
        if name == "routing_plan":
            return _("牵头：%(lead)s；配合：%(co)s") % {
                "lead": "、".join(value.get("lead", [])) or "—",
                "co": "、".join(value.get("co", [])) or "—",
            }
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return str(value)


def _entries_of(kind: _Kind, rows: Iterator[tuple], fmt: _Formatter) -> Iterator[HistoryEntry]:
    """Compare each record with the previous record of the same object."""
    columns = list(dict.fromkeys(kind.tracked + kind.summary))
    tracked = [columns.index(name) for name in kind.tracked]
    summary_columns = [(name, columns.index(name)) for name in kind.summary]
    names = fmt.names
    subject, created, system = str(kind.subject), str(kind.created), _("系统")
    changed, deleted = pgettext("history", "修改"), _("删除")
    previous: tuple | None = None
    for row in rows:
        pk, when, user_id, htype, reason, title, path, dept_id, fallback = row[:9]
        values = row[9:]
        who = names.user(user_id or (fallback if kind.who_fallback else None)) or system
        base = {
            "when": when,
            "who": who,
            "subject": subject,
            "note": fmt.reason(reason),
            "document": title or "",
            "clause": clause_display(path),
            "department": names.department(dept_id) if kind.context[2] else "",
        }
        if previous is None or previous[0] != pk or htype == "+":
            summary = "；".join(
                f"{fmt.label(kind.model, name)}：{text}"
                for name, i in summary_columns
                if (text := fmt.value(name, values[i]))
            )
            yield HistoryEntry(action=created, field="", old="", new=summary, **base)
        elif htype == "-":
            yield HistoryEntry(action=deleted, field="", old="", new="", **base)
        else:
            before = previous[9:]
            for i in tracked:
                if before[i] != values[i]:
                    name = columns[i]
                    yield HistoryEntry(
                        action=changed,
                        field=fmt.label(kind.model, name),
                        old=fmt.value(name, before[i]),
                        new=fmt.value(name, values[i]),
                        **base,
                    )
        previous = row


def _comment_entries(qs: QuerySet[ProgressUpdate], names: HistoryNames, before: dt.datetime | None):
    if before is not None:
        qs = qs.filter(created_at__lt=before)
    rows = (
        qs.filter(kind=ProgressUpdate.Kind.COMMENT)
        .order_by("assignment_id", "created_at", "id")
        .values_list(
            "created_at",
            "author_id",
            "note",
            "assignment__requirement__document__title",
            "assignment__requirement__path",
            "assignment__department_id",
        )
        .iterator(chunk_size=CHUNK)
    )
    subject, action = str(Assignment._meta.verbose_name), _("评论")
    for when, author_id, note, title, path, dept_id in rows:
        yield HistoryEntry(
            when=when,
            who=names.user(author_id) or _("系统"),
            subject=subject,
            action=action,
            field="",
            old="",
            new="",
            note=note,
            document=title or "",
            clause=clause_display(path),
            department=names.department(dept_id),
        )


def _leadership_entries(
    instructions: QuerySet[Instruction], urges: QuerySet[Urge], names: HistoryNames, before: dt.datetime | None
):
    """批示 (on an item or its whole document) and 催办 (of an item's department) as history entries."""
    if before is not None:
        instructions = instructions.filter(created_at__lt=before)
        urges = urges.filter(created_at__lt=before)
    for ins in instructions.select_related("document", "assignment__requirement").order_by("created_at", "id"):
        yield HistoryEntry(
            when=ins.created_at,
            who=names.user(ins.author_id) or _("系统"),
            subject=str(Instruction._meta.verbose_name),
            action=str(_("批示") if ins.assignment_id else _("对全文件的批示")),
            field="",
            old="",
            new="",
            note=ins.text,
            document=ins.document.title,
            clause=clause_display(ins.assignment.requirement.path) if ins.assignment_id else "",
            department=names.department(ins.assignment.department_id) if ins.assignment_id else "",
        )
    for urge in urges.select_related("assignment__requirement__document").order_by("created_at", "id"):
        requirement = urge.assignment.requirement if urge.assignment_id else None
        yield HistoryEntry(
            when=urge.created_at,
            who=names.user(urge.by_id) or _("系统"),
            subject=str(Urge._meta.verbose_name),
            action=str(_("催办")),
            field="",
            old="",
            new="",
            note=urge.note,
            document=requirement.document.title if requirement else "",
            clause=clause_display(requirement.path) if requirement else "",
            department=names.department(urge.department_id),
        )


def history_entries(
    *,
    requirements: QuerySet[Requirement] | None = None,
    assignment: Assignment | None = None,
    before: dt.datetime | None = None,
    names: HistoryNames | None = None,
) -> Iterator[HistoryEntry]:
    """Every recorded change of the given requirements' items (or of one assignment) before ``before``.

    Not scoped to a user: callers check permissions (``assignment_history`` for the item page; the
    audit workbook is for administrators and auditors). Entries come kind by kind (requirements,
    assignments, evidence, extension requests, comments), each ordered by object, then time.
    """
    if (requirements is None) == (assignment is None):
        raise ValueError("history_entries() takes requirements or assignment")
    names = names or HistoryNames()
    fmt = _Formatter(names)
    if assignment is not None:
        by_item: dict[str, dict[str, Any]] = {
            "requirement": {"id": assignment.requirement_id},
            "assignment": {"id": assignment.pk},
            "evidence": {"assignment_id": assignment.pk},
            "extension": {"assignment_id": assignment.pk},
        }
        comments = {"assignment_id": assignment.pk}
        instructions = Instruction.objects.filter(
            Q(assignment=assignment) | Q(assignment__isnull=True, document_id=assignment.requirement.document_id)
        )
        urges = Urge.objects.filter(assignment=assignment)
    else:
        ids = requirements.values("id")
        by_item = {
            "requirement": {"id__in": ids},
            "assignment": {"requirement_id__in": ids},
            "evidence": {"assignment__requirement_id__in": ids},
            "extension": {"assignment__requirement_id__in": ids},
        }
        comments = {"assignment__requirement_id__in": ids}
        instructions = Instruction.objects.filter(
            Q(assignment__requirement_id__in=ids)
            | Q(assignment__isnull=True, document_id__in=requirements.values("document_id"))
        )
        urges = Urge.objects.filter(assignment__requirement_id__in=ids)
    for key, kind in _KINDS.items():
        qs = kind.model.history.model.objects.filter(**by_item[key])
        yield from _entries_of(kind, _history_rows(kind, qs, before), fmt)
    yield from _comment_entries(ProgressUpdate.objects.filter(**comments), names, before)
    yield from _leadership_entries(instructions, urges, names, before)


def assignment_history(*, user: User, assignment: Assignment) -> list[HistoryEntry]:
    """Every change of an item the user may read, oldest first (empty when the user may not)."""
    if not permissions.can_view_assignment(user, assignment):
        return []
    entries = list(history_entries(assignment=assignment))
    entries.sort(key=lambda e: e.when)
    return entries
