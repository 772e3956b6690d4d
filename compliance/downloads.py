"""File downloads (evidence, workbooks) with one set of safe headers, for the pages and the API alike."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .models import Evidence
from .services.evidence import ALLOWED_TYPES, sanitize_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KNOWN_TYPES = frozenset(m for types in ALLOWED_TYPES.values() for m in types)


def file_download(fieldfile: Any, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as an attachment: never rendered inline, never sniffed, never cached.

    The name is sanitised and Django encodes it per RFC 6266; a file missing from storage is a 404.
    """
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件已不存在。")) from None
    response = FileResponse(handle, as_attachment=True, filename=sanitize_filename(filename), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def evidence_download(evidence: Evidence) -> FileResponse:
    """An evidence file, served with its checked type only when that type is on the allow-list."""
    content_type = evidence.content_type if evidence.content_type in KNOWN_TYPES else "application/octet-stream"
    return file_download(evidence.file, filename=evidence.original_name, content_type=content_type)
