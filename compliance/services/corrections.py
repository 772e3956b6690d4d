"""Correcting a draft document's item tree by hand: the parser's mistakes must never be final.

Every change goes through ``Requirement.save()`` / ``delete()`` so django-simple-history keeps
it (who, when, and a change reason naming the correction). Only drafts are corrected: once a
document is published its items carry tasks, evidence and reminders.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import PolicyDocument, Requirement, User
from ..parsing.numbering import recognize_label
from . import ServiceError

MAX_LABEL = 32
MAX_HEADING = 300


def _path_part(label: str) -> str:
    """The label as a path element, as the parser writes it (``二、`` → ``二``, ``3．`` → ``3``)."""
    label = label.strip()
    found = recognize_label(f"{label} 文")
    if found is not None and found.label == label:
        return found.norm
    return label.rstrip("、.．:： ") or "·"


def _editable(document: PolicyDocument, by: User) -> PolicyDocument:
    permissions.require(permissions.is_administrator(by), _("只有管理员可以修改条款。"))
    doc = PolicyDocument.objects.select_for_update().get(pk=document.pk)
    if doc.status != PolicyDocument.Status.DRAFT:
        raise ServiceError(_("文件已发布任务，条款结构不能再修改。"))
    if doc.archived_at is not None:
        raise ServiceError(_("文件已归档，不能修改条款。"))
    return doc


def _clean(label: str, heading: str, text: str) -> tuple[str, str, str]:
    label, heading, text = label.strip(), heading.strip(), text.strip()
    if not (label or heading or text):
        raise ServiceError(_("条款的编号、标题和原文不能都为空。"))
    if len(label) > MAX_LABEL:
        raise ServiceError(_("编号最多 %(n)s 个字。") % {"n": MAX_LABEL})
    if len(heading) > MAX_HEADING:
        raise ServiceError(_("标题最多 %(n)s 个字。") % {"n": MAX_HEADING})
    return label, heading, text


def _rows(doc: PolicyDocument) -> list[Requirement]:
    return list(Requirement.objects.filter(document=doc).order_by("order", "pk"))


def _subtree(rows: list[Requirement], root: Requirement) -> list[Requirement]:
    """``root`` and every row below it, in document order."""
    ids, out = {root.pk}, []
    for row in rows:
        if row.pk in ids or row.parent_id in ids:
            ids.add(row.pk)
            out.append(row)
    return out


def _save(req: Requirement, by: User, reason: str, fields: list[str]) -> None:
    req._history_user = by
    req._change_reason = reason[:100]
    req.save(update_fields=fields)


def _relink(rows: list[Requirement], by: User, reason: str, touched: set[int]) -> None:
    """Number ``rows`` in their order; recompute level and path of the ``touched`` rows from their parents.

    Untouched rows keep the path the parser gave them. A new level or path is saved with its
    history; a row that only moved in the numbering is renumbered without a history entry
    (its content did not change).
    """
    by_pk = {r.pk: r for r in rows}
    renumbered: list[Requirement] = []
    for order, row in enumerate(rows, start=1):
        if row.pk in touched:
            parent = by_pk.get(row.parent_id)
            values = {
                "order": order,
                "path": [*(parent.path if parent else []), _path_part(row.label)],
                "level": parent.level + 1 if parent else 1,
            }
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, values[name])
            if changed and changed != ["order"]:
                _save(row, by, reason, changed)
            elif changed:
                renumbered.append(row)
        elif row.order != order:
            row.order = order
            renumbered.append(row)
    if renumbered:
        Requirement.objects.bulk_update(renumbered, ["order"], batch_size=500)


def requirement_correct(
    *,
    requirement: Requirement,
    by: User,
    label: str,
    heading: str,
    text: str,
    is_requirement: bool,
    parent: Requirement | None,
) -> Requirement:
    """Correct one item: its label, heading, text, whether it is tracked, and its parent.

    A new parent must be another item of the same document, not the item itself nor one below
    it; the item and its children then move right after the new parent's last descendant (to
    the top level, it stays where it is).
    """
    label, heading, text = _clean(label, heading, text)
    with transaction.atomic():
        doc = _editable(requirement.document, by)
        rows = _rows(doc)
        req = next(r for r in rows if r.pk == requirement.pk)
        moved = (parent.pk if parent else None) != req.parent_id
        if moved and parent is not None:
            if parent.document_id != doc.pk or parent.pk in {r.pk for r in _subtree(rows, req)}:
                raise ServiceError(_("不能把条款移到它自己或它的下级条款之下。"))
        changed = [
            name
            for name, value in (
                ("label", label),
                ("heading", heading),
                ("text", text),
                ("is_requirement", is_requirement),
            )
            if getattr(req, name) != value
        ]
        for name in changed:
            setattr(
                req, name, {"label": label, "heading": heading, "text": text, "is_requirement": is_requirement}[name]
            )
        if moved:
            req.parent_id = parent.pk if parent else None
            changed.append("parent")
        if not changed:
            return req
        if moved or "label" in changed:
            req.path = [*(parent.path if parent else []), _path_part(label)]
            req.level = parent.level + 1 if parent else 1
            changed += ["path", "level"]
        _save(req, by, _("修改条款"), changed)
        touched = {r.pk for r in _subtree(rows, req)} if moved or "label" in changed else set()
        if moved and parent is not None:
            rows = _move_after(rows, _subtree(rows, req), parent)
        _relink(rows, by, _("修改条款"), touched)
    return req


def _move_after(rows: list[Requirement], block: list[Requirement], parent: Requirement) -> list[Requirement]:
    """``rows`` with ``block`` taken out and put back right after ``parent``'s last descendant."""
    rest = [r for r in rows if r not in block]
    below = _subtree(rest, next(r for r in rest if r.pk == parent.pk))
    at = rest.index(below[-1]) + 1
    return rest[:at] + block + rest[at:]


