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
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Assignment, Department, Membership, Notification, ReminderDelivery, User

from . import notifiers
from .calendar import is_workday, workdays_after

logger = logging.getLogger(__name__)

D = ReminderDelivery
SCAN_BATCH = 5000
CLAIM_BATCH = 500


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

    def robots(self, dept_id: int) -> tuple[str, ...]:
        return self._robots.get(dept_id, ())

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
    """Open assignments with a deadline inside the reminder horizon, in id order (keyset pages)."""
    qs = (
        Assignment.objects.filter(
            status__in=Assignment.OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=horizon),
        )
        .order_by("id")
        .values_list("id", "department_id", "due_date", "requirement__school_leader_id")
    )
    last = 0
    while True:
        rows = list(qs.filter(id__gt=last)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _insert(rows: list[Planned]) -> None:
    """Insert ledger rows, silently skipping any another scanner inserted first (one statement)."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        # unnest() of one array per column: a single round trip and no model instances.
        meta = D._meta
        columns = ", ".join(
            meta.get_field(f).column
            for f in (
                "assignment",
                "kind",
                "occurrence",
                "channel",
                "recipient",
                "user",
                "status",
                "attempts",
                "last_error",
                "claim_token",
                "created_at",
            )
        )
        a, k, o, c, r, u = (list(col) for col in zip(*rows, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {meta.db_table} ({columns}) "
                "SELECT a, k, o, c, r, u, %s, 0, '', '', %s FROM unnest("
                "%s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[], %s::bigint[]"
                ") AS t(a, k, o, c, r, u) ON CONFLICT DO NOTHING",
                [D.Status.PENDING.value, now, a, k, o, c, r, u],
            )
    else:
        D.objects.bulk_create([D(**row._asdict()) for row in rows], ignore_conflicts=True, batch_size=500)


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
    email = D.Channel.EMAIL.value
    for rows in _open_batches(today, policy.horizon_days, batch):
        report.batches += 1
        report.assignments += len(rows)
        due_now = [
            (a_id, dept_id, leader_id, due.isoformat(), rem)
            for a_id, dept_id, due, leader_id in rows
            for rem in reminders_due(due_date=due, today=today, policy=policy)
        ]
        if not due_now:
            continue
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
            for user_id in directory.users_for(rem.audience, dept_id, leader_id):
                new.append(Planned(a_id, rem.kind, occurrence, email, f"user:{user_id}", user_id))
            if rem.audience == UNIT:
                for channel in directory.robots(dept_id):
                    new.append(Planned(a_id, rem.kind, occurrence, channel, f"dept:{dept_id}", None))
        if new and not dry_run:
            _insert(new)
        report.planned.extend(new)
    return report


# --- delivery ---------------------------------------------------------------------------------


@dataclass
class DeliveryLine:
    """One delivery, as printed by ``send_reminders``."""

    outcome: str  # sent / failed / pending / skipped / would-send / queued
    channel: str
    recipient: str
    kind: str
    assignment_id: int
    title: str
    error: str = ""

    def format(self) -> str:
        title = " ".join(self.title.split())
        line = "\t".join([self.outcome, self.channel, self.recipient, self.kind, str(self.assignment_id), title])
        # One line per delivery, whatever an SMTP server put in its error message.
        error = " ".join(self.error.split())
        return f"{line}\t{error}" if error else line


@dataclass
class DeliveryReport:
    lines: list[DeliveryLine] = field(default_factory=list)
    digests: int = 0
    notification_emails: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.DUBAN_DELIVERY_LEASE_SECONDS)


def _claim(limit: int) -> tuple[str, list[D]]:
    """Atomically take up to ``limit`` pending rows whose lease is free; return (token, rows)."""
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _lease())
    token = uuid.uuid4().hex
    with transaction.atomic():
        qs = (
            D.objects.filter(free, status=D.Status.PENDING)
            .exclude(kind__startswith=D.REPORT_KIND_PREFIX)
            .order_by("id")
        )
        if connection.features.has_select_for_update_skip_locked:
            # Two delivery workers never wait on each other, nor take the same rows.
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("id", flat=True)[:limit])
        if not ids:
            return token, []
        # The conditions are repeated so that, without row locks (SQLite), a row another worker
        # claimed in between is not taken twice.
        D.objects.filter(free, id__in=ids, status=D.Status.PENDING).update(claimed_at=now, claim_token=token)
    return token, list(D.objects.filter(claim_token=token, status=D.Status.PENDING).order_by("id"))


def _mark_sent(rows: list[D], token: str, now: dt.datetime) -> None:
    D.objects.filter(id__in=[r.pk for r in rows], claim_token=token, status=D.Status.PENDING).update(
        status=D.Status.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
    )


def _mark_failed(rows: list[D], token: str, error: str, *, permanent: bool) -> None:
    """Record a failed attempt; a transient failure stays pending (retried after the lease)."""
    update: dict = {"attempts": F("attempts") + 1, "last_error": error[:2000]}
    if permanent:
        update["status"] = D.Status.FAILED
    D.objects.filter(id__in=[r.pk for r in rows], claim_token=token, status=D.Status.PENDING).update(**update)


def _mark_skipped(rows: list[D], token: str, reason: str) -> None:
    D.objects.filter(id__in=[r.pk for r in rows], claim_token=token, status=D.Status.PENDING).update(
        status=D.Status.SKIPPED, last_error=reason
    )


def _load_assignments(ids: set[int]) -> dict[int, Assignment]:
    return Assignment.objects.select_related("requirement", "requirement__document", "department").in_bulk(ids)


def _still_due(row: D, a: Assignment | None) -> bool:
    """A row is stale when its item closed or its due date changed before delivery."""
    return a is not None and a.is_open and a.due_date is not None and a.due_date.isoformat() == row.occurrence


def _recipient_label(channel: str, recipient: str, users: dict[int, User], depts: dict[int, Department]) -> str:
    prefix, _sep, value = recipient.partition(":")
    if prefix == "user" and int(value) in users:
        u = users[int(value)]
        return f"{u.username} <{u.email}>" if u.email else u.username
    if prefix == "dept" and int(value) in depts:
        return f"{depts[int(value)].name}"
    return recipient


def _reminder_notifications(user: User, items: list[notifiers.DigestItem], now: dt.datetime) -> list[Notification]:
    # The in-app copy of a reminder; already "e-mailed", since the digest is that e-mail.
    return [
        Notification(
            user=user,
            assignment_id=i.assignment_id,
            verb="reminder",
            emailed_at=now,
            message=(
                _("提醒：“%(t)s”%(s)s（完成时限 %(d)s）") % {"t": i.title, "s": i.state, "d": i.due_date.isoformat()}
            )[:500],
        )
        for i in items
    ]


def deliver_pending(
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    defer_robots: bool = False,
    send_notifications: bool = True,
    on_line: Callable[[DeliveryLine], None] | None = None,
) -> DeliveryReport:
    """Send every pending ledger row: one digest e-mail per user, one robot message per department.

    ``defer_robots`` hands robot messages to a Celery task that retries network errors with
    backoff (in a worker); otherwise they are sent here and a network error waits for the lease.
    """
    today = today or timezone.localdate()
    report = DeliveryReport()

    def emit(line: DeliveryLine) -> None:
        report.lines.append(line)
        if on_line is not None:
            on_line(line)

    if dry_run:
        _preview_pending(today, emit)
        return report
    while True:
        token, rows = _claim(CLAIM_BATCH)
        if not rows:
            break
        _deliver_batch(rows, token, today, report, emit, defer_robots)
    if send_notifications:
        report.notification_emails = notifiers.notification_emails_send()
    return report


def _preview_pending(today: dt.date, emit: Callable[[DeliveryLine], None]) -> None:
    now = timezone.now()
    rows = list(
        D.objects.filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _lease()), status=D.Status.PENDING)
        .exclude(kind__startswith=D.REPORT_KIND_PREFIX)
        .order_by("id")[:10000]
    )
    describe_rows(rows, "would-send", emit)


def describe_rows(rows: list[D] | list[Planned], outcome: str, emit: Callable[[DeliveryLine], None]) -> None:
    assignments = _load_assignments({r.assignment_id for r in rows})
    users = User.objects.in_bulk({r.user_id for r in rows if r.user_id})
    depts = Department.objects.in_bulk({a.department_id for a in assignments.values()})
    for r in rows:
        a = assignments.get(r.assignment_id)
        emit(
            DeliveryLine(
                outcome,
                r.channel,
                _recipient_label(r.channel, r.recipient, users, depts),
                r.kind,
                r.assignment_id,
                notifiers.assignment_title(a) if a else "",
            )
        )


def _deliver_batch(
    rows: list[D],
    token: str,
    today: dt.date,
    report: DeliveryReport,
    emit: Callable[[DeliveryLine], None],
    defer_robots: bool,
) -> None:
    now = timezone.now()
    assignments = _load_assignments({r.assignment_id for r in rows})
    users = User.objects.in_bulk({r.user_id for r in rows if r.user_id})
    depts = {a.department_id: a.department for a in assignments.values()}

    def lines(group: list[D], outcome: str, error: str = "") -> None:
        for r in group:
            a = assignments.get(r.assignment_id)
            emit(
                DeliveryLine(
                    outcome,
                    r.channel,
                    _recipient_label(r.channel, r.recipient, users, depts),
                    r.kind,
                    r.assignment_id,
                    notifiers.assignment_title(a) if a else "",
                    error,
                )
            )

    stale = [r for r in rows if not _still_due(r, assignments.get(r.assignment_id))]
    if stale:
        _mark_skipped(stale, token, "closed or due date changed before delivery")
        lines(stale, "skipped")
    live = [r for r in rows if _still_due(r, assignments.get(r.assignment_id))]
    groups: dict[tuple[str, str], list[D]] = defaultdict(list)
    for r in live:
        groups[(r.channel, r.recipient)].append(r)

    mail = None
    try:
        for (channel, recipient), group in sorted(groups.items()):
            if channel == D.Channel.EMAIL:
                user = users.get(group[0].user_id) if group[0].user_id else None
                if user is None or not user.is_active:
                    _mark_skipped(group, token, "recipient inactive or deleted")
                    lines(group, "skipped")
                    continue
                items = notifiers.digest_items(((assignments[r.assignment_id], r.kind) for r in group), today=today)
                if user.email:
                    if mail is None:
                        from django.core.mail import get_connection

                        mail = get_connection()
                    try:
                        mail.send_messages([notifiers.render_digest(user=user, items=items, today=today)])
                    except Exception as exc:
                        logger.warning("Reminder digest to %s failed; stays pending.", user.username, exc_info=True)
                        _mark_failed(group, token, f"{type(exc).__name__}: {exc}", permanent=False)
                        lines(group, "pending", f"{type(exc).__name__}: {exc}")
                        continue
                    report.digests += 1
                # The ledger and the in-app copies change together; without an e-mail address
                # the in-app notification is the delivery.
                with transaction.atomic():
                    _mark_sent(group, token, now)
                    Notification.objects.bulk_create(_reminder_notifications(user, items, now))
                lines(group, "sent")
                notifiers.person_digest(user=user, items=items, today=today, defer=defer_robots)
            elif defer_robots:
                try:
                    notifiers.send_robot_digest.delay([r.pk for r in group], token)
                except Exception as exc:
                    logger.warning("Could not queue robot message for %s.", recipient, exc_info=True)
                    _mark_failed(group, token, f"enqueue: {exc}", permanent=False)
                    lines(group, "pending", str(exc))
                    continue
                lines(group, "queued")
            else:
                outcome = deliver_robot_rows(row_ids=[r.pk for r in group], claim_token=token)
                lines(group, outcome)
    finally:
        if mail is not None:
            mail.close()


def deliver_robot_rows(*, row_ids: list[int], claim_token: str, raise_network_errors: bool = False) -> str:
    """Send one robot message for claimed rows of one department and channel; return the outcome.

    errcode != 0 is permanent (rows failed, not retried). A network error leaves the rows
    pending; with ``raise_network_errors`` it is re-raised for Celery's autoretry.
    """
    rows = list(D.objects.filter(id__in=row_ids, claim_token=claim_token, status=D.Status.PENDING))
    if not rows:
        return "gone"  # re-claimed by another run after the lease, or already sent
    channel = rows[0].channel
    dept = Department.objects.get(pk=int(rows[0].recipient.partition(":")[2]))
    url = dept.wecom_webhook if channel == D.Channel.WECOM else dept.dingtalk_webhook
    if not url:
        _mark_skipped(rows, claim_token, "webhook removed")
        return "skipped"
    assignments = _load_assignments({r.assignment_id for r in rows})
    today = timezone.localdate()
    items = notifiers.digest_items(((assignments[r.assignment_id], r.kind) for r in rows), today=today)
    title, markdown = notifiers.robot_markdown(items=items, today=today)
    try:
        notifiers.robot_send(channel=channel, url=url, title=title, markdown=markdown)
    except notifiers.ROBOT_NETWORK_ERRORS as exc:
        _mark_failed(rows, claim_token, f"{type(exc).__name__}: {exc}", permanent=False)
        if raise_network_errors:
            raise
        return "pending"
    except notifiers.RobotRejectedError as exc:
        logger.warning("Robot %s of %s refused the message: %s", channel, dept.name, exc)
        _mark_failed(rows, claim_token, str(exc), permanent=True)
        return "failed"
    _mark_sent(rows, claim_token, timezone.now())
    return "sent"


# --- Celery adapters --------------------------------------------------------------------------


@shared_task(name="tasks.reminders.scan_reminders", acks_late=True)
def scan_reminders(now_iso: str | None = None) -> dict:
    """Hourly: start due recurring occurrences, fill the ledger, deliver what is pending."""
    from compliance.services.recurrence import recurrence_create_due

    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    created = recurrence_create_due(today=timezone.localdate(now))
    report = scan(now=now)
    delivered = deliver_pending(today=report.today, defer_robots=True)
    return {
        "occurrences": len(created),
        "planned": len(report.planned),
        "sent": delivered.count("sent"),
        "pending": delivered.count("pending"),
    }


@shared_task(name="tasks.reminders.deliver_pending", acks_late=True)
def deliver_pending_task() -> dict:
    """Every 10 minutes: retry pending reminders and sweep status-change e-mails left unsent."""
    delivered = deliver_pending(defer_robots=True)
    return {
        "sent": delivered.count("sent"),
        "pending": delivered.count("pending"),
        "notification_emails": delivered.notification_emails,
    }
