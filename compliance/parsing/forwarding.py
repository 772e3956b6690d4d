"""A notice that publishes a text (``关于印发《X》的通知``) and the text it publishes. Pure.

The notice itself usually says only "现将《X》印发给你们，请认真贯彻执行。": its 文号, date
and issuer are X's.  Such a notice and its attachment are one document — X, with the
notice's 文号, date, issuer and 公文 elements (the notice's title kept as meta
``notice_title``).  A notice with items of its own (numbered requirements or actionable
paragraphs) stays a document; its attachments still take its 文号, date and issuer where
they print none.
"""

from __future__ import annotations

from .header import Block
from .types import ParsedDocument


def absorb_forwarding_notices(built: list[tuple[Block, ParsedDocument]]) -> list[ParsedDocument]:
    """The documents in order, each forwarding notice without items folded into its attachments."""
    doc_of = {id(block): doc for block, doc in built}
    absorbed: set[int] = set()
    for block, doc in built:
        notice_block = block.forwarded_by
        if notice_block is None or id(notice_block) not in doc_of:
            continue
        notice = doc_of[id(notice_block)]
        empty = not notice.items
        _take_notice_metadata(doc, notice, replace=empty)
        if empty:
            doc.kind = "normative"
            absorbed.add(id(notice_block))
    return [doc for block, doc in built if id(block) not in absorbed]


def _take_notice_metadata(doc: ParsedDocument, notice: ParsedDocument, *, replace: bool) -> None:
    """The notice's 文号, date and issuer; when the notice is folded in, its elements too."""
    doc.doc_number = notice.doc_number or doc.doc_number if replace else doc.doc_number or notice.doc_number
    doc.date = (notice.date or doc.date) if replace else (doc.date or notice.date)
    doc.issuer = (notice.issuer or doc.issuer) if replace else (doc.issuer or notice.issuer)
    meta = {k: v for k, v in notice.meta.items() if k != "title"} if replace else {}
    meta.update(doc.meta)
    if notice.title and notice.title != doc.title:
        meta["notice_title"] = notice.title
    if doc.doc_number:
        meta["doc_number"] = doc.doc_number
    doc.meta = meta


__all__ = ["absorb_forwarding_notices"]
