"""The deadline and rate rules every page, the API, the workbook, reports and reminders share.

One definition each, so that a figure called 按期率 or 临期 means the same thing wherever it is shown:

- **逾期 (overdue)**: an open item (not started, in progress, returned) whose due date is before today.
- **临期 (due soon)**: an open item due today or within the next ``DUBAN_DUE_SOON_DAYS`` days.
- **按期办结 (completed on time)**: completed on or before its due date (site time zone); an item
  without a due date counts as on time.
- **完成率** = completed ÷ (items − not applicable).
- **按期率** = completed on time ÷ (completed + overdue): overdue items count against it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Q

from .models import Assignment

S = Assignment.Status


def due_soon_days() -> int:
    """How many days ahead an open item counts as 临期 (setting ``DUBAN_DUE_SOON_DAYS``)."""
    return int(settings.DUBAN_DUE_SOON_DAYS)


def due_soon_until(today: dt.date) -> dt.date:
    """The last due date that is still 临期 on ``today``."""
    return today + dt.timedelta(days=due_soon_days())


def open_q() -> Q:
    return Q(status__in=Assignment.OPEN_STATUSES)


def overdue_q(today: dt.date) -> Q:
    """Open items whose due date has passed."""
    return open_q() & Q(due_date__lt=today)


def due_soon_q(today: dt.date, days: int | None = None) -> Q:
    """Open items due from today up to ``days`` (default: the 临期 setting) ahead."""
    until = today + dt.timedelta(days=due_soon_days() if days is None else days)
    return open_q() & Q(due_date__gte=today, due_date__lte=until)


def on_time_q() -> Q:
    """Completed on or before the due date (in the site's time zone); no due date counts as on time."""
    return Q(status=S.COMPLETED) & (Q(due_date__isnull=True) | Q(completed_at__date__lte=F("due_date")))


def warning_level(assignment: Assignment, *, on: dt.date) -> str:
    """正常 / 临期 / 逾期 as 'normal' / 'due_soon' / 'overdue'; 'done' once submitted or closed."""
    if assignment.status in Assignment.CLOSED_STATUSES or assignment.status == S.SUBMITTED:
        return "done"
    if not assignment.due_date:
        return "normal"
    if assignment.due_date < on:
        return "overdue"
    if assignment.due_date <= due_soon_until(on):
        return "due_soon"
    return "normal"


class CompletionRates:
    """Mixin for tallies with ``total``, ``completed``, ``on_time``, ``overdue``, ``not_applicable``."""

    total: int
    completed: int
    on_time: int
    overdue: int
    not_applicable: int

    @property
    def completion_rate(self) -> float | None:
        """完成率 = completed ÷ (items − not applicable)."""
        base = self.total - self.not_applicable
        return self.completed / base if base else None

    @property
    def on_time_rate(self) -> float | None:
        """按期率 = completed on time ÷ (completed + overdue): overdue items count against it."""
        base = self.completed + self.overdue
        return self.on_time / base if base else None


def late_report_q(today: dt.date, prefix: str = "") -> Q:
    """迟报 (a late progress report): submitted after its round's due date, or still unsubmitted
    once the due date has passed (site time zone). ``prefix`` reaches the report through a relation
    (``"progress_reports__"``)."""
    from .models import ProgressReport

    R = ProgressReport.Status
    return Q(**{f"{prefix}status": R.SUBMITTED, f"{prefix}submitted_at__date__gt": F(f"{prefix}round__due_date")}) | Q(
        **{f"{prefix}status": R.DRAFT, f"{prefix}round__due_date__lt": today}
    )


def report_is_late(report, today: dt.date) -> bool:
    """``late_report_q`` for one report already read (its round loaded)."""
    from django.utils import timezone

    if report.status == "submitted":
        return report.submitted_at is not None and timezone.localdate(report.submitted_at) > report.round.due_date
    return report.round.due_date < today
