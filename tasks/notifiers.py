"""Senders: the reminder digest e-mail, WeCom and DingTalk robots and person messages, status e-mails.

Rendering is separate from sending so the digest can be tested (and printed by
``send_reminders --dry-run``) without a mail server. Only network errors are retried: a robot
that answers with an errcode, or refuses the request, will refuse it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

import requests
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.models import Assignment, Notification, User

from . import work_chat
from .calendar import holiday_name

logger = logging.getLogger(__name__)

ROBOT_TIMEOUT_SECONDS = 5
# Status-change e-mails older than this are not sent by the sweep: they are stale news, and a
# first deployment must not mail every historical in-app notification.
NOTIFICATION_EMAIL_MAX_AGE = dt.timedelta(days=7)


def site_url(name: str, *args: object) -> str:
    """An absolute link to a page of the site (``SITE_URL`` and the page's URL name), for e-mails and robots."""
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


# --- the digest -------------------------------------------------------------------------------


@dataclass
class DigestItem:
    """One assignment in a digest, with every reason it is in it (most urgent reason first)."""

    assignment_id: int
    title: str
    document: str
    department: str
    department_id: int
    due_date: dt.date
    days_left: int  # negative when overdue
    kinds: list[str] = field(default_factory=list)
    url: str = ""
    holiday: str = ""  # the non-working day the deadline falls on, e.g. 劳动节

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def state(self) -> str:
        if self.days_left < 0:
            return _("已逾期 %(n)s 天") % {"n": -self.days_left}
        if self.days_left == 0:
            return _("今天到期")
        return _("还剩 %(n)s 天") % {"n": self.days_left}

    @property
    def escalation(self) -> str:
        if "escalate_leader" in self.kinds:
            return _("已提请分管校领导和督查办督办")
        if "escalate_head" in self.kinds:
            return _("已提请部门负责人督办")
        return ""


@dataclass
class DigestGroup:
    department: str
    items: list[DigestItem]


def assignment_title(assignment: Assignment) -> str:
    req = assignment.requirement
    title = req.heading or req.text[:60]
    return f"{req.path_display} {title}".strip() if req.path else title


def digest_items(pairs: Iterable[tuple[Assignment, str]], *, today: dt.date) -> list[DigestItem]:
    """Merge (assignment, kind) pairs into one item per assignment, most urgent first."""
    items: dict[int, DigestItem] = {}
    for a, kind in pairs:
        item = items.get(a.pk)
        if item is None:
            item = items[a.pk] = DigestItem(
                assignment_id=a.pk,
                title=assignment_title(a),
                document=a.requirement.document.title,
                department=a.department.name,
                department_id=a.department_id,
                due_date=a.due_date,
                days_left=(a.due_date - today).days,
                url=site_url("assignment_detail", a.pk),
                holiday=holiday_name(a.due_date),
            )
        if kind not in item.kinds:
            item.kinds.append(kind)
    # Urgency: the earliest due date is the most overdue (or the closest); ties by id for stability.
    return sorted(items.values(), key=lambda i: (i.due_date, i.assignment_id))


def digest_groups(items: Sequence[DigestItem]) -> list[DigestGroup]:
    """Group by department; departments ordered by their most urgent item."""
    ordered = sorted(items, key=lambda i: (i.department_id, i.due_date, i.assignment_id))
    groups = [
        DigestGroup(department=dept_name, items=list(g))
        for (_dept_id, dept_name), g in groupby(ordered, key=lambda i: (i.department_id, i.department))
    ]
    return sorted(groups, key=lambda g: (g.items[0].due_date, g.items[0].assignment_id))


def render_digest(*, user: User, items: Sequence[DigestItem], today: dt.date) -> EmailMultiAlternatives:
    """The reminder digest for one user: a Chinese text and HTML e-mail."""
    with translation.override(settings.LANGUAGE_CODE):
        overdue = sum(1 for i in items if i.overdue)
        if overdue:
            subject = _("【督办提醒】%(n)s 项事项需要关注，其中 %(o)s 项已逾期") % {"n": len(items), "o": overdue}
        else:
            subject = _("【督办提醒】%(n)s 项事项需要关注") % {"n": len(items)}
        context = {
            "user": user,
            "groups": digest_groups(items),
            "today": today,
            "count": len(items),
            "overdue": overdue,
            "tasks_url": site_url("task_list"),
        }
        text = render_to_string("email/reminder_digest.txt", context)
        html = render_to_string("email/reminder_digest.html", context)
    msg = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    msg.attach_alternative(html, "text/html")
    return msg


def robot_markdown(*, items: Sequence[DigestItem], today: dt.date) -> tuple[str, str]:
    """(title, markdown) for a department's robot: one line per item, most urgent first."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("督办提醒：%(n)s 项事项需要关注") % {"n": len(items)}
        lines = [f"### {title}", _("截至 %(d)s") % {"d": today.isoformat()}, ""]
        for i in items:
            flag = _("（截止日为%(h)s）") % {"h": i.holiday} if i.holiday else ""
            lines.append(f"- **{i.state}** [{i.title}]({i.url}) {_('完成时限')} {i.due_date.isoformat()}{flag}")
    return title, "\n".join(lines)


# --- robots -----------------------------------------------------------------------------------


class RobotRejectedError(Exception):
    """The robot answered but refused the message (errcode != 0, HTTP error, not JSON)."""


ROBOT_NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout)


def robot_send(*, channel: str, url: str, title: str, markdown: str) -> None:
    """POST a markdown message to a WeCom or DingTalk group robot; raise unless errcode is 0.

    Network errors (requests.ConnectionError / Timeout) propagate for the caller to retry.
    """
    if channel == "wecom":
        payload = {"msgtype": "markdown", "markdown": {"content": markdown}}
    elif channel == "dingtalk":
        payload = {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}}
    else:
        raise ValueError(f"unknown robot channel {channel!r}")
    resp = requests.post(url, json=payload, timeout=ROBOT_TIMEOUT_SECONDS)
    try:
        body = resp.json()
    except ValueError as exc:
        raise RobotRejectedError(f"HTTP {resp.status_code}: not JSON") from exc
    if resp.status_code != 200 or not isinstance(body, dict) or body.get("errcode") != 0:
        errmsg = body.get("errmsg", "") if isinstance(body, dict) else ""
        code = body.get("errcode") if isinstance(body, dict) else None
        raise RobotRejectedError(f"HTTP {resp.status_code} errcode={code} {errmsg}".strip())


@shared_task(
    name="tasks.notifiers.send_robot_digest",
    acks_late=True,
    autoretry_for=ROBOT_NETWORK_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_robot_digest(row_ids: list[int], claim_token: str) -> str:
    """Send one department's robot message for claimed ledger rows; network errors retry."""
    from .reminders import deliver_robot_rows

    return deliver_robot_rows(row_ids=row_ids, claim_token=claim_token, raise_network_errors=True)


# --- status-change e-mails --------------------------------------------------------------------


def _notification_message(user: User, notes: Sequence[Notification]) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        if len(notes) == 1:
            subject = _("【督办】%(m)s") % {"m": notes[0].message[:60]}
        else:
            subject = _("【督办】您有 %(n)s 条新通知") % {"n": len(notes)}
        context = {
            "user": user,
            "notes": [
                {
                    "message": n.message,
                    "created_at": timezone.localtime(n.created_at),
                    "url": site_url("assignment_detail", n.assignment_id) if n.assignment_id else "",
                }
                for n in notes
            ],
            "notifications_url": site_url("notification_list"),
        }
        text = render_to_string("email/notification.txt", context)
        html = render_to_string("email/notification.html", context)
    msg = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    msg.attach_alternative(html, "text/html")
    return msg


def notification_emails_send(
    *, ids: Sequence[int] | None = None, now: dt.datetime | None = None, min_age: dt.timedelta | None = None
) -> int:
    """E-mail notifications not yet e-mailed (by id, or the sweep of older ones); return how many.

    Rows are locked while sending (skipping rows another worker holds, on PostgreSQL), and
    ``emailed_at`` is set only after the mail server accepted the message, so a mail server
    outage leaves them for the next sweep.
    """
    now = now or timezone.now()
    qs = Notification.objects.filter(emailed_at__isnull=True).select_related("user").order_by("user_id", "id")
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    else:
        qs = qs.filter(
            created_at__lte=now - (min_age or dt.timedelta(minutes=1)), created_at__gte=now - NOTIFICATION_EMAIL_MAX_AGE
        )
    sent = 0
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        rows = list(qs[:1000])
        if not rows:
            return 0
        done: list[int] = []
        mail = get_connection()
        try:
            for user, group in groupby(rows, key=lambda n: n.user):
                notes = list(group)
                if user.is_active and user.email:
                    try:
                        mail.send_messages([_notification_message(user, notes)])
                    except Exception:
                        logger.warning("Notification e-mail to user %s failed; will retry.", user.pk, exc_info=True)
                        continue
                    sent += len(notes)
                if user.is_active and work_chat.person_channels(user):
                    title, markdown = _person_notification_text(notes)
                    person_messages_send(user=user, title=title, markdown=markdown, defer=True)
                # Without an address (or an active account) there is nothing to send: the
                # in-app copy is the delivery.
                done.extend(n.pk for n in notes)
        finally:
            mail.close()
        Notification.objects.filter(id__in=done).update(emailed_at=now)
    return sent


@shared_task(name="tasks.notifiers.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail the given notifications (queued after a status change); failures wait for the sweep."""
    return notification_emails_send(ids=notification_ids)


# --- messages to a person (WeCom / DingTalk apps) ---------------------------------------------


@shared_task(
    name="tasks.notifiers.send_person_message",
    acks_late=True,
    autoretry_for=work_chat.NETWORK_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_person_message(user_id: int, channel: str, title: str, markdown: str) -> str:
    """Send one person one WeCom or DingTalk message; network errors retry, refusals are logged."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    userid = dict(work_chat.person_channels(user)).get(channel) if user else None
    if not userid:
        return "skipped"
    try:
        work_chat.person_message_send(channel=channel, userid=userid, title=title, markdown=markdown)
    except work_chat.WorkChatRejected as exc:
        logger.warning("%s refused the message to %s: %s", channel, user.username, exc)
        return "failed"
    return "sent"


def person_messages_send(*, user: User, title: str, markdown: str, defer: bool = False) -> dict[str, str]:
    """Message a person on every app that knows them; return the outcome per channel.

    With ``defer`` the messages go to the worker (which retries network errors with backoff);
    otherwise they are sent here and a network error hands that message to the worker.
    """
    outcomes: dict[str, str] = {}
    for channel, _userid in work_chat.person_channels(user):
        if not defer:
            try:
                outcomes[channel] = send_person_message(user.pk, channel, title, markdown)
                continue
            except work_chat.NETWORK_ERRORS as exc:
                logger.warning("%s unreachable for %s (%s); handing the message to the worker.", channel, user, exc)
        try:
            send_person_message.delay(user.pk, channel, title, markdown)
            outcomes[channel] = "queued"
        except Exception:
            logger.warning("Could not queue the %s message to %s.", channel, user.username, exc_info=True)
            outcomes[channel] = "pending"
    return outcomes


def person_digest(*, user: User, items: Sequence[DigestItem], today: dt.date, defer: bool = False) -> dict[str, str]:
    """The reminder digest as a WeCom/DingTalk message to one person (when an app knows them)."""
    if not work_chat.person_channels(user):
        return {}
    title, markdown = robot_markdown(items=items, today=today)
    return person_messages_send(user=user, title=title, markdown=markdown, defer=defer)


def _person_notification_text(notes: Sequence[Notification]) -> tuple[str, str]:
    base = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("督办通知：%(n)s 条新通知") % {"n": len(notes)}
        lines = [f"### {title}", ""]
        for n in notes:
            link = f" [{_('查看')}]({base}/assignments/{n.assignment_id}/)" if n.assignment_id else ""
            lines.append(f"- {n.message}{link}")
    return title, "\n".join(lines)
