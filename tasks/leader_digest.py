"""The school leader's weekly digest: his departments' overdue, returned and extension items.

Planned through the reminder ledger like every reminder, so a re-run, a second scheduler or a
restart never sends it twice: one row per (item, reason, ISO week, leader), kinds
``weekly_overdue`` / ``weekly_returned`` / ``weekly_extension``, occurrence ``2026-W19``. A
leader's week is planned once, on the first working day of the week from ``DIGEST_HOUR`` on (a
window: a scan that runs later that week still plans it). Delivery sends one e-mail per leader
with every item of the week and adds one in-app notification; an item closed or archived before
delivery is left out.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance import selectors_leadership
from compliance.models import Assignment, Notification, ReminderDelivery, User

from .calendar import is_workday

logger = logging.getLogger(__name__)

D = ReminderDelivery
KINDS = {"overdue": "weekly_overdue", "returned": "weekly_returned", "extension": "weekly_extension"}
REASONS = {kind: reason for reason, kind in KINDS.items()}
DIGEST_HOUR = 8


def week_of(day: dt.date) -> str:
    """The ISO week a day belongs to, as the ledger's occurrence: 2026-W19."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def is_digest_time(now: dt.datetime) -> bool:
    """From DIGEST_HOUR on the week's first working day (and any later day of the week)."""
    local = timezone.localtime(now)
    today = local.date()
    if not is_workday(today):
        return False
    monday = today - dt.timedelta(days=today.weekday())
    first = next((monday + dt.timedelta(days=i) for i in range(7) if is_workday(monday + dt.timedelta(days=i))), today)
    return today > first or local.hour >= DIGEST_HOUR


def plan(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[D]:
    """Put this week's digest of every school leader who has none yet into the ledger; return the rows."""
    now = now or timezone.now()
    if not is_digest_time(now):
        return []
    today = timezone.localdate(now)
    occurrence = week_of(today)
    planned: list[D] = []
    leaders = User.objects.filter(role=User.Role.SCHOOL_LEADER, is_active=True).order_by("pk")
    for leader in leaders:
        recipient = f"user:{leader.pk}"
        if D.objects.filter(kind__in=KINDS.values(), occurrence=occurrence, recipient=recipient).exists():
            continue
        rows = [
            D(
                assignment_id=a.pk,
                kind=KINDS[reason],
                occurrence=occurrence,
                channel=D.Channel.EMAIL,
                recipient=recipient,
                user_id=leader.pk,
            )
            for reason, items in selectors_leadership.leader_attention(leader=leader, today=today).items()
            for a in items
        ]
        if rows and not dry_run:
            # Two schedulers planning at once insert the same rows: the unique constraint keeps one.
            D.objects.bulk_create(rows, ignore_conflicts=True)
        planned.extend(rows)
    return planned


@dataclass
class DigestEntry:
    reason: str  # overdue / returned / extension
    assignment: Assignment
    url: str


def _entries(rows: list[D], assignments: dict[int, Assignment]) -> list[DigestEntry]:
    from .notifiers import site_url

    entries = [
        DigestEntry(REASONS[r.kind], assignments[r.assignment_id], site_url("assignment_detail", r.assignment_id))
        for r in rows
    ]
    order = list(KINDS)
    return sorted(entries, key=lambda e: (e.assignment.department.order, order.index(e.reason), e.assignment.pk))


def render(*, leader: User, entries: list[DigestEntry], today: dt.date) -> EmailMultiAlternatives:
    """The weekly digest e-mail, in the site's language."""
    from .notifiers import site_url

    with translation.override(settings.LANGUAGE_CODE):
        counts = {reason: sum(1 for e in entries if e.reason == reason) for reason in KINDS}
        subject = _("【督办周报】分管部门 %(n)s 项事项需要关注（逾期 %(o)s、退回 %(r)s、延期申请 %(e)s）") % {
            "n": len(entries),
            "o": counts["overdue"],
            "r": counts["returned"],
            "e": counts["extension"],
        }
        labels = {"overdue": _("逾期"), "returned": _("已退回"), "extension": _("延期申请待审批")}
        context = {
            "user": leader,
            "today": today,
            "entries": [{"label": labels[e.reason], "a": e.assignment, "url": e.url} for e in entries],
            "tasks_url": site_url("task_list"),
            "counts": counts,
        }
        text = render_to_string("email/leader_digest.txt", context)
        html = render_to_string("email/leader_digest.html", context)
    msg = EmailMultiAlternatives(subject=subject, body=text, to=[leader.email])
    msg.attach_alternative(html, "text/html")
    return msg


def _summary(entries: list[DigestEntry], today: dt.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("本周督办摘要（%(d)s）：分管部门逾期 %(o)s 项、退回 %(r)s 项、延期申请待审批 %(e)s 项。") % {
            "d": today.isoformat(),
            "o": sum(1 for e in entries if e.reason == "overdue"),
            "r": sum(1 for e in entries if e.reason == "returned"),
            "e": sum(1 for e in entries if e.reason == "extension"),
        }


def deliver(
    rows: list[D], *, token: str, today: dt.date, mark_sent: Callable, mark_failed: Callable, mark_skipped: Callable
) -> dict[str, list[D]]:
    """Send each leader's claimed digest rows as one e-mail; return the rows by outcome.

    The ledger helpers of ``tasks.delivery`` record the outcome (a failed send stays pending and is
    retried after the lease).
    """
    outcomes: dict[str, list[D]] = {"sent": [], "pending": [], "skipped": []}
    assignments = Assignment.objects.select_related("requirement", "requirement__document", "department").in_bulk(
        {r.assignment_id for r in rows}
    )
    live = [r for r in rows if r.assignment_id in assignments and _still_relevant(assignments[r.assignment_id])]
    stale = [r for r in rows if r not in live]
    if stale:
        mark_skipped(stale, token, "closed or archived before the weekly digest went out")
        outcomes["skipped"] += stale
    by_leader: dict[int, list[D]] = {}
    for r in live:
        by_leader.setdefault(r.user_id, []).append(r)
    users = User.objects.in_bulk(list(by_leader))
    mail = get_connection()
    try:
        for user_id, group in by_leader.items():
            leader = users.get(user_id)
            if leader is None or not leader.is_active:
                mark_skipped(group, token, "recipient inactive or deleted")
                outcomes["skipped"] += group
                continue
            entries = _entries(group, assignments)
            now = timezone.now()
            if leader.email:
                try:
                    mail.send_messages([render(leader=leader, entries=entries, today=today)])
                except Exception as exc:
                    logger.warning("Weekly digest to %s failed; stays pending.", leader.username, exc_info=True)
                    mark_failed(group, token, f"{type(exc).__name__}: {exc}", permanent=False)
                    outcomes["pending"] += group
                    continue
            with transaction.atomic():
                mark_sent(group, token, now)
                Notification.objects.create(
                    user=leader, verb="leader_digest", message=_summary(entries, today)[:500], emailed_at=now
                )
            outcomes["sent"] += group
    finally:
        mail.close()
    return outcomes


def _still_relevant(a: Assignment) -> bool:
    return a.status not in Assignment.CLOSED_STATUSES and a.requirement.document.archived_at is None
