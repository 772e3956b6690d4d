"""Every read, scoped to the user. Pages, API, exports and dashboards all come through here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions, rules
from .models import (
    Assignment,
    Department,
    Evidence,
    ExportJob,
    ExtensionRequest,
    ImportJob,
    Notification,
    PolicyDocument,
    ProgressUpdate,
    Requirement,
    User,
)


def today() -> dt.date:
    return timezone.localdate()


def department_list(*, user: User) -> QuerySet[Department]:
    qs = Department.objects.filter(is_active=True)
    if permissions.sees_everything(user):
        return qs
    return qs.filter(id__in=permissions.department_ids(user))


def assignment_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Assignment]:
    """Assignments the user may read, with the usual filters.

    filters: status (str or list), document (id), department (id), due_within (days),
    overdue (bool), role (lead/co), q (text search).
    """
    qs = Assignment.objects.select_related(
        "requirement", "requirement__document", "department", "requirement__school_leader"
    )
    if not permissions.sees_everything(user):
        qs = qs.filter(department_id__in=permissions.department_ids(user))
    return assignment_filter(qs, filters or {})


def assignment_filter(qs: QuerySet[Assignment], filters: dict[str, Any]) -> QuerySet[Assignment]:
    """Narrow an already scoped queryset by the filters ``assignment_list`` documents."""
    status = filters.get("status")
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if filters.get("document"):
        qs = qs.filter(requirement__document_id=filters["document"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("due_within") not in (None, ""):
        qs = qs.filter(rules.due_soon_q(today(), int(filters["due_within"])))
    if filters.get("overdue"):
        qs = qs.filter(rules.overdue_q(today()))
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(Q(requirement__text__icontains=term) | Q(requirement__heading__icontains=term))
    return qs


def assignment_get(*, user: User, pk: int) -> Assignment:
    """One assignment the user may read, freshly read; raises Assignment.DoesNotExist otherwise."""
    return assignment_list(user=user).get(pk=pk)


def assignment_counts(*, user: User) -> dict[str, int]:
    """The home page's figures over the user's items: all, open, overdue, submitted, completed."""
    return assignment_list(user=user).aggregate(
        total=Count("id"),
        open=Count("id", filter=rules.open_q()),
        overdue=Count("id", filter=rules.overdue_q(today())),
        submitted=Count("id", filter=Q(status=Assignment.Status.SUBMITTED)),
        completed=Count("id", filter=Q(status=Assignment.Status.COMPLETED)),
    )


def document_list(*, user: User) -> QuerySet[PolicyDocument]:
    """Administrators and auditors see all documents; others those with an item of theirs."""
    qs = PolicyDocument.objects.select_related("imported_by")
    if permissions.sees_everything(user):
        return qs
    return qs.filter(requirements__assignments__department_id__in=permissions.department_ids(user)).distinct()


def requirement_list(*, user: User, document: PolicyDocument | None = None) -> QuerySet[Requirement]:
    qs = Requirement.objects.select_related("document", "parent", "school_leader")
    if document is not None:
        qs = qs.filter(document=document)
    if permissions.sees_everything(user):
        return qs
    ids = permissions.department_ids(user)
    return qs.filter(document__requirements__assignments__department_id__in=ids).distinct()


def document_requirements(*, user: User, document: PolicyDocument) -> QuerySet[Requirement]:
    """A readable document's requirements in order, each with ``visible_assignments``.

    ``document`` comes from ``document_list`` (the caller may read it); of each requirement's
    assignments only those the user may read are attached.
    """
    visible = assignment_list(user=user).select_related(None).select_related("department")
    return (
        Requirement.objects.filter(document=document)
        .order_by("order")
        .prefetch_related(
            Prefetch("assignments", queryset=visible.order_by("role", "id"), to_attr="visible_assignments")
        )
    )


def document_routing_requirements(*, user: User, document: PolicyDocument) -> QuerySet[Requirement]:
    """The assignment screen's rows: every requirement of a document with all its assignments.

    Routing is the office's work; anyone else gets nothing.
    """
    if not permissions.is_administrator(user):
        return Requirement.objects.none()
    return (
        Requirement.objects.filter(document=document)
        .select_related("school_leader")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("department").order_by("role", "id"))
        )
        .order_by("order")
    )


def evidence_list(*, user: User, assignment: Assignment | None = None) -> QuerySet[Evidence]:
    qs = Evidence.objects.select_related("assignment", "uploaded_by", "assignment__department")
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    if permissions.sees_everything(user):
        return qs
    return qs.filter(assignment__department_id__in=permissions.department_ids(user))


def extension_request_list(*, user: User, assignment: Assignment | None = None) -> QuerySet[ExtensionRequest]:
    qs = ExtensionRequest.objects.select_related(
        "assignment", "assignment__requirement", "assignment__department", "requested_by"
    )
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    if permissions.sees_everything(user):
        return qs
    return qs.filter(assignment__department_id__in=permissions.department_ids(user))


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("assignment")


def review_queue(*, user: User) -> QuerySet[Assignment]:
    """Lead assignments waiting for the office's decision, oldest submission first.

    The office and auditors see the queue; department staff and school leaders get nothing.
    """
    if not permissions.sees_everything(user):
        return Assignment.objects.none()
    qs = assignment_list(user=user, filters={"status": Assignment.Status.SUBMITTED, "role": Assignment.Role.LEAD})
    return qs.order_by("submitted_at", "id")


def progress_update_list(*, user: User, assignment: Assignment, kind: str | None = None) -> QuerySet[ProgressUpdate]:
    """An item's progress reports and comments (``kind`` narrows), oldest first; none if unreadable."""
    if not permissions.can_view_assignment(user, assignment):
        return ProgressUpdate.objects.none()
    qs = ProgressUpdate.objects.filter(assignment=assignment).select_related("author")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("created_at", "id")


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """Policy import jobs, newest first: the office's alone."""
    if not permissions.is_administrator(user):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")


