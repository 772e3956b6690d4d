"""Logging filters: a refused request is a line in the log, not a traceback."""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """Drop the traceback of Django's "Forbidden (Permission denied)" records (status 403).

    A user who opens a page they may not see is an everyday event: the line says who asked for
    what (method, path, status); the stack of PermissionDenied says nothing more.

    A body over the size limit (django.security.RequestDataTooBig, answered 413) is the same: the
    sender's error, one line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 413) or record.name == "django.security.RequestDataTooBig":
            record.exc_info = None
            record.exc_text = None
        return True
