"""Reminders about progress reports, through the reminder ledger (ReminderDelivery).

Scanner: for every draft report of an open round, the reminder due *today* by window: the latest
of ``DUBAN_REPORT_REMIND_DAYS_BEFORE`` reached (``report_due_3``, ``report_due_1``), ``report_due_0``
on the due date, then ``report_late_1`` on the first working day after it and one more every
``DUBAN_OVERDUE_REPEAT_WORKDAYS`` working days (``report_late_2`` …). One ledger row per
(assignment, kind, "round:<id>", e-mail, person of the department): the unique constraint makes
re-runs and restarts insert nothing twice, and a day without runs is caught up on the next.

Sender: claims pending report rows under a lease (like tasks.reminders), sends each person one
e-mail listing their reports and adds the in-app notifications, then marks the rows sent; a report
submitted (or a round closed) before that is skipped. A failed e-mail leaves the rows pending.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.models import Notification, ProgressReport, ReminderDelivery, ReportRound, User
from compliance.services.reports import round_open_due

from . import once
from .calendar import is_workday, workdays_after
from .notifiers import site_url
from .reminders import Directory

logger = logging.getLogger(__name__)
D = ReminderDelivery
PREFIX = D.REPORT_KIND_PREFIX


def occurrence(rnd_id: int) -> str:
    return f"round:{rnd_id}"


def report_reminder_due(*, due_date: dt.date, today: dt.date) -> str | None:
    """The report reminder due on ``today`` (a working day), by window; None when none is."""
    days_left = (due_date - today).days
    if days_left > 0:
        reached = [d for d in settings.DUBAN_REPORT_REMIND_DAYS_BEFORE if int(d) >= days_left]
        return f"{PREFIX}due_{min(int(d) for d in reached)}" if reached else None
    if days_left == 0:
        return f"{PREFIX}due_0"
    worked = workdays_after(due_date, today)
    if worked < 1:
        return None
    return f"{PREFIX}late_{(worked - 1) // max(1, settings.DUBAN_OVERDUE_REPEAT_WORKDAYS) + 1}"


def scan_report_reminders(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[D]:
    """Put the report reminders due now into the ledger; return the rows planned."""
    today = timezone.localdate(now or timezone.now())
    if not is_workday(today):
        return []
    directory = Directory()
    drafts = ProgressReport.objects.filter(
        status=ProgressReport.Status.DRAFT, round__status=ReportRound.Status.OPEN
    ).values_list("assignment_id", "department_id", "round_id", "round__due_date")
    planned = []
    for assignment_id, dept_id, round_id, due in drafts.iterator():
        kind = report_reminder_due(due_date=due, today=today)
        if kind is None:
            continue
        for user_id in directory.users_for("unit", dept_id, None):
            planned.append(
                D(
                    assignment_id=assignment_id,
                    kind=kind,
                    occurrence=occurrence(round_id),
                    channel=D.Channel.EMAIL,
                    recipient=f"user:{user_id}",
                    user_id=user_id,
                )
            )
    if planned and not dry_run:
        D.objects.bulk_create(planned, ignore_conflicts=True, batch_size=500)
    return planned


def _claim() -> tuple[str, list[D]]:
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.DUBAN_DELIVERY_LEASE_SECONDS)
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease)
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            D.objects.filter(free, status=D.Status.PENDING, kind__startswith=PREFIX)
            .order_by("id")
            .values_list("id", flat=True)[:500]
        )
        D.objects.filter(free, id__in=ids, status=D.Status.PENDING).update(claimed_at=now, claim_token=token)
    return token, list(D.objects.filter(claim_token=token, status=D.Status.PENDING).order_by("id"))


def _message(user: User, reports: list[ProgressReport]) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        late = sum(1 for r in reports if r.round.due_date < timezone.localdate())
        subject = _("【进展报送提醒】%(n)s 项进展待报送") % {"n": len(reports)}
        if late:
            subject += _("，其中 %(n)s 项已超过截止日期") % {"n": late}
        lines = [
            _("%(name)s，您好：") % {"name": user},
            "",
            _("以下事项的进展尚未报送，请及时填报并提交："),
            "",
        ]
        for r in reports:
            req = r.assignment.requirement
            due = _("截止 %(d)s") % {"d": r.round.due_date.isoformat()}
            lines.append(f"- {r.round.title}｜{req.heading or req.text[:40]}｜{due}｜{site_url('report_edit', r.pk)}")
        return EmailMultiAlternatives(subject=subject, body="\n".join(lines), to=[user.email])


def deliver_report_reminders() -> dict[str, int]:
    """Send every pending report reminder: one e-mail per person, in-app copies, rows marked."""
    counts = {"sent": 0, "skipped": 0, "pending": 0}
    while True:
        token, rows = _claim()
        if not rows:
            return counts
        reports = {
            (r.assignment_id, r.round_id): r
            for r in ProgressReport.objects.select_related("round", "assignment__requirement").filter(
                assignment_id__in={row.assignment_id for row in rows}
            )
        }
        by_user: dict[int, list[tuple[D, ProgressReport]]] = defaultdict(list)
        stale = []
        for row in rows:
            report = reports.get((row.assignment_id, int(row.occurrence.partition(":")[2])))
            if (
                report is None
                or report.status != ProgressReport.Status.DRAFT
                or report.round.status != ReportRound.Status.OPEN
            ):
                stale.append(row.pk)
            else:
                by_user[row.user_id].append((row, report))
        mine = D.objects.filter(claim_token=token, status=D.Status.PENDING)
        mine.filter(id__in=stale).update(status=D.Status.SKIPPED, last_error="report submitted or round closed")
        counts["skipped"] += len(stale)
        users = User.objects.in_bulk(list(by_user))
        for user_id, pairs in by_user.items():
            ids = [row.pk for row, _r in pairs]
            user = users.get(user_id)
            if user is None or not user.is_active:
                mine.filter(id__in=ids).update(status=D.Status.SKIPPED, last_error="recipient inactive or deleted")
                counts["skipped"] += len(ids)
                continue
            batch = list({r.pk: r for _row, r in pairs}.values())
            if user.email:
                try:
                    _message(user, batch).send()
                except Exception as exc:
                    logger.warning("Report reminder to %s failed; stays pending.", user.username, exc_info=True)
                    mine.filter(id__in=ids).update(
                        attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"
                    )
                    counts["pending"] += len(ids)
                    continue
            now = timezone.now()
            with transaction.atomic():
                mine.filter(id__in=ids).update(status=D.Status.SENT, sent_at=now, attempts=F("attempts") + 1)
                Notification.objects.bulk_create(
                    Notification(
                        user=user,
                        assignment=r.assignment,
                        verb="report_reminder",
                        emailed_at=now,
                        message=(_("请报送进展：“%(t)s”（截止 %(d)s）") % {"t": r.round.title, "d": r.round.due_date})[
                            :500
                        ],
                    )
                    for r in batch
                )
            counts["sent"] += len(ids)


@shared_task(name="tasks.report_reminders.report_rounds", acks_late=True)
def report_rounds(now_iso: str | None = None, slot_seconds: int | None = None) -> dict:
    """Hourly: open the recurring rounds whose period began, remind about reports, send.

    ``slot_seconds`` (sent by beat): run once per slot however many schedulers send it.
    """
    with once.once_per_slot("report_rounds", slot_seconds) as first:
        if not first:
            return once.skipped("report_rounds")
        now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
        opened = round_open_due(today=timezone.localdate(now))
        planned = scan_report_reminders(now=now)
        return {"opened": len(opened), "planned": len(planned), **deliver_report_reminders()}