def export_job_list(*, user: User) -> QuerySet[ExportJob]:
    """Audit workbook jobs, newest first: for the office and auditors (the workbook covers everyone)."""
    if not permissions.sees_everything(user):
        return ExportJob.objects.none()
    return ExportJob.objects.select_related("created_by").order_by("-created_at", "-id")


def school_leader_list(*, user: User) -> QuerySet[User]:
    """Active school leaders, offered to the office when it names a requirement's 责任校领导."""
    if not permissions.is_administrator(user):
        return User.objects.none()
    return User.objects.filter(is_active=True, role=User.Role.SCHOOL_LEADER)


# --- Item page: the other units of a requirement, the change history (tracking pages) ---------


def assignment_siblings(*, user: User, assignment: Assignment) -> QuerySet[Assignment]:
    """The other units' assignments on the same requirement and period (their progress only).

    Readable by anyone who may read ``assignment``: the item page shows their status, percent
    and latest note, never their evidence.
    """
    if not permissions.can_view_assignment(user, assignment):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(requirement_id=assignment.requirement_id, period=assignment.period)
        .exclude(pk=assignment.pk)
        .select_related("department")
        .order_by("role", "department__order", "id")
    )


def assignment_lead_part(*, user: User, assignment: Assignment) -> Assignment | None:
    """The lead unit's assignment for the same requirement and period, if the user may read it."""
    return (
        assignment_list(user=user)
        .filter(requirement_id=assignment.requirement_id, period=assignment.period, role=Assignment.Role.LEAD)
        .first()
    )


def assignment_co_part_for_lead(*, user: User, pk: int) -> Assignment:
    """A cooperating part whose lead assignment is in one of the user's lead departments.

    The lead unit reviews its cooperating units' submissions (and may return them).
    Raises Assignment.DoesNotExist otherwise.
    """
    co = Assignment.objects.select_related("requirement", "department").get(pk=pk, role=Assignment.Role.COOPERATING)
    if not Assignment.objects.filter(
        requirement_id=co.requirement_id,
        period=co.period,
        role=Assignment.Role.LEAD,
        department_id__in=permissions.lead_department_ids(user),
    ).exists():
        raise Assignment.DoesNotExist
    return co


_HISTORY_FIELDS = ("status", "department", "role", "due_date", "progress", "return_reason")


def assignment_history(*, user: User, assignment: Assignment) -> list[dict[str, Any]]:
    """Every change of an item, oldest first: who, when, what, from what to what."""
    if not permissions.can_view_assignment(user, assignment):
        return []
    names = dict(Department.objects.values_list("id", "name"))
    status_labels = dict(Assignment.Status.choices)
    role_labels = dict(Assignment.Role.choices)
    labels = {f: Assignment._meta.get_field(f).verbose_name for f in _HISTORY_FIELDS}

    def show(field: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if field == "department":
            return names.get(value, str(value))
        if field == "status":
            return str(status_labels.get(value, value))
        if field == "role":
            return str(role_labels.get(value, value))
        return str(value)

    events: list[dict[str, Any]] = []
    records = list(assignment.history.select_related("history_user").order_by("history_date", "history_id"))
    previous = None
    for rec in records:
        if previous is None:
            events.append(
                {
                    "when": rec.history_date,
                    "who": rec.history_user,
                    "what": str(_("创建")),
                    "field": "",
                    "old": "",
                    "new": show("department", rec.department_id),
                }
            )
        else:
            for change in rec.diff_against(previous, included_fields=list(_HISTORY_FIELDS)).changes:
                events.append(
                    {
                        "when": rec.history_date,
                        "who": rec.history_user,
                        "what": str(_("修改")),
                        "field": str(labels[change.field]),
                        "old": show(change.field, change.old),
                        "new": show(change.field, change.new),
                    }
                )
        previous = rec
    for rec in Evidence.history.filter(assignment_id=assignment.pk).select_related("history_user"):
        events.append(
            {
                "when": rec.history_date,
                "who": rec.history_user,
                "what": str(
                    _("上传材料")
                    if rec.history_type == "+"
                    else _("删除材料")
                    if rec.history_type == "-"
                    else _("修改材料")
                ),
                "field": str(_("佐证材料")),
                "old": "",
                "new": f"{rec.original_name} (SHA-256 {rec.sha256[:12]}…)",
            }
        )
    for rec in ExtensionRequest.history.filter(assignment_id=assignment.pk).select_related("history_user"):
        events.append(
            {
                "when": rec.history_date,
                "who": rec.history_user or rec.requested_by,
                "what": str(_("延期申请")),
                "field": str(_("状态")),
                "old": str(rec.previous_due_date or "—"),
                "new": f"{rec.proposed_date} · {ExtensionRequest.Status(rec.status).label}",
            }
        )
    for upd in assignment.updates.filter(kind="comment").select_related("author"):
        events.append(
            {
                "when": upd.created_at,
                "who": upd.author,
                "what": str(_("评论")),
                "field": "",
                "old": "",
                "new": upd.note,
            }
        )
    events.sort(key=lambda e: e["when"])
    return events
