"""Dashboard aggregates, built on selectors.assignment_list so every figure is scoped to the user.

Each figure is one grouped query (values().annotate() with conditional counts), so a dashboard
costs the same number of queries for ten assignments as for a hundred thousand.

The scans over every assignment (the figures grouped by department, by document, and the monthly
completions) are cached
(Django cache, Redis db 1) under a key made of the database, the user's scoped query, the filters,
today's date and a data version read on every load: count, max(id) and max(updated_at) of all
assignments. Any insert, save (auto_now) or delete changes the version, so a change shows on the
next load; the lists, names, options and reminder counts are always read live. A cache that
cannot be reached only costs the cold path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import permissions, rules, selectors, selectors_reports, selectors_tallies
from .models import Assignment, Department, ReminderDelivery, User
from .rules import CompletionRates

logger = logging.getLogger(__name__)

S = Assignment.Status
CACHE_SECONDS = 15 * 60  # a safety net only: the data version invalidates at once
LIST_LIMIT = 20
MONTHS = 12


@dataclass
class Counts(CompletionRates):
    """Figures for one department, one document or the whole scope."""

    total: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    due_soon: int = 0
    not_applicable: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass
class Row:
    id: int
    name: str
    counts: Counts


@dataclass
class RankRow(CompletionRates):
    """A department's figures over the items due in the ranking period (rates as in rules.py)."""

    department_id: int
    name: str
    assigned: int
    completed: int
    on_time: int
    overdue: int
    reminders: int
    not_applicable: int = 0
    late_reports: int = 0  # progress reports filed late (rules.late_report_q) in rounds due in the period
    urges: int = 0  # 催办 received in the period
    returns: int = 0  # items sent back (退回) in the period

    @property
    def total(self) -> int:
        return self.assigned


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
    department_options: list[Department]
    document_options: list[tuple[int, str]]  # (id, title), newest first
    documents_total: int = 0  # documents with items in scope (by_document may show fewer: document_limit)


