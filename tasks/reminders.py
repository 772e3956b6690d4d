"""Deadline reminders: a scanner that fills the delivery ledger, and a delivery loop that drains it.

Scanner (hourly): for every open assignment with a due date, decide which reminder is due
*today* with windows (``due_date - days <= today``), never an exact date, so a day of downtime
delays reminders instead of losing them; insert one ledger row per recipient and channel with
``ignore_conflicts`` so a re-run or a second scheduler inserts nothing new. Only the latest
applicable threshold is used: after downtime a unit gets the 7-day reminder, not 14 and 7.

Delivery (after each scan, and every 10 minutes): claim pending rows (a lease, with
``SKIP LOCKED`` on PostgreSQL), send ONE digest per recipient, then mark the rows sent. A failed
send leaves the rows pending (attempts + 1, last_error) and they are retried once the lease
expires. A worker killed between sending and marking leaves the rows pending: they are sent again
after the lease, so at most one batch can arrive twice and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from compliance.models import Assignment, Department, Membership, ReminderDelivery, User

from . import leader_digest, once
from .calendar import is_workday, workdays_after
from .delivery import (  # noqa: F401  (re-exported: the command and tests import them from here)
    CLAIM_BATCH,
    DeliveryLine,
    DeliveryReport,
    _claim,
    deliver_pending,
    deliver_robot_rows,
    describe_rows,
)

logger = logging.getLogger(__name__)

D = ReminderDelivery
SCAN_BATCH = 5000


# --- which reminder is due -------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderPolicy:
    """The configurable thresholds (see DUBAN_* settings)."""

    days_before: tuple[int, ...] = (14, 7, 3, 1)
    repeat_workdays: int = 3
    head_after_days: int = 3
    leader_after_days: int = 10

    @classmethod
    def from_settings(cls) -> ReminderPolicy:
        return cls(
            days_before=tuple(sorted({int(d) for d in settings.DUBAN_REMINDER_DAYS_BEFORE if int(d) > 0})),
            repeat_workdays=max(1, int(settings.DUBAN_OVERDUE_REPEAT_WORKDAYS)),
            head_after_days=int(settings.DUBAN_ESCALATE_HEAD_AFTER_DAYS),
            leader_after_days=int(settings.DUBAN_ESCALATE_LEADER_AFTER_DAYS),
        )

    @property
    def horizon_days(self) -> int:
        return max(self.days_before, default=0)


UNIT, HEAD, LEADERS = "unit", "head", "leaders"


@dataclass(frozen=True)
class DueReminder:
    kind: str
    audience: str  # UNIT (liaison, members, robots), HEAD, or LEADERS (school leader, administrators)


def reminders_due(*, due_date: dt.date, today: dt.date, policy: ReminderPolicy) -> list[DueReminder]:
    """The reminders due for a deadline on ``today`` (a working day), by window, not equality."""
    days_left = (due_date - today).days
    if days_left > 0:
        # The latest threshold already reached (smallest d with due - d <= today), and only it.
        reached = [d for d in policy.days_before if d >= days_left]
        return [DueReminder(f"before_{min(reached)}", UNIT)] if reached else []
    if days_left == 0:
        return [DueReminder("due_today", UNIT)]
    # Lateness is counted in working days, as offices count it (逾期 3 个工作日): a deadline just
    # before the golden week is not escalated on the first day back.
    # The 1st overdue reminder goes out on the first working day after the deadline, then one
    # every N working days; the sequence number names the reminder, so each goes out once.
    worked = workdays_after(due_date, today)
    due: list[DueReminder] = []
    if worked >= 1:
        due.append(DueReminder(f"overdue_{(worked - 1) // policy.repeat_workdays + 1}", UNIT))
    if worked >= policy.head_after_days:
        due.append(DueReminder("escalate_head", HEAD))
    if worked >= policy.leader_after_days:
        due.append(DueReminder("escalate_leader", LEADERS))
    return due


# --- who receives it --------------------------------------------------------------------------


class Directory:
    """Departments, their people and robots, and the administrators: read once per scan."""

    def __init__(self) -> None:
        self.departments: dict[int, Department] = {
            d.pk: d
            for d in Department.objects.only(
                "id", "name", "liaison_id", "head_id", "school_leader_id", "wecom_webhook", "dingtalk_webhook"
            )
        }
        self.active_users: set[int] = set(User.objects.filter(is_active=True).values_list("id", flat=True))
        members: dict[int, set[int]] = defaultdict(set)
        for user_id, dept_id in Membership.objects.values_list("user_id", "department_id"):
            if user_id in self.active_users:
                members[dept_id].add(user_id)
        self.unit: dict[int, tuple[int, ...]] = {}
        for dept_id, dept in self.departments.items():
            people = set(members.get(dept_id, ()))
            if dept.liaison_id in self.active_users:
                people.add(dept.liaison_id)
            self.unit[dept_id] = tuple(sorted(people))
        self.admins: tuple[int, ...] = tuple(
            sorted(User.objects.filter(is_active=True, role=User.Role.ADMINISTRATOR).values_list("id", flat=True))
        )
        self._robots: dict[int, tuple[str, ...]] = {
            dept_id: tuple(
                c
                for c, url in ((D.Channel.WECOM.value, d.wecom_webhook), (D.Channel.DINGTALK.value, d.dingtalk_webhook))
                if url
            )
            for dept_id, d in self.departments.items()
        }
        self._recipients: dict[tuple[str, int, int | None], tuple[tuple[str, str, int | None], ...]] = {}

    def robots(self, dept_id: int) -> tuple[str, ...]:
        return self._robots.get(dept_id, ())

    def recipients(
        self, audience: str, dept_id: int, requirement_leader_id: int | None
    ) -> tuple[tuple[str, str, int | None], ...]:
        """(channel, recipient, user id) of every ledger row one reminder needs, remembered per
        audience, department and school leader (a scan asks the same question thousands of times)."""
        key = (audience, dept_id, requirement_leader_id)
        known = self._recipients.get(key)
        if known is None:
            email = D.Channel.EMAIL.value
            rows = [(email, f"user:{u}", u) for u in self.users_for(audience, dept_id, requirement_leader_id)]
            if audience == UNIT:
                rows += [(channel, f"dept:{dept_id}", None) for channel in self.robots(dept_id)]
            known = self._recipients[key] = tuple(rows)
        return known

    def users_for(self, audience: str, dept_id: int, requirement_leader_id: int | None) -> tuple[int, ...]:
        dept = self.departments.get(dept_id)
        if audience == UNIT:
            return self.unit.get(dept_id, ())
        if audience == HEAD:
            return (dept.head_id,) if dept and dept.head_id in self.active_users else ()
        people = set(self.admins)
        for leader in (requirement_leader_id, dept.school_leader_id if dept else None):
            if leader in self.active_users:
                people.add(leader)
        return tuple(sorted(people))


# --- the scanner ------------------------------------------------------------------------------


class Planned(NamedTuple):
    """A ledger row to be: planned as a plain tuple, because 100,000 model instances cost seconds."""

    assignment_id: int
    kind: str
    occurrence: str
    channel: str
    recipient: str
    user_id: int | None


@dataclass
class ScanReport:
    today: dt.date
    workday: bool = True
    assignments: int = 0
    planned: list[Planned] = field(default_factory=list)  # new rows (inserted, or only planned on a dry run)
    batches: int = 0


def _open_batches(today: dt.date, horizon: int, batch: int) -> Iterator[list[tuple[int, int, dt.date, int | None]]]:
    """Open assignments with a deadline inside the reminder horizon, in id order, a page at a time.

    One query read through a server-side cursor (PostgreSQL; Django's iterator elsewhere): keyset
    pages ran the join to requirements and documents once a page (0.3 s of a 1.1 s first scan at
    100,000 assignments).
    """
    qs = (
        Assignment.objects.filter(
            status__in=Assignment.OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=horizon),
            # An archived document's items are finished business: no reminders.
            requirement__document__archived_at__isnull=True,
        )
        .order_by("id")
        .values_list("id", "department_id", "due_date", "requirement__school_leader_id")
    )
    page: list[tuple[int, int, dt.date, int | None]] = []
    for row in qs.iterator(chunk_size=batch):
        page.append(row)
        if len(page) == batch:
            yield page
            page = []
    if page:
        yield page


_LEDGER_FIELDS = (
    "assignment",
    "kind",
    "occurrence",
    "channel",
    "recipient",
    "user",
    "status",
    "attempts",
    "last_error",
)
SCAN_LOCK = 0x5343414E  # pg advisory lock: one scanner at a time reads and writes a page of the ledger


def _copy(rows: list[Planned]) -> None:
    """Put ledger rows in with COPY (PostgreSQL): the fastest way in, with no per-row conflict check.

    The caller holds SCAN_LOCK from reading what the page already has until the rows are in, so
    nothing collides; if something still does (a writer that did not take the lock) the COPY
    raises IntegrityError, the page's transaction rolls back and the caller inserts it again with
    _insert.
    """
    meta = D._meta
    columns = ", ".join([*(meta.get_field(f).column for f in _LEDGER_FIELDS), "claim_token", "created_at"])
    # COPY's text format, built in one go (write_row cost 4 µs a row): tab-separated, \N for NULL.
    # Kinds, ISO dates, channels and "user:N"/"dept:N" recipients hold no backslash, tab or
    # newline; should one ever, the rows go through write_row, which escapes.
    tail = f"\t{D.Status.PENDING.value}\t0\t\t\t{timezone.now().isoformat()}\n"
    null = "\\N"
    data = "".join(f"{a}\t{k}\t{o}\t{c}\t{r}\t{null if u is None else u}{tail}" for a, k, o, c, r, u in rows)
    plain = (
        data.count("\n") == len(rows)
        and data.count("\t") == 10 * len(rows)
        and data.count("\\") == sum(1 for row in rows if row.user_id is None)
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as copy:
            if plain:
                copy.write(data.encode())
            else:
                now = timezone.now()
                for row in rows:
                    copy.write_row((*row, D.Status.PENDING.value, 0, "", "", now))


def _insert(rows: list[Planned]) -> None:
    """Insert ledger rows, silently skipping any another scanner inserted first."""
    D.objects.bulk_create([D(**row._asdict()) for row in rows], ignore_conflicts=True, batch_size=500)


def _plan_batch(
    rows: list[tuple[int, int, dt.date, int | None]], *, due_for: DueFor, directory: Directory
) -> list[Planned]:
    """The ledger rows this page of open assignments needs and does not have yet."""
    due_now = [
        (a_id, dept_id, leader_id, occurrence, rem)
        for a_id, dept_id, due, leader_id in rows
        for occurrence, reminders in (due_for(due),)
        for rem in reminders
    ]
    if not due_now:
        return []
    # After the first scan of the day most reminders are already in the ledger: read which
    # (assignment, kind, occurrence) this page of ids has (one query, a small result) and
    # expand only the others into recipients. A reminder is written for all its recipients
    # in one statement, so "any row" means "all rows"; someone who joins a unit later gets
    # its next reminder. The unique constraint still decides when two scanners race.
    done = set(
        D.objects.filter(
            assignment_id__gte=rows[0][0],
            assignment_id__lte=rows[-1][0],
            kind__in={rem.kind for *_rest, rem in due_now},
        )
        .values_list("assignment_id", "kind", "occurrence")
        .distinct()
    )
    new: list[Planned] = []
    for a_id, dept_id, leader_id, occurrence, rem in due_now:
        if (a_id, rem.kind, occurrence) in done:
            continue
        kind = rem.kind
        new.extend(
            Planned(a_id, kind, occurrence, channel, recipient, user_id)
            for channel, recipient, user_id in directory.recipients(rem.audience, dept_id, leader_id)
        )
    return new


class DueFor:
    """reminders_due for one scan's day and policy, remembered per due date (many items share one)."""

    def __init__(self, today: dt.date, policy: ReminderPolicy) -> None:
        self.today, self.policy = today, policy
        self.known: dict[dt.date, tuple[str, list[DueReminder]]] = {}

    def __call__(self, due_date: dt.date) -> tuple[str, list[DueReminder]]:
        """The occurrence (the due date as text) and the reminders due for it."""
        if due_date not in self.known:
            due = reminders_due(due_date=due_date, today=self.today, policy=self.policy)
            self.known[due_date] = (due_date.isoformat(), due)
        return self.known[due_date]


def _scan_page(rows: list, *, due_for: DueFor, directory: Directory, dry_run: bool) -> list:
    """Plan one page of open assignments and write what the ledger lacks.

    On PostgreSQL reading what the page has and writing what it lacks happen under one lock, so a
    second scanner waits and then finds the rows instead of racing for them, and the rows go in by
    COPY; elsewhere (or after a collision) by INSERT ... ON CONFLICT DO NOTHING.
    """
    if dry_run:
        return _plan_batch(rows, due_for=due_for, directory=directory)
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK])
                new = _plan_batch(rows, due_for=due_for, directory=directory)
                if new:
                    _copy(new)
            return new
        except IntegrityError:
            logger.warning("Reminder ledger: a page collided with rows written meanwhile; inserting it again")
    new = _plan_batch(rows, due_for=due_for, directory=directory)
    if new:
        _insert(new)
    return new