def requirement_add(
    *,
    document: PolicyDocument,
    by: User,
    label: str,
    heading: str,
    text: str,
    is_requirement: bool,
    parent: Requirement | None,
) -> Requirement:
    """Add a missing item: the last child of ``parent`` (or the last top-level item)."""
    label, heading, text = _clean(label, heading, text)
    with transaction.atomic():
        doc = _editable(document, by)
        rows = _rows(doc)
        if parent is not None and parent.document_id != doc.pk:
            raise ServiceError(_("所属条款不属于该文件。"))
        req = Requirement(
            document=doc,
            parent_id=parent.pk if parent else None,
            label=label,
            heading=heading,
            text=text,
            is_requirement=is_requirement,
            order=len(rows) + 1,
            level=parent.level + 1 if parent else 1,
            path=[*(parent.path if parent else []), _path_part(label)],
        )
        req._history_user = by
        req._change_reason = _("添加条款")
        req.save()
        if parent is not None:
            rows = _move_after(rows, [req], next(r for r in rows if r.pk == parent.pk))
        else:
            rows.append(req)
        _relink(rows, by, _("添加条款"), set())
    return req


def requirement_remove(*, requirement: Requirement, by: User) -> None:
    """Delete an item the parser made up; its children move up to its parent (nothing else is lost)."""
    with transaction.atomic():
        doc = _editable(requirement.document, by)
        rows = _rows(doc)
        req = next(r for r in rows if r.pk == requirement.pk)
        below = _subtree(rows, req)[1:]
        for child in (r for r in rows if r.parent_id == req.pk):
            child.parent_id = req.parent_id
            _save(child, by, _("所属条款已删除"), ["parent"])
        req._history_user = by
        req._change_reason = _("删除条款")
        req.delete()  # sets req.pk to None: compare by identity below
        _relink([r for r in rows if r is not req], by, _("删除条款"), {r.pk for r in below})


def requirement_split(*, requirement: Requirement, by: User, at: str) -> Requirement:
    """Split one item in two where its text reads ``at`` (the start of the second part).

    The first part stays (with its label, heading and children); the rest becomes a new item
    right after it, under the same parent and tracked alike. When the rest starts with a
    numbering label (``2.``, ``（三）``) that label becomes the new item's label.
    """
    at = at.strip()
    with transaction.atomic():
        doc = _editable(requirement.document, by)
        rows = _rows(doc)
        req = next(r for r in rows if r.pk == requirement.pk)
        cut = req.text.find(at) if at else -1
        if cut <= 0:
            raise ServiceError(_("在条款原文中找不到这段文字（或它就在开头），无法拆分。请复制第二部分开头的几个字。"))
        first, rest = req.text[:cut].rstrip(), req.text[cut:].strip()
        found = recognize_label(rest)
        label = found.label if found is not None else ""
        body = rest[len(found.label) :].strip() if found is not None else rest
        req.text = first
        _save(req, by, _("拆分条款"), ["text"])
        new = Requirement(
            document=doc,
            parent_id=req.parent_id,
            label=label,
            text=body,
            is_requirement=req.is_requirement,
            order=req.order,
            level=req.level,
            path=[*req.path[:-1], _path_part(label)],
        )
        new._history_user = by
        new._change_reason = _("拆分条款")
        new.save()
        at_pos = rows.index(_subtree(rows, req)[-1]) + 1
        _relink([*rows[:at_pos], new, *rows[at_pos:]], by, _("拆分条款"), set())
    return new


def requirement_merge_next(*, requirement: Requirement, by: User) -> Requirement:
    """Merge the next item (in document order) into this one: its text is appended, its children
    come under this item, and it is deleted (with its history)."""
    with transaction.atomic():
        doc = _editable(requirement.document, by)
        rows = _rows(doc)
        req = next(r for r in rows if r.pk == requirement.pk)
        index = rows.index(req)
        if index + 1 >= len(rows):
            raise ServiceError(_("这是最后一个条款，没有可合并的下一条。"))
        nxt = rows[index + 1]
        joined = " ".join(p for p in (nxt.label, nxt.heading) if p)
        if nxt.text and nxt.text != nxt.heading:
            joined = f"{joined} {nxt.text}".strip() if joined else nxt.text
        req.text = "\n".join(p for p in (req.text, joined) if p)
        req.is_requirement = req.is_requirement or nxt.is_requirement
        _save(req, by, _("合并条款"), ["text", "is_requirement"])
        below = _subtree(rows, nxt)[1:]
        for child in (r for r in rows if r.parent_id == nxt.pk):
            child.parent_id = req.pk
            _save(child, by, _("所属条款已合并"), ["parent"])
        nxt._history_user = by
        nxt._change_reason = _("合并条款")
        nxt.delete()
        _relink([r for r in rows if r is not nxt], by, _("合并条款"), {r.pk for r in below})
    return req