def _counts(acc: dict[str, Any]) -> Counts:
    by_status = {value: acc["status"].get(value, 0) for value in S.values}
    return Counts(
        total=sum(by_status.values()),
        completed=by_status[S.COMPLETED],
        on_time=acc["on_time"],
        overdue=acc["overdue"],
        due_soon=acc["due_soon"],
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


def _reminder_rows(base: QuerySet[Assignment], start: dt.date, end: dt.date) -> QuerySet:
    """Reminders sent to each department in the period (``dept``, ``n``; ReminderDelivery rows)."""
    return (
        ReminderDelivery.objects.filter(
            assignment__in=base.order_by().values("id"),
            sent_at__date__gte=start,
            sent_at__date__lte=end,
        )
        .values(dept=F("assignment__department_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def _month_starts(today: dt.date) -> list[dt.date]:
    """The first days of the last MONTHS months, the current month last (today's approvals show)."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - MONTHS + 1, index + 1)]


def figure_counts(*, today: dt.date, rank_from: dt.date, rank_to: dt.date) -> dict[str, Count]:
    """The conditional counts of one group (department or document, and status).

    Grouping by status gives the status counts for free; what depends on dates is a conditional
    count whose meaning (overdue needs an open status) is settled per group in Python.
    """
    in_period = Q(due_date__gte=rank_from, due_date__lte=rank_to)
    return {
        "on_time": Count("id", filter=rules.on_time_q()),
        "past_due": Count("id", filter=Q(due_date__lt=today)),
        "due_soon": Count("id", filter=Q(due_date__gte=today, due_date__lte=rules.due_soon_until(today))),
        "p_n": Count("id", filter=in_period),
        "p_on_time": Count("id", filter=in_period & rules.on_time_q()),
        "p_past_due": Count("id", filter=in_period & Q(due_date__lt=today)),
    }


def _grouped_figures(
    base: QuerySet[Assignment], *, today: dt.date, rank_from: dt.date, rank_to: dt.date, months: list[dt.date]
) -> dict[str, Any]:
    """The two scans over every assignment in scope, as plain data (cacheable)."""
    figures = figure_counts(today=today, rank_from=rank_from, rank_to=rank_to)

    def grouped(by: str) -> list[dict[str, Any]]:
        return list(base.order_by().values(by, "status").annotate(n=Count("id"), **figures).order_by())

    # Department and document are grouped apart: department x document has nearly one group per
    # assignment when documents are many (3,000 documents over 60 departments at 1,000,000 items),
    # while each grouping on its own stays a few thousand rows for Python and the cache.
    by_department = grouped("department_id")
    by_document = grouped("requirement__document_id")
    first = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    monthly = {
        (r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"]): r["n"]
        for r in base.order_by()
        .filter(status=S.COMPLETED, completed_at__gte=first)
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    return {"by_department": by_department, "by_document": by_document, "monthly": monthly}


def data_version() -> tuple[Any, ...]:
    """A cheap fingerprint of every assignment: one aggregate scan, changed by any write.

    count catches deletes, max(id) inserts, max(updated_at) saves (auto_now; nothing updates
    assignments with QuerySet.update()); the sum of versions (bumped by every service call), the
    counts per status and of completion times and the sum of department ids also catch a save made
    while the clock stands still (tests freeze it).
    """
    agg = Assignment.objects.order_by().aggregate(
        n=Count("id"),
        last_id=Max("id"),
        last=Max("updated_at"),
        versions=Sum("version"),
        completed=Count("completed_at"),
        departments=Sum("department_id"),
        **{f"s_{v}": Count("id", filter=Q(status=v)) for v in S.values},
    )
    return tuple((k, v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in sorted(agg.items()))


def _cached_figures(
    base: QuerySet[Assignment], *, today: dt.date, rank_from: dt.date, rank_to: dt.date, months: list[dt.date]
) -> dict[str, Any]:
    """_grouped_figures through the cache, keyed by scope (the scoped SQL), dates and data version."""
    scope_sql = str(base.order_by().values("id").query)
    raw = repr(
        (
            settings.DATABASES["default"].get("NAME"),
            connection.vendor,
            scope_sql,
            timezone.get_current_timezone_name(),
            today,
            rank_from,
            rank_to,
            months[0],
            data_version(),
        )
    )
    key = "duban:dashboard:v2:" + hashlib.sha256(raw.encode()).hexdigest()
    try:
        hit = cache.get(key)
    except Exception:  # the cache is an optimisation; a broken one must not break the page
        logger.warning("dashboard cache unavailable (read)", exc_info=True)
        hit = None
    if hit is not None:
        return hit
    figures = _grouped_figures(base, today=today, rank_from=rank_from, rank_to=rank_to, months=months)
    try:
        cache.set(key, figures, CACHE_SECONDS)
    except Exception:
        logger.warning("dashboard cache unavailable (write)", exc_info=True)
    return figures


def _figures(
    user: User,
    filters: dict[str, Any],
    base: QuerySet[Assignment],
    *,
    today: dt.date,
    rank_from: dt.date,
    rank_to: dt.date,
    months: list[dt.date],
    limit: int | None,
) -> dict[str, Any]:
    """The grouped figures: from the tallies where they keep this view (everything, no filter,
    this year's ranking; only ``limit`` documents, if given), else the scan through the cache."""
    if permissions.sees_everything(user) and not any(filters.get(k) for k in ("document", "department", "year")):
        kept = selectors_tallies.tally_figures(
            today=today, rank_from=rank_from, rank_to=rank_to, months=months, document_limit=limit
        )
        if kept is not None:
            return kept
    return _cached_figures(base, today=today, rank_from=rank_from, rank_to=rank_to, months=months)


def _rollup(grouped: list[dict[str, Any]], key: str) -> dict[int, dict[str, Any]]:
    """Sum the grouped rows by department or by document; date figures count open items only."""
    open_statuses = set(Assignment.OPEN_STATUSES)
    out: dict[int, dict[str, Any]] = {}
    for r in grouped:
        acc = out.setdefault(
            r[key],
            {
                "status": {},
                "on_time": 0,
                "overdue": 0,
                "due_soon": 0,
                "p_assigned": 0,
                "p_completed": 0,
                "p_on_time": 0,
                "p_overdue": 0,
                "p_not_applicable": 0,
            },
        )
        acc["status"][r["status"]] = acc["status"].get(r["status"], 0) + r["n"]
        acc["p_assigned"] += r["p_n"]
        if r["status"] == S.COMPLETED:
            acc["on_time"] += r["on_time"]
            acc["p_completed"] += r["p_n"]
            acc["p_on_time"] += r["p_on_time"]
        elif r["status"] == S.NOT_APPLICABLE:
            acc["p_not_applicable"] += r["p_n"]
        elif r["status"] in open_statuses:
            acc["overdue"] += r["past_due"]
            acc["due_soon"] += r["due_soon"]
            acc["p_overdue"] += r["p_past_due"]
    return out


def _most_urgent(by_doc: dict[int, dict[str, Any]], limit: int) -> dict[int, dict[str, Any]]:
    """The ``limit`` documents most in need of attention: most overdue items, then most not
    completed, then the oldest (as the tallies' _MOST_URGENT)."""
    if len(by_doc) <= limit:
        return by_doc

    def urgency(item: tuple[int, dict[str, Any]]) -> tuple[int, int, int]:
        key, acc = item
        open_items = sum(acc["status"].values()) - acc["status"].get(S.COMPLETED, 0)
        return (-acc["overdue"], -open_items, key)

    return dict(sorted(by_doc.items(), key=urgency)[:limit])


def _ranking(
    by_dept: dict[int, dict[str, Any]],
    names: dict[int, str],
    extra: dict[str, dict[int, int]],
) -> list[RankRow]:
    """Departments with items due in the period: best completion rate first, then on-time rate,
    then fewest overdue items, late reports and urges received (``extra``: _period_counts)."""
    ranking = [
        RankRow(
            department_id=k,
            name=names.get(k, str(k)),
            assigned=v["p_assigned"],
            completed=v["p_completed"],
            on_time=v["p_on_time"],
            overdue=v["p_overdue"],
            not_applicable=v["p_not_applicable"],
            reminders=extra.get("reminders", {}).get(k, 0),
            late_reports=extra.get("late_reports", {}).get(k, 0),
            urges=extra.get("urges", {}).get(k, 0),
            returns=extra.get("returns", {}).get(k, 0),
        )
        for k, v in by_dept.items()
        if v["p_assigned"]
    ]
    ranking.sort(
        key=lambda r: (-(r.completion_rate or 0), -(r.on_time_rate or 0), r.overdue, r.late_reports, r.urges, r.name)
    )
    return ranking


def _period_counts(base: QuerySet[Assignment], start: dt.date, end: dt.date) -> dict[str, dict[int, int]]:
    """Reminders, late reports, urges and returns per department in the period, on the items of
    ``base``: four grouped counts sent as one query (UNION ALL)."""
    parts = {
        "reminders": _reminder_rows(base, start, end),
        "late_reports": selectors_reports.late_report_rows(base=base, start=start, end=end),
        "urges": selectors_reports.urge_rows(base=base, start=start, end=end),
        "returns": selectors_reports.return_rows(base=base, start=start, end=end),
    }
    first, *rest = (rows.annotate(kind=Value(kind)).values_list("kind", "dept", "n") for kind, rows in parts.items())
    out: dict[str, dict[int, int]] = {kind: {} for kind in parts}
    for kind, dept, n in first.union(*rest, all=True):
        out[kind][dept] = n
    return out


def dashboard(
    *,
    user: User,
    filters: dict[str, Any],
    rank_from: dt.date | None = None,
    rank_to: dt.date | None = None,
    document_limit: int | None = None,
) -> Dashboard:
    """Every figure of the dashboard page (and the API's dashboard) for this user and these filters.

    Two grouped scans (by department and by document, every figure a conditional count) feed the
    department and document tables, the status distribution and the ranking, one more the monthly
    completions; both come from the cache while the data version is unchanged. The version, the
    two item lists, the reminder, late-report and return counts and the filter options add one query each. The ranking
    period defaults to this year up to today; given the wrong way round, it is turned round.
    """
    today = selectors.today()
    rank_from = rank_from or today.replace(month=1, day=1)
    rank_to = rank_to or today
    if rank_from > rank_to:
        rank_from, rank_to = rank_to, rank_from
    base = dashboard_assignments(user=user, filters=filters)
    months = _month_starts(today)
    figures = _figures(
        user, filters, base, today=today, rank_from=rank_from, rank_to=rank_to, months=months, limit=document_limit
    )
    departments = list(selectors.department_list(user=user).only("id", "name", "order"))
    documents = list(selectors.document_list(user=user).order_by("-id").values_list("id", "title"))
    dept_names = {d.pk: d.name for d in departments}
    doc_names = dict(documents)
    by_dept = _rollup(figures["by_department"], "department_id")
    by_doc = _rollup(figures["by_document"], "requirement__document_id")
    documents_total = figures.get("documents_total", len(by_doc))
    if document_limit is not None:
        by_doc = _most_urgent(by_doc, document_limit)
    dept_order = {d.pk: i for i, d in enumerate(departments)}
    by_department = [
        Row(id=k, name=dept_names.get(k, str(k)), counts=_counts(v))
        for k, v in sorted(by_dept.items(), key=lambda kv: (dept_order.get(kv[0], 10**9), kv[0]))
    ]
    # The lists need the item, its requirement, department and document title: never a document's body.
    items = base.defer("requirement__document__body")
    monthly = figures["monthly"]
    return Dashboard(
        today=today,
        totals=_sum(by_department),
        by_department=by_department,
        by_document=[Row(id=k, name=doc_names.get(k, str(k)), counts=_counts(v)) for k, v in sorted(by_doc.items())],
        documents_total=documents_total,
        overdue=list(items.filter(rules.overdue_q(today)).order_by("due_date", "id")[:LIST_LIMIT]),
        due_soon=list(items.filter(rules.due_soon_q(today)).order_by("due_date", "id")[:LIST_LIMIT]),
        completed_by_month=[(m, monthly.get(m, 0)) for m in months],
        ranking=_ranking(
            by_dept,
            dept_names,
            _period_counts(base, rank_from, rank_to),
        ),
        rank_from=rank_from,
        rank_to=rank_to,
        department_options=departments,
        document_options=documents,
    )


def department_ranking(*, base: QuerySet[Assignment], rank_from: dt.date, rank_to: dt.date) -> list[RankRow]:
    """The dashboard's ranking over the items of ``base`` (the same figures, order and extra counts).

    Used where the ranking must cover more than the reader's own items (every department's score
    for a school leader) or where there is no page (the bulletin's command).
    """
    today = selectors.today()
    if rank_from > rank_to:
        rank_from, rank_to = rank_to, rank_from
    figures = _cached_figures(base, today=today, rank_from=rank_from, rank_to=rank_to, months=_month_starts(today))
    names = dict(Department.objects.values_list("id", "name"))
    return _ranking(
        _rollup(figures["by_department"], "department_id"),
        names,
        _period_counts(base, rank_from, rank_to),
    )
