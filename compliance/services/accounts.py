"""Accounts: single sign-on users, lockout release, password-reset rate limits."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import LoginLock, Membership, PasswordResetRequest, User
from . import ServiceError
from .directory import department_lookup, free_username, membership_role_for_title

logger = logging.getLogger(__name__)

PASSWORD_RESET_WINDOW = dt.timedelta(hours=1)


def sso_enabled() -> bool:
    """Whether a single sign-on (CAS or LDAP) is configured."""
    return bool(settings.CAS_SERVER_URL or settings.DUBAN_LDAP_SERVER_URI)


# --- single sign-on users ---------------------------------------------------------------------


@dataclass
class SsoAttributes:
    """What a CAS server or LDAP directory says about a person (empty when not released)."""

    name: str = ""
    department: str = ""
    email: str = ""
    phone: str = ""
    title: str = ""


class SsoRefused(Exception):
    """A single sign-on login that Duban refuses; the message is shown to the person."""


def sso_user_apply(*, user: User, attributes: SsoAttributes) -> list[str]:
    """Copy released attributes onto the user; add a membership if they have none. Return changes."""
    changed = []
    for field, value in (
        ("display_name", attributes.name),
        ("email", attributes.email),
        ("phone", attributes.phone),
        ("job_title", attributes.title),
    ):
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
    # Moving people between departments is the directory sync's job (it sees the whole roster);
    # a login only places someone who has no department yet.
    if attributes.department and not user.memberships.exists():
        department = department_lookup(attributes.department)
        if department is not None:
            Membership.objects.create(
                user=user, department=department, role=membership_role_for_title(attributes.title)
            )
            changed.append("membership")
    return changed


def sso_user_resolve(*, employee_id: str, attributes: SsoAttributes, source: str, create: bool) -> User:
    """The active Duban user with this 工号, updated from the attributes (created if allowed)."""
    employee_id = employee_id.strip()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(employee_id=employee_id).first()
        if user is None:
            if not create:
                raise SsoRefused(
                    _("工号 %(id)s 尚未在督办中开通账号。请联系督查办，或等待人事目录同步后再登录。")
                    % {"id": employee_id}
                )
            user = User(username=free_username(employee_id), employee_id=employee_id, source=source)
            user.set_unusable_password()
            user.save()
            logger.info("Created user %s for 工号 %s at first %s login.", user.username, employee_id, source)
        if not user.is_active:
            raise SsoRefused(_("您的督办账号（工号 %(id)s）已停用，请联系督查办。") % {"id": employee_id})
        sso_user_apply(user=user, attributes=attributes)
    return user


# --- lockout release --------------------------------------------------------------------------


def login_lock_release(*, lock: LoginLock, by: User, reason: str) -> LoginLock:
    """Unlock a locked pair or address now; the reason and who gave it stay in the log."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以解除登录锁定。"))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写解锁原因，它会记入日志。"))
    if len(reason) > 500:
        raise ServiceError(_("解锁原因不能超过 500 字。"))
    from ..auth.lockout import unknown_name_attempts

    with transaction.atomic():
        lock = LoginLock.objects.select_for_update().get(pk=lock.pk)
        if lock.released_at is not None:
            raise ServiceError(
                _("该锁定已于 %(t)s 解除。") % {"t": timezone.localtime(lock.released_at).strftime("%Y-%m-%d %H:%M")}
            )
        if lock.scope == LoginLock.Scope.PAIR:
            attempts = AccessAttempt.objects.filter(username=lock.username, ip_address=lock.ip_address)
        else:
            attempts = unknown_name_attempts(lock.ip_address)
        attempts.delete()
        now = timezone.now()
        lock.released_at, lock.released_by, lock.release_reason = now, by, reason
        lock.save(update_fields=["released_at", "released_by", "release_reason"])
        # The same pair or address may have been written twice by concurrent failures.
        LoginLock.objects.filter(
            scope=lock.scope, username=lock.username, ip_address=lock.ip_address, released_at__isnull=True
        ).update(released_at=now, released_by=by, release_reason=reason)
    logger.warning("Login lock %s released by %s: %s", lock, by.username, reason)
    return lock


# --- password reset ---------------------------------------------------------------------------


def password_reset_admit(*, email: str, ip_address: str | None, now: dt.datetime | None = None) -> str:
    """Record a reset request and say whether to send (``sent``) or which limit refused it.

    At most ``DUBAN_PASSWORD_RESET_PER_ADDRESS`` requests an hour from one client address (then
    the form answers 429) and ``DUBAN_PASSWORD_RESET_PER_ACCOUNT`` e-mails an hour to one e-mail
    address (then the page looks the same but nothing is sent, so it reveals nothing).
    """
    now = now or timezone.now()
    since = now - PASSWORD_RESET_WINDOW
    email = email.strip().lower()
    Outcome = PasswordResetRequest.Outcome
    with transaction.atomic():
        from_address = PasswordResetRequest.objects.filter(ip_address=ip_address, created_at__gte=since).count()
        to_account = PasswordResetRequest.objects.filter(
            email=email, outcome=Outcome.SENT, created_at__gte=since
        ).count()
        if from_address >= settings.DUBAN_PASSWORD_RESET_PER_ADDRESS:
            outcome = Outcome.LIMITED_ADDRESS
        elif to_account >= settings.DUBAN_PASSWORD_RESET_PER_ACCOUNT:
            outcome = Outcome.LIMITED_ACCOUNT
        else:
            outcome = Outcome.SENT
        PasswordResetRequest.objects.create(email=email[:254], ip_address=ip_address, outcome=outcome)
    if outcome != Outcome.SENT:
        logger.warning("Password reset for %s from %s refused: %s", email, ip_address, outcome)
    return outcome


def password_reset_users(users: list[User]) -> list[User]:
    """The users a reset e-mail may go to: with single sign-on on, local accounts only."""
    if not sso_enabled():
        return users
    return [u for u in users if u.source == User.Source.LOCAL]
