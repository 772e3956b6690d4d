"""Import jobs: an uploaded policy file is parsed into a preview, then imported once confirmed.

Small files are handled inside the request (the user sees the preview at once and nothing
depends on the broker). Larger files and scans (read by OCR, page by page, with the progress
bar saying which page) go to the Celery task ``tasks.imports.run_import_job``; if the broker
cannot be reached the job says so instead of hanging in the queue. Lines that OCR read with
low confidence are marked on the items of the preview for checking.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import background, permissions
from ..models import ImportJob, JobStatus, User
from ..parsing import ParseError, parse_file, parse_text
from ..parsing.formats import needs_ocr
from ..parsing.pipeline import quote_title, skipped_to_document
from . import ServiceError
from .documents import policy_import
from .evidence import sanitize_filename, sniff_type

logger = logging.getLogger(__name__)

PREVIEW_TEXT_CHARS = 400

STAGE_PREVIEW = "preview"
STAGE_CONFIRMED = "confirmed"
STAGE_IMPORTED = "imported"


def inline_max_bytes() -> int:
    return settings.DUBAN_INLINE_IMPORT_BYTES


def import_job_create(*, by: User, name: str, data: bytes) -> ImportJob:
    """Store the uploaded file as a job; parsing happens in ``import_job_dispatch``."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以导入文件。"))
    clean = sanitize_filename(name)
    if not data:
        raise ServiceError(_("文件“%(n)s”是空文件。") % {"n": clean})
    limit = settings.DUBAN_MAX_IMPORT_BYTES
    if len(data) > limit:
        raise ServiceError(_("文件超过导入大小上限 %(mb)s MB。") % {"mb": limit // (1024 * 1024)})
    text_limit = settings.DUBAN_MAX_IMPORT_TEXT_BYTES
    if len(data) > text_limit and sniff_type(data[:8192]) == "text/plain":
        raise ServiceError(
            _(
                "文本文件“%(n)s”有 %(size)s MB，超过文本导入上限 %(mb)s MB（约一百万字），不像一份政策文件。请检查文件，或拆分后分别导入。"
            )
            % {"n": clean, "size": round(len(data) / (1024 * 1024), 1), "mb": text_limit // (1024 * 1024)}
        )
    job = ImportJob(created_by=by, source_name=clean, result={"stage": STAGE_PREVIEW})
    ext = clean.rpartition(".")[2].lower()[:10] if "." in clean else "bin"
    # Stored under a neutral name; the user's name is kept in source_name for display.
    job.file.save(f"job.{ext}", ContentFile(data), save=False)
    job.save()
    return job


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _unsure_lines(item: Any, uncertain: list[str]) -> list[str]:
    """The low-confidence OCR lines that went into this item (compared without spaces)."""
    whole = _squeeze(f"{item.label}{item.heading}{item.text}")
    return [line for line in uncertain if len(_squeeze(line)) >= 2 and _squeeze(line) in whole]


def _preview(outcome: Any) -> dict[str, Any]:
    docs = []
    uncertain = list(getattr(outcome, "uncertain", []) or [])
    for doc in outcome.documents:
        items = [
            {
                "label": i.label,
                "path": list(i.path),
                "level": i.level,
                "heading": i.heading,
                "text": i.text[:PREVIEW_TEXT_CHARS],
                "body": i.body[:PREVIEW_TEXT_CHARS],  # the text after the heading (shown beside it)
                "is_requirement": i.is_requirement,
                "lead_units": list(i.lead_units),
                "co_units": list(i.co_units),
                "deadlines": [d.as_json() for d in i.deadlines],
                "unsure": _unsure_lines(i, uncertain),
            }
            for i in doc.items
        ]
        docs.append(
            {
                "index": len(docs),
                "title": doc.title,
                "issuer": doc.issuer,
                "doc_number": doc.doc_number,
                "date": doc.date.isoformat() if doc.date else None,
                "kind": doc.kind,
                "classification": str(doc.meta.get("classification") or ""),
                "items": items,
                "tracked": sum(1 for i in items if i["is_requirement"]),
                "unsure": sum(1 for i in items if i["unsure"]),
            }
        )
    return {
        "documents": docs,
        "warnings": list(getattr(outcome, "warnings", []) or []),
        "skipped": list(getattr(outcome, "skipped", []) or []),
        "uncertain": uncertain,
    }


def _set(job: ImportJob, **fields: Any) -> None:
    for k, v in fields.items():
        setattr(job, k, v)
    job.save(update_fields=list(fields))


def import_job_run(*, job_id: int) -> ImportJob:
    """Do the job's next step: parse into a preview, or (once confirmed) import the documents.

    Failures are stored on the job with a message for the user; they are not retried.
    """
    job = ImportJob.objects.get(pk=job_id)
    if job.status == JobStatus.DONE and job.result.get("stage") != STAGE_CONFIRMED:
        return job
    stage = job.result.get("stage", STAGE_PREVIEW)
    _set(job, status=JobStatus.RUNNING, progress=10, message="", started_at=timezone.now())
    try:
        outcome = _parse(job, stage)
        _set(job, progress=90 if job.progress > 50 else 50, message="")
        if stage == STAGE_CONFIRMED:
            _import_chosen(job, outcome)
        else:
            result = {"stage": STAGE_PREVIEW, **_preview(outcome)}
            if getattr(outcome, "ocr_text", ""):
                result["ocr_text"] = outcome.ocr_text  # confirming does not read the scan again
            _set(job, result=result)
    except ParseError as exc:
        _set(job, status=JobStatus.FAILED, message=str(exc), finished_at=timezone.now())
        return job
    except SoftTimeLimitExceeded:
        logger.warning("Import job %s stopped at its time limit", job.pk)
        _set(job, status=JobStatus.FAILED, message=background.time_limit_message(), finished_at=timezone.now())
        return job
    except Exception as exc:  # stored on the job; a retry would fail the same way
        logger.exception("Import job %s failed", job.pk)
        _set(
            job,
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_("处理文件时出错：%(e)s") % {"e": exc.__class__.__name__},
        )
        return job
    _set(job, status=JobStatus.DONE, progress=100, finished_at=timezone.now())
    return job


def _chosen_documents(job: ImportJob, outcome: Any) -> tuple[list[Any], set[int]]:
    """The documents the administrator ticked, then the skipped blocks forced in, in that order.

    Returns them with the positions (in that list) to import as reference documents. A job
    confirmed before choices existed imports every parsed document. The file is parsed again
    here, so the indexes are only trusted while the documents are those of the preview.
    """
    chosen = job.result.get("chosen")
    if chosen is None:
        return list(outcome.documents), set()
    if [d.title for d in outcome.documents] != [d["title"] for d in job.result.get("documents", [])]:
        raise ParseError(_("文件的解析结果与预览不一致（系统可能已更新），请重新上传文件。"))
    docs = [outcome.documents[i] for i in chosen["documents"] if i < len(outcome.documents)]
    stored = job.result.get("skipped", [])
    docs += [skipped_to_document(stored[i]) for i in chosen["skipped"] if i < len(stored)]
    wanted = set(chosen["references"])
    picked = [i for i in chosen["documents"] if i < len(outcome.documents)]
    references = {pos for pos, i in enumerate(picked) if i in wanted}
    return docs, references


def _import_chosen(job: ImportJob, outcome: Any) -> None:
    """Import what the administrator chose and store the report on the job."""
    user = User.objects.filter(pk=job.result.get("confirmed_by")).first() or job.created_by
    documents, references = _chosen_documents(job, outcome)
    report = policy_import(documents=documents, source_name=job.source_name, by=user, references=references)
    result = dict(job.result)
    result["stage"] = STAGE_IMPORTED
    result["report"] = [
        {
            "title": o.title,
            "status": o.status,
            "document_id": o.document.pk if o.document else None,
            "is_reference": bool(o.document and o.document.is_reference),
            "requirements": o.requirements,
            "tracked": o.tracked,
            "message": o.message,
        }
        for o in report.outcomes
    ]
    _set(job, result=result)


def _parse(job: ImportJob, stage: str) -> Any:
    """Parse the job's file; OCR pages move the progress bar from 10 % to 90 % ("page k of n")."""
    if stage == STAGE_CONFIRMED and job.result.get("ocr_text"):
        return parse_text(job.result["ocr_text"], source_name=job.source_name)

    def page_done(done: int, total: int) -> None:
        _set(
            job,
            progress=10 + 80 * done // max(total, 1),
            message=_("文字识别：第 %(k)s 页，共 %(n)s 页") % {"k": done, "n": total},
        )

    with job.file.open("rb") as fh:
        data = fh.read()
    return parse_file(data, job.source_name, progress=page_done)


def _needs_worker(job: ImportJob) -> bool:
    """Large files and scans (OCR takes seconds a page) are parsed by the worker."""
    if job.file.size > inline_max_bytes():
        return True
    with job.file.open("rb") as fh:
        return needs_ocr(fh.read())


def import_job_dispatch(*, job: ImportJob) -> str:
    """Run the job now (small files) or hand it to the worker; return "inline", "queued" or "failed"."""
    if not _needs_worker(job):
        import_job_run(job_id=job.pk)
        return "inline"
    try:
        background.run(background.RUN_IMPORT_JOB, job.pk)
    except background.BackgroundUnavailable:  # a broker outage is reported on the job, not as a 500
        logger.warning("Could not queue import job %s", job.pk, exc_info=True)
        _set(
            job,
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_("后台任务服务暂时不可用，较大的文件无法立即处理。请稍后重新上传，或联系系统管理员。"),
        )
        return "failed"
    return "queued"


def _choice_checked(
    result: dict[str, Any], documents: list[int], skipped: list[int], classified_confirmed: bool
) -> None:
    """Refuse an empty choice, indexes the preview does not have, and 密级 documents not confirmed."""
    docs, blocks = result.get("documents", []), result.get("skipped", [])
    if not documents and not skipped:
        raise ServiceError(_("没有勾选任何文件，未导入。请至少勾选一份要导入的文件。"))
    if any(i < 0 or i >= len(docs) for i in documents) or any(i < 0 or i >= len(blocks) for i in skipped):
        raise ServiceError(_("所选文件不在预览中，请刷新页面后重新选择。"))
    marked = [(docs[i]["title"], docs[i].get("classification")) for i in documents if docs[i].get("classification")]
    for i in skipped:
        try:
            forced = skipped_to_document(blocks[i])
        except ParseError as exc:
            raise ServiceError(str(exc)) from exc
        if forced.meta.get("classification"):
            marked.append((forced.title, str(forced.meta["classification"])))
    if marked and not classified_confirmed:
        listed = "、".join(f"{quote_title(t)}（{level}）" for t, level in marked)
        raise ServiceError(
            _("%(docs)s标有密级。涉密文件不得录入本系统；如确认可以录入，请勾选“我确认该文件可以录入本系统”后再导入。")
            % {"docs": listed}
        )


def import_job_confirm(
    *,
    job: ImportJob,
    by: User,
    documents: list[int] | None = None,
    skipped: list[int] | None = None,
    references: list[int] | None = None,
    classified_confirmed: bool = False,
) -> str:
    """Import the chosen documents of the preview (each in its own transaction); returns how it was run.

    ``documents`` are the preview's document indexes to import (``None``: all of them),
    ``skipped`` the indexes of skipped blocks to import anyway as documents, ``references``
    the chosen documents to keep as reference documents (no tasks). A document marked
    秘密/机密/绝密 needs ``classified_confirmed``. Nothing chosen is refused.
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以导入文件。"))
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.DONE or locked.result.get("stage") != STAGE_PREVIEW:
            raise ServiceError(_("该导入任务当前不能确认（可能已确认过）。"))
        result = dict(locked.result)
        if documents is None:
            documents = list(range(len(result.get("documents", []))))
        documents, skipped = sorted(set(documents)), sorted(set(skipped or []))
        _choice_checked(result, documents, skipped, classified_confirmed)
        result["stage"] = STAGE_CONFIRMED
        result["confirmed_by"] = by.pk
        result["chosen"] = {
            "documents": documents,
            "skipped": skipped,
            "references": sorted(set(references or []) & set(documents)),
        }
        locked.result = result
        locked.status = JobStatus.PENDING
        locked.progress = 0
        locked.save(update_fields=["result", "status", "progress"])
    return import_job_dispatch(job=locked)
