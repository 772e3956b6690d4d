"""Evidence uploads: size limit, type allow-list checked by content, sha256, safe storage."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Sequence
from typing import IO

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Assignment, Evidence, User
from . import ServiceError

# extension -> MIME types accepted for it, judged from the file's content.
ALLOWED_TYPES: dict[str, set[str]] = {
    "pdf": {"application/pdf"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
    "pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/zip"},
    "doc": {"application/x-ole-storage", "application/msword"},
    "xls": {"application/x-ole-storage", "application/vnd.ms-excel"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "zip": {"application/zip"},
    "txt": {"text/plain"},
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sanitize_filename(name: str) -> str:
    """Keep a readable original name without paths, control characters or shell tricks."""
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"/\\|?*')
    name = name.strip().lstrip(".") or "file"
    stem, dot, ext = name.rpartition(".")
    if len(name) > 200:
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot else name[:200]
    return name


def sniff_type(head: bytes) -> str | None:
    """Return the MIME type judged from content, or None when it is nothing we know."""
    if head.startswith(OLE_MAGIC):
        return "application/x-ole-storage"
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" in head:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return "text/plain"
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a multi-byte character cut at the end of the sample
                return "text/plain"
    return None


def validate_upload(*, name: str, data: bytes) -> tuple[str, str]:
    """Return (clean name, MIME type) or raise ServiceError with a clear reason."""
    clean = sanitize_filename(name)
    if not data:
        raise ServiceError(_("文件“%(n)s”是空文件。") % {"n": clean})
    limit = settings.DUBAN_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ServiceError(_("文件“%(n)s”超过大小上限 %(mb)s MB。") % {"n": clean, "mb": limit // (1024 * 1024)})
    ext = clean.rpartition(".")[2].lower() if "." in clean else ""
    if ext not in ALLOWED_TYPES:
        raise ServiceError(
            _("不支持的文件类型“.%(e)s”。允许：%(allowed)s")
            % {"e": ext or "?", "allowed": "、".join(sorted(ALLOWED_TYPES))}
        )
    mime = sniff_type(data[:8192])
    if mime not in ALLOWED_TYPES[ext]:
        raise ServiceError(_("文件“%(n)s”的内容与扩展名 .%(e)s 不符，已拒绝。") % {"n": clean, "e": ext})
    return clean, mime


def read_upload(fileobj: IO[bytes]) -> bytes:
    """Read an uploaded file, refusing (without reading it all) what is over the limit."""
    limit = settings.DUBAN_MAX_UPLOAD_BYTES
    data = fileobj.read(limit + 1)
    return data


def _guard_upload(assignment: Assignment, by: User) -> None:
    permissions.require(permissions.can_edit_assignment(by, assignment), _("您无权为其他部门的事项上传材料。"))
    if assignment.status in Assignment.CLOSED_STATUSES or assignment.status == Assignment.Status.SUBMITTED:
        raise ServiceError(_("事项状态为“%(s)s”，不能再上传材料。") % {"s": assignment.get_status_display()})


def _store(*, assignment: Assignment, by: User, clean: str, mime: str, data: bytes, note: str) -> Evidence:
    """Write the file under its content hash, then the row; no file is left behind without a row."""
    digest = hashlib.sha256(data).hexdigest()
    ev = Evidence(
        assignment=assignment,
        original_name=clean,
        size=len(data),
        content_type=mime,
        sha256=digest,
        uploaded_by=by,
        note=note[:500],
    )
    ev._history_user = by
    ev.file.save(digest, ContentFile(data), save=False)
    try:
        ev.save()
    except Exception:
        ev.file.delete(save=False)
        raise
    return ev


def evidence_upload(*, assignment: Assignment, by: User, name: str, data: bytes, note: str = "") -> Evidence:
    """Store one evidence file for an assignment the user may change."""
    return evidence_upload_many(assignment=assignment, by=by, files=[(name, data)], note=note)[0]


def evidence_upload_many(
    *, assignment: Assignment, by: User, files: Sequence[tuple[str, bytes]], note: str = ""
) -> list[Evidence]:
    """Store several evidence files at once, or none of them.

    Every file is checked first (size, type judged by content); if any is refused, the error
    names each bad file and nothing is stored, so the user can fix the batch and send it again.
    The files are then stored in one transaction, with the assignment's row locked and its status
    checked again, so no file lands on an item submitted meanwhile: if one cannot be written, the
    ones already written are removed again.
    """
    _guard_upload(assignment, by)
    if not files:
        raise ServiceError(_("请选择要上传的文件。"))
    checked: list[tuple[str, str, bytes]] = []
    errors: list[str] = []
    for name, data in files:
        try:
            clean, mime = validate_upload(name=name, data=data)
        except ServiceError as exc:
            errors.append(str(exc))
        else:
            checked.append((clean, mime, data))
    if errors:
        raise ServiceError(" ".join(errors))
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            # The status checked above may be stale: a submit or approval in flight holds the row
            # lock, so the check that counts is repeated here, under that lock.
            assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
            _guard_upload(assignment, by)
            for clean, mime, data in checked:
                stored.append(_store(assignment=assignment, by=by, clean=clean, mime=mime, data=data, note=note))
    except Exception:
        for ev in stored:
            ev.file.delete(save=False)
        raise
    return stored