def scan(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    policy: ReminderPolicy | None = None,
    batch: int = SCAN_BATCH,
) -> ScanReport:
    """Put every reminder due at ``now`` into the ledger (or, on a dry run, only list them)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    policy = policy or ReminderPolicy.from_settings()
    report = ScanReport(today=today)
    if not is_workday(today):
        # No reminders on weekends and official holidays; the next working day catches up,
        # because the windows include every day since.
        report.workday = False
        return report
    directory = Directory()
    due_for = DueFor(today, policy)
    for rows in _open_batches(today, policy.horizon_days, batch):
        report.batches += 1
        report.assignments += len(rows)
        new = _scan_page(rows, due_for=due_for, directory=directory, dry_run=dry_run)
        report.planned.extend(new)
    return report


# --- Celery adapters --------------------------------------------------------------------------


# A database error (a locked SQLite file, a restart) is retried with growing waits; the ledger
# makes a repeated scan or delivery safe.
@shared_task(
    name="tasks.reminders.scan_reminders",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def scan_reminders(now_iso: str | None = None, slot_seconds: int | None = None) -> dict:
    """Hourly: start due recurring occurrences, fill the ledger, deliver what is pending.

    ``slot_seconds`` (sent by beat): run once per slot however many schedulers send it.
    """
    with once.once_per_slot("scan_reminders", slot_seconds) as first:
        return _scan_and_deliver(now_iso) if first else once.skipped("scan_reminders")


def _scan_and_deliver(now_iso: str | None) -> dict:
    from compliance.services.recurrence import recurrence_create_due

    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    created = recurrence_create_due(today=timezone.localdate(now))
    report = scan(now=now)
    leader_digest.plan(now=now)
    delivered = deliver_pending(today=report.today, defer_robots=True)
    return {
        "occurrences": len(created),
        "planned": len(report.planned),
        "sent": delivered.count("sent"),
        "pending": delivered.count("pending"),
    }


@shared_task(
    name="tasks.reminders.deliver_pending",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_pending_task(slot_seconds: int | None = None) -> dict:
    """Every 10 minutes: retry pending reminders and sweep status-change e-mails left unsent."""
    with once.once_per_slot("deliver_pending", slot_seconds) as first:
        if not first:
            return once.skipped("deliver_pending")
        delivered = deliver_pending(defer_robots=True)
    return {
        "sent": delivered.count("sent"),
        "pending": delivered.count("pending"),
        "notification_emails": delivered.notification_emails,
    }
