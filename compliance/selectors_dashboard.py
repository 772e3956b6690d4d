"""Dashboard aggregates, built on selectors.assignment_list so every figure is scoped to the user.

Each figure is one grouped query (values().annotate() with conditional counts), so a dashboard
costs the same number of queries for ten assignments as for a hundred thousand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from . import selectors
from .models import Assignment, User

S = Assignment.Status
DUE_SOON_DAYS = 14
LIST_LIMIT = 20
MONTHS = 12


@dataclass
class Counts:
    """Figures for one department, one document or the whole scope."""

    total: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    due_soon: int = 0
    not_applicable: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def completion_rate(self) -> float | None:
        base = self.total - self.not_applicable
        return self.completed / base if base else None

    @property
    def on_time_rate(self) -> float | None:
        """按期率 = completed on time ÷ (completed + overdue): overdue items count against it."""
        base = self.completed + self.overdue
        return self.on_time / base if base else None


@dataclass
class Row:
    id: int
    name: str
    counts: Counts


@dataclass
class RankRow:
    department_id: int
    name: str
    assigned: int
    completed: int
    on_time: int
    overdue: int
    reminders: int

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.assigned if self.assigned else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.assigned if self.assigned else None


@dataclass
class Dashboard:
    today: dt.date
    totals: Counts
    by_department: list[Row]
    by_document: list[Row]
    overdue: list[Assignment]
    due_soon: list[Assignment]
    completed_by_month: list[tuple[dt.date, int]]
    ranking: list[RankRow]
    rank_from: dt.date
    rank_to: dt.date


def _on_time_q() -> Q:
    # Completed on or before the due date (in the site's time zone); no due date counts as on time.
    return Q(status=S.COMPLETED) & (Q(due_date__isnull=True) | Q(completed_at__date__lte=F("due_date")))


def _count_annotations(today: dt.date) -> dict[str, Any]:
    open_q = Q(status__in=Assignment.OPEN_STATUSES)
    ann: dict[str, Any] = {
        "total": Count("id"),
        "on_time": Count("id", filter=_on_time_q()),
        "overdue": Count("id", filter=open_q & Q(due_date__lt=today)),
        "due_soon": Count(
            "id", filter=open_q & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        ),
    }
    for value in S.values:
        ann[f"s_{value}"] = Count("id", filter=Q(status=value))
    return ann


def _counts(row: dict[str, Any]) -> Counts:
    by_status = {value: row[f"s_{value}"] for value in S.values}
    return Counts(
        total=row["total"],
        completed=by_status[S.COMPLETED],
        on_time=row["on_time"],
        overdue=row["overdue"],
        due_soon=row["due_soon"],
        not_applicable=by_status[S.NOT_APPLICABLE],
        by_status=by_status,
    )


def _sum(rows: list[Row]) -> Counts:
    total = Counts(by_status=dict.fromkeys(S.values, 0))
    for r in rows:
        c = r.counts
        total.total += c.total
        total.completed += c.completed
        total.on_time += c.on_time
        total.overdue += c.overdue
        total.due_soon += c.due_soon
        total.not_applicable += c.not_applicable
        for k, v in c.by_status.items():
            total.by_status[k] += v
    return total


def dashboard_assignments(*, user: User, filters: dict[str, Any]) -> QuerySet[Assignment]:
    """The user's assignments narrowed by the dashboard's filters (document, department, year)."""
    qs = selectors.assignment_list(
        user=user, filters={"document": filters.get("document"), "department": filters.get("department")}
    )
    if filters.get("year"):
        qs = qs.filter(due_date__year=int(filters["year"]))
    return qs


def _reminder_counts(base: QuerySet[Assignment], start: dt.date, end: dt.date) -> dict[int, int]:
    """Reminders sent to each department in the period; 0 until the reminder ledger exists."""
    try:
        from tasks.models import ReminderDelivery  # the deadlines area owns this model
    except ImportError:
        return {}
    rows = (
        ReminderDelivery.objects.filter(
            assignment__in=base.order_by().values("id"),
            sent_at__date__gte=start,
            sent_at__date__lte=end,
        )
        .values("assignment__department_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["assignment__department_id"]: r["n"] for r in rows}


def department_ranking(
    *, base: QuerySet[Assignment], start: dt.date, end: dt.date, today: dt.date
) -> list[RankRow]:
    """督办通报: per department, the items due in the period and how they went.

    assigned = due within the period; completed and on time among them; overdue = still open
    past the due date; reminders = reminder deliveries sent in the period. Ranked by completion
    rate, then on-time rate, then fewest overdue.
    """
    in_period = base.filter(due_date__gte=start, due_date__lte=end).order_by()
    rows = (
        in_period.values("department_id", "department__name")
        .annotate(
            assigned=Count("id"),
            completed=Count("id", filter=Q(status=S.COMPLETED)),
            on_time=Count("id", filter=_on_time_q()),
            overdue=Count("id", filter=Q(status__in=Assignment.OPEN_STATUSES, due_date__lt=today)),
        )
        .order_by()
    )
    reminders = _reminder_counts(base, start, end)
    ranking = [
        RankRow(
            department_id=r["department_id"], name=r["department__name"], assigned=r["assigned"],
            completed=r["completed"], on_time=r["on_time"], overdue=r["overdue"],
            reminders=reminders.get(r["department_id"], 0),
        )
        for r in rows
    ]
    ranking.sort(key=lambda r: (-(r.completion_rate or 0), -(r.on_time_rate or 0), r.overdue, r.name))
    return ranking


def dashboard(
    *, user: User, filters: dict[str, Any], rank_from: dt.date | None = None, rank_to: dt.date | None = None
) -> Dashboard:
    """Every figure of the dashboard page for this user and these filters."""
    today = selectors.today()
    base = dashboard_assignments(user=user, filters=filters)
    plain = base.order_by()
    ann = _count_annotations(today)

    by_department = [
        Row(id=r["department_id"], name=r["department__name"], counts=_counts(r))
        for r in plain.values("department_id", "department__name", "department__order")
        .annotate(**ann)
        .order_by("department__order", "department_id")
    ]
    by_document = [
        Row(id=r["requirement__document_id"], name=r["requirement__document__title"], counts=_counts(r))
        for r in plain.values("requirement__document_id", "requirement__document__title")
        .annotate(**ann)
        .order_by("requirement__document_id")
    ]
    open_q = Q(status__in=Assignment.OPEN_STATUSES)
    overdue = list(base.filter(open_q, due_date__lt=today).order_by("due_date", "id")[:LIST_LIMIT])
    due_soon = list(
        base.filter(open_q, due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .order_by("due_date", "id")[:LIST_LIMIT]
    )
    first_month = (today.replace(day=1) - dt.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    monthly = {
        (r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"]): r["n"]
        for r in plain.filter(status=S.COMPLETED, completed_at__date__gte=first_month)
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    }
    months: list[tuple[dt.date, int]] = []
    m = first_month
    while m <= today:
        months.append((m, monthly.get(m, 0)))
        m = (m + dt.timedelta(days=32)).replace(day=1)

    rank_from = rank_from or today.replace(month=1, day=1)
    rank_to = rank_to or today
    return Dashboard(
        today=today,
        totals=_sum(by_department),
        by_department=by_department,
        by_document=by_document,
        overdue=overdue,
        due_soon=due_soon,
        completed_by_month=months,
        ranking=department_ranking(base=base, start=rank_from, end=rank_to, today=today),
        rank_from=rank_from,
        rank_to=rank_to,
    )
