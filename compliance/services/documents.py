"""Importing parsed policy documents: one transaction per document, idempotent by content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .. import permissions
from ..models import Assignment, PolicyDocument, ReminderDelivery, Requirement, User
from ..parsing.types import ParsedDocument
from . import ServiceError

RECURRENCES = {c.value for c in Requirement.Recurrence}


@dataclass
class ImportOutcome:
    """What happened to one parsed document."""

    title: str
    status: str  # "created" | "unchanged" | "failed" | "dry-run"
    document: PolicyDocument | None = None
    requirements: int = 0
    tracked: int = 0
    message: str = ""


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    @property
    def created(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "created"]

    @property
    def failed(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def document_fingerprint(doc: ParsedDocument) -> str:
    """sha256 of the document's normalised content: the same text imports once, however wrapped."""
    basis = doc.body or "\n".join([doc.title] + [f"{'/'.join(i.path)} {i.text}" for i in doc.items])
    compact = "".join(basis.split())
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()


def _first_deadline(item) -> tuple[str, object, str]:
    dated = [d for d in item.deadlines if d.date]
    chosen = dated[0] if dated else (item.deadlines[0] if item.deadlines else None)
    recurrence = next((d.recurrence for d in item.deadlines if d.recurrence in RECURRENCES), "")
    if chosen is None:
        return "", None, recurrence or ""
    return chosen.text[:300], chosen.date, recurrence or ""


def policy_document_import(
    *, parsed: ParsedDocument, source_name: str, by: User | None, dry_run: bool = False, is_reference: bool = False
) -> ImportOutcome:
    """Store one parsed document and its requirement tree, or nothing at all.

    ``is_reference`` keeps it as a reference document (参考文件): listed, never routed or published.
    """
    digest = document_fingerprint(parsed)
    existing = PolicyDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        return ImportOutcome(
            title=parsed.title,
            status="unchanged",
            document=existing,
            requirements=existing.requirements.count(),
            message=_("内容相同的文件已于 %(t)s 导入，未做任何更改。")
            % {"t": existing.imported_at.strftime("%Y-%m-%d %H:%M")},
        )
    tracked = sum(1 for i in parsed.items if i.is_requirement)
    if dry_run:
        return ImportOutcome(title=parsed.title, status="dry-run", requirements=len(parsed.items), tracked=tracked)
    with transaction.atomic():
        doc = PolicyDocument(
            title=parsed.title[:500] or source_name or _("（无标题）"),
            issuer=parsed.issuer[:300],
            doc_number=parsed.doc_number[:100],
            issue_date=parsed.date,
            kind=PolicyDocument.Kind.ATTACHMENT if parsed.kind == "attachment" else PolicyDocument.Kind.NORMATIVE,
            source_name=source_name[:255],
            sha256=digest,
            body=parsed.body,
            imported_by=by,
            is_reference=is_reference,
        )
        doc._history_user = by
        doc.save()
        rows: list[Requirement] = []
        for order, item in enumerate(parsed.items, start=1):
            text, date, recurrence = _first_deadline(item)
            rows.append(
                Requirement(
                    document=doc,
                    label=item.label[:32],
                    path=list(item.path),
                    order=order,
                    level=item.level,
                    heading=item.heading[:300],
                    text=item.text,
                    is_requirement=item.is_requirement,
                    lead_units_text=list(item.lead_units),
                    co_units_text=list(item.co_units),
                    deadlines=[d.as_json() for d in item.deadlines],
                    deadline_text=text,
                    deadline_date=date,
                    recurrence=recurrence,
                )
            )
        bulk_create_with_history(rows, Requirement, batch_size=500, default_user=by)
        # Link parents by path prefix: the nearest earlier item whose path is this one's prefix.
        by_path: dict[tuple[str, ...], Requirement] = {}
        changed: list[Requirement] = []
        for req in rows:
            key = tuple(req.path)
            parent = by_path.get(key[:-1]) if len(key) > 1 else None
            if parent is not None:
                req.parent = parent
                changed.append(req)
            by_path[key] = req
        if changed:
            Requirement.objects.bulk_update(changed, ["parent"], batch_size=500)
    return ImportOutcome(title=doc.title, status="created", document=doc, requirements=len(rows), tracked=tracked)


