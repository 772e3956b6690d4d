"""Exactly one run per scheduled slot, however many beat schedulers send it.

The installation must run one Celery beat (docs/operations.md). If a second one is started by
mistake (two hosts, a restart that left the old one running), each periodic task arrives twice.
The reminder ledger already stops duplicate *deliveries*; this stops the duplicate *work*: a
periodic task sent by beat carries ``slot_seconds`` (its period), and only the first run in each
slot goes ahead. Slots are centred on the firing times (a task firing at :05 every hour owns
:35–:35), so two schedulers whose clocks differ by a few seconds still share a slot.

The claim is an atomic ``add`` in the shared cache (Redis in production). When the cache cannot be
reached the task runs anyway: the ledger keeps deliveries single, and a missed run is worse.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(name: str, slot_seconds: int, now: float | None) -> str:
    t = time.time() if now is None else now
    return f"duban:periodic:{name}:{int((t + slot_seconds / 2) // slot_seconds)}"


def first_in_slot(name: str, slot_seconds: int, *, now: float | None = None) -> bool:
    """True for the first caller in the current slot of ``name`` across every process."""
    try:
        return bool(cache.add(_key(name, slot_seconds, now), 1, timeout=2 * slot_seconds))
    except Exception:
        logger.warning("Shared cache unreachable; running %s without the one-scheduler check.", name, exc_info=True)
        return True


def release(name: str, slot_seconds: int, *, now: float | None = None) -> None:
    """Give the slot back (the run failed and will be retried)."""
    try:
        cache.delete(_key(name, slot_seconds, now))
    except Exception:
        logger.warning("Shared cache unreachable; could not release %s.", name, exc_info=True)


@contextmanager
def once_per_slot(name: str, slot_seconds: int | None) -> Iterator[bool]:
    """``with once_per_slot(name, slot) as first:`` — ``first`` is False when this slot already
    ran (or is running) elsewhere; a run that raises gives its slot back for the retry."""
    if not slot_seconds:
        yield True
        return
    now = time.time()
    first = first_in_slot(name, slot_seconds, now=now)
    try:
        yield first
    except BaseException:
        if first:
            release(name, slot_seconds, now=now)
        raise


def skipped(name: str) -> dict:
    logger.info("%s already ran in this slot (a second beat scheduler?); skipped.", name)
    return {"skipped": "already ran in this slot"}
