"""Delivery of the reminder ledger: claim pending rows, send one digest per recipient, record it.

Claim pending rows (a lease, with ``SKIP LOCKED`` on PostgreSQL), send ONE digest per recipient,
then mark the rows sent. A failed send leaves the rows pending (attempts + 1, last_error) and they
are retried once the lease expires. A worker killed between sending and marking leaves the rows
pending: they are sent again after the lease, so at most one batch can arrive twice and nothing is
lost. Rows of a school leader's weekly digest are handed to ``tasks.leader_digest``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Assignment, Department, Notification, ReminderDelivery, User

from . import leader_digest, notifiers

logger = logging.getLogger(__name__)

D = ReminderDelivery
CLAIM_BATCH = 500


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


def describe_rows(rows: list[D] | list, outcome: str, emit: Callable[[DeliveryLine], None]) -> None:
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

    weekly = [r for r in rows if r.kind in leader_digest.REASONS]
    if weekly:
        rows = [r for r in rows if r.kind not in leader_digest.REASONS]
        done = leader_digest.deliver(
            weekly,
            token=token,
            today=today,
            mark_sent=_mark_sent,
            mark_failed=_mark_failed,
            mark_skipped=_mark_skipped,
        )
        for outcome, group in done.items():
            lines(group, outcome)
        report.digests += len({r.user_id for r in done["sent"]})
    stale = [r for r in rows if not _still_due(r, assignments.get(r.assignment_id))]
    if stale:
        _mark_skipped(stale, token, "closed or due date changed before delivery")
        lines(stale, "skipped")
    live = [r for r in rows if _still_due(r, assignments.get(r.assignment_id))]
    groups: dict[tuple[str, str], list[D]] = defaultdict(list)
    for r in live:
        groups[(r.channel, r.recipient)].append(r)

    mail = _LazyMail()
    try:
        for (channel, recipient), group in sorted(groups.items()):
            if channel == D.Channel.EMAIL:
                _deliver_email(group, users, assignments, token, today, now, report, lines, mail, defer_robots)
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
        mail.close()


class _LazyMail:
    """One SMTP connection for a batch, opened at the first e-mail."""

    def __init__(self) -> None:
        self._connection = None

    def send(self, message) -> None:
        if self._connection is None:
            from django.core.mail import get_connection

            self._connection = get_connection()
        self._connection.send_messages([message])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def _deliver_email(group, users, assignments, token, today, now, report, lines, mail, defer_robots) -> None:
    """One digest e-mail (and its in-app copies) for one user's claimed rows."""
    user = users.get(group[0].user_id) if group[0].user_id else None
    if user is None or not user.is_active:
        _mark_skipped(group, token, "recipient inactive or deleted")
        lines(group, "skipped")
        return
    items = notifiers.digest_items(((assignments[r.assignment_id], r.kind) for r in group), today=today)
    if user.email:
        try:
            mail.send(notifiers.render_digest(user=user, items=items, today=today))
        except Exception as exc:
            logger.warning("Reminder digest to %s failed; stays pending.", user.username, exc_info=True)
            _mark_failed(group, token, f"{type(exc).__name__}: {exc}", permanent=False)
            lines(group, "pending", f"{type(exc).__name__}: {exc}")
            return
        report.digests += 1
    # The ledger and the in-app copies change together; without an e-mail address the in-app
    # notification is the delivery.
    with transaction.atomic():
        _mark_sent(group, token, now)
        Notification.objects.bulk_create(_reminder_notifications(user, items, now))
    lines(group, "sent")
    notifiers.person_digest(user=user, items=items, today=today, defer=defer_robots)


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
