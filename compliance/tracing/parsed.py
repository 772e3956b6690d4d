"""Passages from the parser's output: the requirement rows of one parsed document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..parsing import ParsedDocument, ParseResult
from .similarity import Passage


def first_document_with_items(result: ParseResult) -> ParsedDocument | None:
    """A compilation's first document that has requirement rows (a single document: itself)."""
    for doc in result.documents:
        if any(i.is_requirement for i in doc.items):
            return doc
    return None


def passages(items: Iterable) -> list[Passage]:
    """Requirement rows (``is_requirement``) with the titles of the sections above them.

    ``items`` are objects with ``path``, ``heading``, ``text`` and ``is_requirement`` in document
    order (the parser's ParsedItem, or Requirement rows); the key is the position in ``items``.
    """
    rows: list[Passage] = []
    titles: dict[tuple[str, ...], str] = {}
    for index, item in enumerate(items):
        path = tuple(item.path)
        titles[path] = item.heading or ""
        if not item.is_requirement:
            continue
        context = " ".join(t for p, t in titles.items() if len(p) < len(path) and path[: len(p)] == p and t)
        rows.append(Passage(key=index, path=path, text=f"{item.heading} {item.text}".strip(), context=context))
    return rows


def document_passages(doc: ParsedDocument | None) -> Sequence[Passage]:
    return passages(doc.items) if doc is not None else []
