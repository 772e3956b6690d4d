"""The one hook through which the domain asks for background work.

``compliance`` never imports the ``tasks`` app (nor Celery tasks): a service names the task it
wants, and the dispatcher that ``tasks`` registers when Django starts (``tasks.apps``) sends it to
the worker. Two ways to ask:

- ``after_commit(name, *args, on_failure=...)`` once the current transaction commits (a job row
  must exist before a worker can read it). A broker that cannot be reached is logged and, when
  given, ``on_failure(exc)`` records it (e.g. on the job row); the user's action still succeeds.
- ``run(name, *args)`` at once, raising ``BackgroundUnavailable`` when the work cannot be queued.

Task names are Celery's (``tasks.exports.build_export``); ``TASKS`` lists every name the domain
uses, and a test checks that each is a registered task.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

Dispatcher = Callable[[str, tuple], None]

BUILD_EXPORT = "tasks.exports.build_export"
RUN_IMPORT_JOB = "tasks.imports.run_import_job"
SEND_NOTIFICATION_EMAILS = "tasks.notifiers.send_notification_emails"
TASKS = (BUILD_EXPORT, RUN_IMPORT_JOB, SEND_NOTIFICATION_EMAILS)

_dispatcher: Dispatcher | None = None


class BackgroundUnavailable(Exception):
    """The work could not be handed to a worker (no dispatcher, or the broker is down)."""


def register(dispatcher: Dispatcher | None) -> None:
    """Install the function that sends ``(task name, args)`` to the worker (the tasks app does)."""
    global _dispatcher
    _dispatcher = dispatcher


def run(name: str, *args: object) -> None:
    """Queue the task now; raise BackgroundUnavailable if it cannot be queued."""
    if _dispatcher is None:
        raise BackgroundUnavailable(f"no background dispatcher is registered (task {name})")
    try:
        _dispatcher(name, args)
    except Exception as exc:  # any broker failure: the caller decides what the user sees
        raise BackgroundUnavailable(f"{name}: {exc.__class__.__name__}: {exc}") from exc


def after_commit(name: str, *args: object, on_failure: Callable[[Exception], None] | None = None) -> None:
    """Queue the task once the current transaction commits (at once outside a transaction)."""

    def send() -> None:
        try:
            run(name, *args)
        except BackgroundUnavailable as exc:
            logger.warning("Could not queue %s%r: %s", name, args, exc)
            if on_failure is not None:
                on_failure(exc)

    transaction.on_commit(send)


def time_limit_message() -> str:
    """Why a background job (import or export) stopped: its time limit, or a worker that never finished."""
    minutes = max(1, settings.DUBAN_JOB_SOFT_TIME_LIMIT // 60)
    return _(
        "处理超过时间上限（%(m)s 分钟）或后台进程中断，已停止。文件可能过大或页数过多：可拆分后重新提交，或点击“重试”。"
    ) % {"m": minutes}
