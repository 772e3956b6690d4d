"""Every read, scoped to the user. Pages, API, exports and dashboards all come through here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from . import permissions, rules
from .models import (
    Assignment,
    Department,
    Evidence,
    ExportJob,
    ExtensionRequest,
    ExternalBody,
    ImportJob,
    Membership,
    Notification,
    PolicyDocument,
    ProgressUpdate,
    Requirement,
    User,
)
from .selectors_history import assignment_history as assignment_history  # the item page's history


def today() -> dt.date:
    return timezone.localdate()


def department_list(*, user: User) -> QuerySet[Department]:
    qs = Department.objects.filter(is_active=True)
    if permissions.sees_everything(user):
        return qs
    return qs.filter(id__in=permissions.department_ids(user))


def assignment_scope(*, user: User) -> QuerySet[Assignment]:
    """Every assignment the user may read, archived documents' included (item pages, links)."""
    qs = Assignment.objects.select_related(
        "requirement", "requirement__document", "department", "requirement__school_leader"
    )
    if not permissions.sees_everything(user):
        qs = qs.filter(department_id__in=permissions.department_ids(user))
    return qs


def assignment_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Assignment]:
    """Assignments the user may read, with the usual filters; archived documents' only when asked.

    filters: status (str or list), document (id), department (id), due_within (days),
    overdue (bool), role (lead/co), q (text search), year (due date's year), due_from / due_to
    (due date range), completed_month ("YYYY-MM", completion in the site's time zone), on_time
    (completed on time), include_archived (bool).
    """
    filters = filters or {}
    qs = assignment_scope(user=user)
    if not filters.get("include_archived"):
        qs = qs.filter(requirement__document__archived_at__isnull=True)
    return assignment_filter(qs, filters)


def _month_range(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of a "YYYY-MM" month and of the next, in the site's time zone."""
    year, number = (int(part) for part in month.split("-"))
    start = dt.date(year, number, 1)
    end = dt.date(year + (number == 12), number % 12 + 1, 1)
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(end, dt.time.min)),
    )


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
    if filters.get("on_time"):
        qs = qs.filter(rules.on_time_q())
    if filters.get("year"):
        qs = qs.filter(due_date__year=int(filters["year"]))
    if filters.get("due_from"):
        qs = qs.filter(due_date__gte=filters["due_from"])
    if filters.get("due_to"):
        qs = qs.filter(due_date__lte=filters["due_to"])
    if filters.get("completed_month"):
        start, end = _month_range(filters["completed_month"])
        qs = qs.filter(completed_at__gte=start, completed_at__lt=end)
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(Q(requirement__text__icontains=term) | Q(requirement__heading__icontains=term))
    return qs


def assignment_get(*, user: User, pk: int) -> Assignment:
    """One assignment the user may read, freshly read; raises Assignment.DoesNotExist otherwise."""
    return assignment_scope(user=user).get(pk=pk)


def assignment_counts(*, user: User) -> dict[str, int]:
    """The home page's figures over the user's items: all, open, overdue, submitted, completed."""
    return assignment_list(user=user).aggregate(
        total=Count("id"),
        open=Count("id", filter=rules.open_q()),
        overdue=Count("id", filter=rules.overdue_q(today())),
        submitted=Count("id", filter=Q(status=Assignment.Status.SUBMITTED)),
        completed=Count("id", filter=Q(status=Assignment.Status.COMPLETED)),
    )


def document_list(*, user: User, archived: bool | None = False) -> QuerySet[PolicyDocument]:
    """Administrators and auditors see all documents; others those with an item of theirs.

    ``archived``: False (the default) leaves archived documents out, True lists only them,
    None lists both (to open one document by id).
    """
    qs = PolicyDocument.objects.select_related("imported_by")
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    if permissions.sees_everything(user):
        return qs
    return qs.filter(requirements__assignments__department_id__in=permissions.department_ids(user)).distinct()


def document_overview(*, user: User, q: str = "", status: str = "", archived: bool = False) -> QuerySet[PolicyDocument]:
    """The document list: search, status, archived or not, each with its items' progress.

    Figures count the items the user may read: ``n_items``, ``n_completed``, ``n_open``,
    ``n_overdue`` (as in rules.py) and ``n_not_applicable``; ``completion`` is 完成率 in percent.
    """
    qs = document_list(user=user, archived=archived).order_by("-imported_at", "-id")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(issuer__icontains=q))
    if status:
        qs = qs.filter(status=status)
    items = Q()
    if not permissions.sees_everything(user):
        items = Q(requirements__assignments__department_id__in=permissions.department_ids(user))
    field = "requirements__assignments"
    S = Assignment.Status
    return qs.annotate(
        n_items=Count(field, filter=items, distinct=True),
        n_completed=Count(field, filter=items & Q(**{f"{field}__status": S.COMPLETED}), distinct=True),
        n_open=Count(field, filter=items & Q(**{f"{field}__status__in": Assignment.OPEN_STATUSES}), distinct=True),
        n_overdue=Count(
            field,
            filter=items & Q(**{f"{field}__status__in": Assignment.OPEN_STATUSES, f"{field}__due_date__lt": today()}),
            distinct=True,
        ),
        n_not_applicable=Count(field, filter=items & Q(**{f"{field}__status": S.NOT_APPLICABLE}), distinct=True),
    )


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
    visible = assignment_scope(user=user).select_related(None).select_related("department")
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


def external_body_list(*, user: User) -> QuerySet[ExternalBody]:
    """The office's list of external body names (for its routing pages)."""
    if not permissions.is_administrator(user):
        return ExternalBody.objects.none()
    return ExternalBody.objects.order_by("name")


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
        assignment_scope(user=user)
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


def membership_list(*, user: User) -> QuerySet[Membership]:
    """The user's own departments and their role in each ("who am I")."""
    return Membership.objects.filter(user=user, department__is_active=True).select_related("department")


def overseen_department_list(*, user: User) -> QuerySet[Department]:
    """The departments a school leader is in charge of (分管); none for anyone else."""
    return Department.objects.filter(pk__in=permissions.overseen_department_ids(user), is_active=True).order_by(
        "order", "id"
    )
