"""In-app notifications and the e-mail that goes with a status change."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import background
from ..models import Assignment, Department, Notification, User
from ..permissions import require

logger = logging.getLogger(__name__)


def department_recipients(department: Department) -> list[User]:
    """The people who act for a department: its members, liaison and head."""
    users = {m.user for m in department.memberships.select_related("user") if m.user.is_active}
    for extra in (department.liaison, department.head):
        if extra is not None and extra.is_active:
            users.add(extra)
    return sorted(users, key=lambda u: u.pk)


def default_language() -> AbstractContextManager:
    """Compose notifications in the site's language, not in the language of whoever acted.

    Notification texts are stored and e-mailed as written; an administrator who works in
    English must not send English messages to Chinese-speaking units.
    """
    return translation.override(settings.LANGUAGE_CODE)


def administrators() -> list[User]:
    return list(User.objects.filter(is_active=True, role=User.Role.ADMINISTRATOR))


def notify(
    *,
    users: Iterable[User],
    verb: str,
    message: str,
    assignment: Assignment | None = None,
    department: Department | None = None,
) -> list[Notification]:
    """Create in-app notifications and, after commit, queue the matching e-mails.

    Each notification keeps the department it is about (by default the item's department now),
    so a later reassignment does not change what an old notification says.
    """
    if department is None and assignment is not None:
        department = assignment.department
    rows = [
        Notification(user=u, verb=verb, message=message[:500], assignment=assignment, department=department)
        for u in dict.fromkeys(users)
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk]
    if ids:
        # A broker outage is logged, never shown to the user: the periodic sweep e-mails them later.
        background.after_commit(background.SEND_NOTIFICATION_EMAILS, ids)
    return created


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of the user's own notifications as read (idempotent: the first read time stays)."""
    require(notification.user_id == by.pk, _("您只能处理自己的通知。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
