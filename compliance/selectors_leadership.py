"""Reads of the school leaders' work: 批示 (instructions), 催办 (urges) and what the weekly digest lists.

Each is scoped like ``selectors.assignment_list``: the office and auditors read everything, a
school leader his departments, department staff their own departments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import permissions, rules, selectors
from .models import Assignment, ExtensionRequest, Instruction, PolicyDocument, Urge, User


def _department_scope(user: User, qs: QuerySet, field: str) -> QuerySet:
    if permissions.sees_everything(user):
        return qs
    return qs.filter(**{f"{field}__in": permissions.department_ids(user)})


def urges_received(
    *,
    user: User,
    department: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Urge]:
    """催办 the departments the user may read have received, newest first.

    ``department`` narrows to one department (id); ``start`` / ``end`` to the days (site time
    zone, both included) the urges were made. For the ranking: ``.values("department_id")
    .annotate(n=Count("id"))`` or ``urge_counts``.
    """
    qs = Urge.objects.select_related("department", "by", "assignment__requirement")
    qs = _department_scope(user, qs, "department_id")
    if department:
        qs = qs.filter(department_id=department)
    if start:
        qs = qs.filter(created_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if end:
        qs = qs.filter(created_at__lt=timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)))
    return qs.order_by("-created_at", "-id")


def urge_counts(*, user: User, start: dt.date | None = None, end: dt.date | None = None) -> dict[int, int]:
    """Urges received per department id in the period (as ``urges_received`` scopes and dates them)."""
    rows = urges_received(user=user, start=start, end=end).order_by().values("department_id").annotate(n=Count("id"))
    return {r["department_id"]: r["n"] for r in rows}


def instruction_list(
    *, user: User, assignment: Assignment | None = None, document: PolicyDocument | None = None
) -> QuerySet[Instruction]:
    """批示 the user may read, newest first.

    For an item: those on the item and those on its whole document. For a document: those on the
    document itself and, for readers of the items, those on the items they may read.
    """
    qs = Instruction.objects.select_related("author", "assignment__department", "document")
    if assignment is not None:
        if not permissions.can_view_assignment(user, assignment):
            return qs.none()
        return qs.filter(
            Q(assignment=assignment) | Q(assignment__isnull=True, document_id=assignment.requirement.document_id)
        )
    if document is None:
        return qs.none()
    readable = selectors.assignment_scope(user=user).filter(requirement__document=document).values("pk")
    if not selectors.document_list(user=user, archived=None).filter(pk=document.pk).exists():
        return qs.none()
    return qs.filter(document=document).filter(Q(assignment__isnull=True) | Q(assignment__in=readable))


def leader_attention(*, leader: User, today: dt.date) -> dict[str, list[Assignment]]:
    """What a school leader's weekly digest lists for his departments: overdue, returned, extension.

    Each item once, under its first reason (逾期, then 退回, then 延期申请待审批); archived
    documents' items are left out.
    """
    pending = ExtensionRequest.objects.filter(assignment=OuterRef("pk"), status=ExtensionRequest.Status.PENDING)
    base = (
        selectors.assignment_list(user=leader)
        .filter(department_id__in=permissions.overseen_department_ids(leader))
        .annotate(extension_pending=Exists(pending))
        .order_by("department__order", "due_date", "id")
    )
    overdue = list(base.filter(rules.overdue_q(today)))
    returned = list(base.filter(status=Assignment.Status.RETURNED).exclude(pk__in=[a.pk for a in overdue]))
    seen = {a.pk for a in overdue} | {a.pk for a in returned}
    extension = [a for a in base.filter(extension_pending=True) if a.pk not in seen]
    return {"overdue": overdue, "returned": returned, "extension": extension}


def department_chips(*, user: User) -> list[dict[str, Any]]:
    """The home page's 我的部门: each department the user reads, with open and overdue counts."""
    today = selectors.today()
    items = Q(assignments__requirement__document__archived_at__isnull=True)
    rows = (
        selectors.department_list(user=user)
        .annotate(
            open_count=Count("assignments", filter=items & Q(assignments__status__in=Assignment.OPEN_STATUSES)),
            overdue_count=Count(
                "assignments",
                filter=items & Q(assignments__status__in=Assignment.OPEN_STATUSES, assignments__due_date__lt=today),
            ),
        )
        .order_by("order", "id")[:20]
    )
    return [
        {
            "department": d,
            "open": d.open_count,
            "overdue": d.overdue_count,
            "can_urge": permissions.can_urge_department(user, d.pk),
        }
        for d in rows
    ]
