"""Recurring requirements (每年 / 每学期 / 每季度 / 每月): one assignment per period.

When a period starts, every department that carried the requirement in its latest period gets
a new assignment for the new period (``Assignment.period``: 2027, 2026-S2, 2026-Q3, 2026-07).
Earlier occurrences are separate rows, so their status, evidence and history stay as they were.
The first assignment, created at publication, has an empty period: it stands for the period
that contains its due date.

Semesters start on 1 March (S1, to 31 August) and 1 September (S2, to the end of February).
The due date is the requirement's deadline moved into the new period at the same position
(same month and day for a year; same month of the semester or quarter; same day of the month),
or the period's last day when the requirement has no deadline date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Assignment, Requirement
from .notifications import default_language, department_recipients, notify

R = Requirement.Recurrence
SUPPORTED = (R.YEARLY, R.SEMESTER, R.QUARTERLY, R.MONTHLY)


@dataclass(frozen=True, order=True)
class Period:
    """One period of a recurrence: an ordering key, its label and its first and last days."""

    start: dt.date
    end: dt.date
    label: str


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_of(recurrence: str, day: dt.date) -> Period:
    """The period of ``recurrence`` that contains ``day``."""
    if recurrence == R.YEARLY:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), str(day.year))
    if recurrence == R.SEMESTER:
        if 3 <= day.month <= 8:
            return Period(dt.date(day.year, 3, 1), dt.date(day.year, 8, 31), f"{day.year}-S1")
        year = day.year if day.month >= 9 else day.year - 1
        return Period(dt.date(year, 9, 1), _month_end(year + 1, 2), f"{year}-S2")
    if recurrence == R.QUARTERLY:
        q = (day.month - 1) // 3 + 1
        first = 3 * (q - 1) + 1
        return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2), f"{day.year}-Q{q}")
    if recurrence == R.MONTHLY:
        return Period(dt.date(day.year, day.month, 1), _month_end(day.year, day.month), f"{day.year}-{day.month:02d}")
    raise ValueError(f"unsupported recurrence {recurrence!r}")


def period_from_label(recurrence: str, label: str) -> Period:
    """Parse a label written by ``period_of`` back into its period."""
    if recurrence == R.YEARLY:
        return period_of(recurrence, dt.date(int(label), 1, 1))
    year, _sep, part = label.partition("-")
    if recurrence == R.SEMESTER:
        return period_of(recurrence, dt.date(int(year), 3 if part == "S1" else 9, 1))
    if recurrence == R.QUARTERLY:
        return period_of(recurrence, dt.date(int(year), 3 * (int(part[1:]) - 1) + 1, 1))
    return period_of(recurrence, dt.date(int(year), int(part), 1))


def due_in_period(recurrence: str, deadline: dt.date | None, period: Period) -> dt.date:
    """The deadline moved into ``period`` at the same position, or the period's last day."""
    if deadline is None:
        return period.end
    source = period_of(recurrence, deadline)
    # Months from the start of the deadline's own period, applied to the new period's start.
    offset = (deadline.year - source.start.year) * 12 + deadline.month - source.start.month
    year, month = _add_months(period.start.year, period.start.month, offset)
    day = min(deadline.day, calendar.monthrange(year, month)[1])  # 31 May -> 30 June, 29 Feb -> 28
    return dt.date(year, month, day)


def occurrence_period(assignment: Assignment, recurrence: str) -> Period:
    """The period an assignment stands for (the first one's is where its due date lies)."""
    if assignment.period:
        try:
            return period_from_label(recurrence, assignment.period)
        except ValueError:
            pass
    anchor = assignment.due_date or assignment.requirement.deadline_date or assignment.created_at.date()
    return period_of(recurrence, anchor)


def recurrence_create_due(*, today: dt.date) -> list[Assignment]:
    """Create this period's assignments for recurring requirements whose period has started.

    Idempotent: a requirement whose latest occurrence is already in (or after) the current
    period is left alone, and the (requirement, department, period) constraint stops a race.
    Only the current period is created: a missed period is not back-filled as overdue work.
    """
    created: list[Assignment] = []
    requirements = Requirement.objects.filter(
        recurrence__in=SUPPORTED, is_requirement=True, not_applicable=False, assignments__isnull=False
    ).distinct()
    for req in requirements.iterator():
        current = period_of(req.recurrence, today)
        existing = list(req.assignments.select_related("requirement", "department"))
        by_period: dict[Period, list[Assignment]] = {}
        for a in existing:
            by_period.setdefault(occurrence_period(a, req.recurrence), []).append(a)
        latest = max(by_period)
        if latest >= current:
            continue
        due = due_in_period(req.recurrence, req.deadline_date, current)
        with transaction.atomic():
            for previous in by_period[latest]:
                if previous.status == Assignment.Status.NOT_APPLICABLE or not previous.department.is_active:
                    continue
                a, made = Assignment.objects.get_or_create(
                    requirement=req,
                    department=previous.department,
                    period=current.label,
                    defaults={"role": previous.role, "due_date": due},
                )
                if made:
                    created.append(a)
                    with default_language():
                        notify(
                            users=department_recipients(previous.department),
                            verb="assigned",
                            assignment=a,
                            message=_("新一期事项（%(p)s）：“%(t)s”，完成时限 %(d)s")
                            % {"p": current.label, "t": req.heading or req.text[:40], "d": due.isoformat()},
                        )
    return created
