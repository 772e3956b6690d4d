"""Reads for reporting rounds and reports, scoped to the user, and the counts the ranking adds.

The office and auditors read every round and report; a department's people (and the school
leader who oversees it) read the rounds in which it reports and only its own reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, rules, selectors
from .models import Assignment, ProgressReport, ProgressUpdate, ReportRound, ReportSchedule, Urge, User
from .selectors_leadership import urges_received

R = ProgressReport.Status


def report_list(*, user: User, rnd: ReportRound | None = None) -> QuerySet[ProgressReport]:
    """Reports the user may read (``rnd`` narrows to one round), in department order."""
    qs = ProgressReport.objects.select_related(
        "round", "department", "assignment", "assignment__requirement", "assignment__requirement__document"
    )
    if rnd is not None:
        qs = qs.filter(round=rnd)
    if not permissions.sees_everything(user):
        qs = qs.filter(department_id__in=permissions.department_ids(user))
    return qs.order_by("round_id", "department__order", "department_id", "assignment__requirement__order", "id")


def report_get(*, user: User, pk: int) -> ProgressReport:
    """One report the user may read; raises ProgressReport.DoesNotExist otherwise."""
    return report_list(user=user).get(pk=pk)


def round_list(*, user: User) -> QuerySet[ReportRound]:
    """Rounds, newest first: all for the office and auditors, else those the user's departments report in."""
    qs = ReportRound.objects.select_related("schedule", "created_by")
    if permissions.sees_everything(user):
        return qs.order_by("-period_start", "-id")
    ids = permissions.department_ids(user)
    return qs.filter(reports__department_id__in=ids).distinct().order_by("-period_start", "-id")


def round_get(*, user: User, pk: int) -> ReportRound:
    return round_list(user=user).get(pk=pk)


def schedule_list(*, user: User) -> QuerySet[ReportSchedule]:
    """Recurring rounds: the office's (and auditors') to read."""
    if not permissions.sees_everything(user):
        return ReportSchedule.objects.none()
    return ReportSchedule.objects.prefetch_related("documents").order_by("id")


@dataclass
class DepartmentProgress:
    """Who has reported in a round: one department's reports."""

    department_id: int
    name: str
    total: int
    submitted: int
    late: int

    @property
    def missing(self) -> int:
        return self.total - self.submitted

    @property
    def done(self) -> bool:
        return self.total > 0 and self.submitted == self.total


def round_progress(*, user: User, rnd: ReportRound) -> list[DepartmentProgress]:
    """Per department (of those the user may read): reports expected, submitted, late. One query."""
    today = selectors.today()
    rows = (
        report_list(user=user, rnd=rnd)
        .order_by()
        .values("department_id", "department__name", "department__order")
        .annotate(
            total=Count("id"),
            submitted=Count("id", filter=Q(status=R.SUBMITTED)),
            late=Count("id", filter=rules.late_report_q(today)),
        )
        .order_by("department__order", "department_id")
    )
    return [
        DepartmentProgress(r["department_id"], r["department__name"], r["total"], r["submitted"], r["late"])
        for r in rows
    ]


def late_report_rows(*, base: QuerySet[Assignment], start: dt.date, end: dt.date) -> QuerySet:
    """Late reports per department (``dept``, ``n``) on the items of ``base``, in rounds due within [start, end]."""
    qs = ProgressReport.objects.filter(
        assignment__in=base.order_by().values("id"), round__due_date__gte=start, round__due_date__lte=end
    )
    return _per_department(qs.filter(rules.late_report_q(selectors.today())), "department_id")


def late_report_counts(*, base: QuerySet[Assignment], start: dt.date, end: dt.date) -> dict[int, int]:
    return _as_dict(late_report_rows(base=base, start=start, end=end))


def return_rows(*, base: QuerySet[Assignment], start: dt.date, end: dt.date) -> QuerySet:
    """Items the office (or a lead unit) sent back (退回) in [start, end], per department of the item."""
    qs = ProgressUpdate.objects.filter(
        assignment__in=base.order_by().values("id"),
        kind=ProgressUpdate.Kind.RETURN,
        created_at__date__gte=start,
        created_at__date__lte=end,
    )
    return _per_department(qs, "assignment__department_id")


def return_counts(*, base: QuerySet[Assignment], start: dt.date, end: dt.date) -> dict[int, int]:
    return _as_dict(return_rows(base=base, start=start, end=end))


def urge_rows(*, base: QuerySet[Assignment], start: dt.date, end: dt.date) -> QuerySet:
    """Urges (催办) each department received in [start, end]: on the items of ``base``, and those
    made to a department as a whole (no item) for the departments ``base`` covers."""
    qs = _urges_between(Urge.objects.all(), start, end).filter(
        Q(assignment__in=base.order_by().values("id"))
        | Q(assignment__isnull=True, department_id__in=base.order_by().values("department_id"))
    )
    return _per_department(qs, "department_id")


def urge_counts(*, base: QuerySet[Assignment], start: dt.date, end: dt.date) -> dict[int, int]:
    return _as_dict(urge_rows(base=base, start=start, end=end))


def _per_department(qs: QuerySet, department: str) -> QuerySet:
    """Rows (``dept``, ``n``): the rows of ``qs`` counted per department (the path given)."""
    return qs.order_by().values(dept=F(department)).annotate(n=Count("id")).order_by()


def _as_dict(rows: QuerySet) -> dict[int, int]:
    return {r["dept"]: r["n"] for r in rows}


def _urges_between(qs: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return qs.filter(created_at__gte=first, created_at__lt=after)


def urged_items(*, user: User, start: dt.date, end: dt.date) -> list[dict]:
    """Urges (催办) made in [start, end] that the user may read, oldest first, for the bulletin."""
    urges = urges_received(user=user, start=start, end=end).order_by("created_at", "id")
    return [
        {
            "title": (u.assignment.requirement.heading or u.assignment.requirement.text[:40])
            if u.assignment_id
            else str(_("部门全部未办结事项")),
            "department": u.department.name,
            "when": timezone.localtime(u.created_at).strftime("%Y-%m-%d"),
        }
        for u in urges
    ]
