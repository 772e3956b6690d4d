"""Login lockout that protects accounts without locking whole buildings out.

A campus reaches the site through a few NAT addresses, so an address is shared by hundreds of
people. The rules (django-axes records the failures; this module decides):

* **Pair lock.** ``AXES_FAILURE_LIMIT`` (5) failures for one user name from one address lock that
  pair for ``AXES_COOLOFF_HOURS`` (30 minutes). The same name from another address, and other
  names from the same address, still sign in.
* **Progressive delay.** From the second failure of a pair on, the next try from that pair must
  wait ``DUBAN_LOGIN_DELAY_SECONDS`` × 2^(failures − 2) seconds (2, 4, 8 s by default); a try
  during the wait is refused (429 with ``Retry-After``) without checking the password and
  without counting as a failure.
* **Address lock, high threshold.** Only failures on user names that do not exist count against
  the whole address, and only ``DUBAN_LOGIN_ADDRESS_LIMIT`` (50) of them lock it: a mistyping
  terminal cannot lock out everyone behind its NAT, a name-spraying script can.

Each lock is written to :class:`~compliance.models.LoginLock` when it starts, for the office's
unlock screen.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import LoginLock, User

PAIR, ADDRESS, DELAY = "pair", "address", "delay"


@dataclass(frozen=True)
class LockState:
    """Why a login attempt is refused now, and until when."""

    kind: str  # PAIR, ADDRESS or DELAY
    until: dt.datetime
    failures: int

    @property
    def retry_after(self) -> int:
        """Whole seconds until a new attempt is accepted (at least 1)."""
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    @property
    def message(self) -> str:
        if self.kind == DELAY:
            return _("登录失败次数较多，请 %(s)s 秒后再试。") % {"s": self.retry_after}
        until = timezone.localtime(self.until).strftime("%H:%M")
        if self.kind == ADDRESS:
            return _("此网络地址尝试了过多不存在的用户名，已暂时锁定，%(t)s 后自动解除；如需提前解锁请联系督查办。") % {
                "t": until
            }
        return _(
            "该账号在此网络地址连续输错密码，已暂时锁定，%(t)s 后自动解除；其他地址和其他账号不受影响。"
            "如需提前解锁请联系督查办。"
        ) % {"t": until}


def cool_off() -> dt.timedelta:
    return get_cool_off() or dt.timedelta(minutes=30)


def progressive_delay(failures: int) -> dt.timedelta:
    """The wait after ``failures`` failures of one pair: none after the first, then doubling."""
    if failures < 2:
        return dt.timedelta(0)
    return dt.timedelta(seconds=settings.DUBAN_LOGIN_DELAY_SECONDS * 2 ** (failures - 2))


def unknown_name_attempts(ip_address: str | None) -> QuerySet[AccessAttempt]:
    """Recorded failures from an address on user names that do not exist (or no name at all)."""
    known = User.objects.values("username")
    return AccessAttempt.objects.filter(ip_address=ip_address).filter(Q(username__isnull=True) | ~Q(username__in=known))


def _totals(qs: QuerySet[AccessAttempt], since: dt.datetime) -> tuple[int, dt.datetime | None]:
    agg = qs.filter(attempt_time__gte=since).aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    return agg["n"] or 0, agg["last"]


def lock_state(*, username: str | None, ip_address: str | None, now: dt.datetime | None = None) -> LockState | None:
    """The lock, address lock or delay in force for this user name from this address, if any."""
    now = now or timezone.now()
    window = cool_off()
    since = now - window
    if username:
        pair_failures, pair_last = _totals(
            AccessAttempt.objects.filter(username=username, ip_address=ip_address), since
        )
    else:
        pair_failures, pair_last = 0, None
    if pair_last and pair_failures >= settings.AXES_FAILURE_LIMIT:
        return LockState(PAIR, pair_last + window, pair_failures)
    addr_failures, addr_last = _totals(unknown_name_attempts(ip_address), since)
    if addr_last and addr_failures >= settings.DUBAN_LOGIN_ADDRESS_LIMIT:
        return LockState(ADDRESS, addr_last + window, addr_failures)
    if pair_last:
        wait_until = pair_last + progressive_delay(pair_failures)
        if wait_until > now:
            return LockState(DELAY, wait_until, pair_failures)
    return None


def _record_lock(state: LockState, *, username: str | None, ip_address: str | None) -> None:
    """Write the lock to the office's log once (a repeated failure does not start a new lock)."""
    scope = LoginLock.Scope.PAIR if state.kind == PAIR else LoginLock.Scope.ADDRESS
    name = (username or "") if scope == LoginLock.Scope.PAIR else ""
    now = timezone.now()
    open_lock = LoginLock.objects.filter(
        scope=scope, username=name, ip_address=ip_address, released_at__isnull=True, locked_until__gt=now
    ).first()
    if open_lock is not None:
        open_lock.failures = state.failures
        open_lock.locked_until = state.until
        open_lock.save(update_fields=["failures", "locked_until"])
        return
    LoginLock.objects.create(
        scope=scope,
        username=name,
        ip_address=ip_address,
        failures=state.failures,
        locked_at=now,
        locked_until=state.until,
    )


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with the rules above (``AXES_HANDLER``)."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        state = lock_state(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
            now=request.axes_attempt_time,
        )
        request.duban_lock = state
        return state is not None

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        refused = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused:
            return  # an attempt refused by a lock or delay is not a new failure
        username = get_client_username(request, credentials)
        state = lock_state(username=username, ip_address=request.axes_ip_address)
        if state is not None and state.kind != DELAY:
            _record_lock(state, username=username, ip_address=request.axes_ip_address)
            request.axes_locked_out = True
            request.duban_lock = state


def current_lock(request: HttpRequest) -> LockState | None:
    """The state that refused this request (set while django-axes checked it)."""
    return getattr(request, "duban_lock", None)


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the lock page, 429 with ``Retry-After``."""
    state = current_lock(request)
    if state is None:  # locked by an axes rule outside ours (e.g. an address block list)
        state = LockState(PAIR, timezone.now() + cool_off(), settings.AXES_FAILURE_LIMIT)
    response = render(
        request,
        "registration/locked_out.html",
        {"lock": state, "message": state.message, "is_delay": state.kind == DELAY},
        status=429,
    )
    response["Retry-After"] = str(state.retry_after)
    return response