def policy_import(
    *,
    documents: list[ParsedDocument],
    source_name: str,
    by: User | None,
    dry_run: bool = False,
    references: set[int] | frozenset[int] = frozenset(),
) -> ImportReport:
    """Import every document of a parse result; each in its own transaction.

    ``references`` are the positions in ``documents`` to keep as reference documents.
    """
    report = ImportReport()
    for pos, parsed in enumerate(documents):
        try:
            report.outcomes.append(
                policy_document_import(
                    parsed=parsed, source_name=source_name, by=by, dry_run=dry_run, is_reference=pos in references
                )
            )
        except Exception as exc:
            report.outcomes.append(ImportOutcome(title=parsed.title, status="failed", message=str(exc)))
    return report


def document_reference_set(*, document: PolicyDocument, by: User, is_reference: bool) -> PolicyDocument:
    """Keep a draft document as a reference document (参考文件: listed, never routed or published), or undo it.

    A published document already has tasks, so it cannot become a reference document.
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以更改文件类型。"))
    with transaction.atomic():
        doc = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if is_reference and doc.status == PolicyDocument.Status.PUBLISHED:
            raise ServiceError(_("该文件已发布任务，不能再标为参考文件。"))
        if doc.is_reference == is_reference:
            return doc
        doc.is_reference = is_reference
        doc._history_user = by
        doc._change_reason = _("标为参考文件") if is_reference else _("取消参考文件")
        doc.save(update_fields=["is_reference"])
    return doc


# --- archiving: finished or superseded documents leave lists, dashboards and reminders ----------


def document_archive(*, document: PolicyDocument, by: User, reason: str) -> PolicyDocument:
    """Archive a document (已全部办结, 已被新文件替代 …); it is never deleted.

    Its requirements, items, evidence and history stay as they are and can still be opened (and
    listed when asked for); reminders still waiting to go out for its items are cancelled.
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以归档文件。"))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("归档时请说明原因，例如“已全部办结”或“已被新文件替代”。"))
    if len(reason) > 500:
        raise ServiceError(_("归档原因最多 500 字。"))
    with transaction.atomic():
        doc = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if doc.archived_at is not None:
            raise ServiceError(
                _("该文件已于 %(t)s 归档。") % {"t": timezone.localtime(doc.archived_at).strftime("%Y-%m-%d %H:%M")}
            )
        doc.archived_at = timezone.now()
        doc.archived_by = by
        doc.archive_reason = reason
        doc._history_user = by
        doc._change_reason = reason[:100]
        doc.save(update_fields=["archived_at", "archived_by", "archive_reason"])
        ReminderDelivery.objects.filter(
            assignment__requirement__document=doc, status=ReminderDelivery.Status.PENDING
        ).update(status=ReminderDelivery.Status.SKIPPED, last_error="document archived")
    return doc


def document_unarchive(*, document: PolicyDocument, by: User, reason: str = "") -> PolicyDocument:
    """Bring an archived document back into lists, dashboards and reminders."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以恢复归档文件。"))
    with transaction.atomic():
        doc = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if doc.archived_at is None:
            raise ServiceError(_("该文件未归档。"))
        doc.archived_at = None
        doc.archived_by = None
        doc.archive_reason = ""
        doc._history_user = by
        doc._change_reason = (reason or "").strip()[:100] or _("恢复归档文件")
        doc.save(update_fields=["archived_at", "archived_by", "archive_reason"])
    return doc


def document_open_items(document: PolicyDocument) -> int:
    """How many of a document's items are still open (shown before archiving)."""
    return Assignment.objects.filter(requirement__document=document, status__in=Assignment.OPEN_STATUSES).count()
