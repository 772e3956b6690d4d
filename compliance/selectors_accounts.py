"""Reads for the sign-in pages: login locks and directory syncs (administrators only)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from . import permissions
from .auth.lockout import ADDRESS, PAIR, lock_state
from .models import DirectorySync, LoginLock, User


def login_lock_history(*, user: User) -> QuerySet[LoginLock]:
    """Every recorded lock, newest first; nothing for anyone but an administrator."""
    qs = LoginLock.objects.select_related("released_by").order_by("-locked_at", "-id")
    return qs if permissions.is_administrator(user) else qs.none()


def login_lock_active(*, user: User) -> list[LoginLock]:
    """Locks in force now: not released, not expired, and still backed by the failure records."""
    now = timezone.now()
    candidates = login_lock_history(user=user).filter(released_at__isnull=True, locked_until__gt=now)
    active = []
    for lock in candidates:
        state = lock_state(username=lock.username or None, ip_address=lock.ip_address, now=now)
        expected = PAIR if lock.scope == LoginLock.Scope.PAIR else ADDRESS
        if state is not None and state.kind == expected:
            lock.locked_until = state.until
            active.append(lock)
    return active


def directory_sync_list(*, user: User) -> QuerySet[DirectorySync]:
    qs = DirectorySync.objects.select_related("created_by", "applied_by").order_by("-created_at", "-id")
    return qs if permissions.is_administrator(user) else qs.none()
