"""Plain data produced by the parser. Pure: no Django, no ORM, no settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


class ParseError(ValueError):
    """Input that cannot be parsed; the message is shown to the user as is (Chinese)."""


@dataclass(frozen=True)
class Deadline:
    """One time constraint found in an item's text.

    ``text`` is the phrase as it appears (after whitespace normalisation), ``date``
    the resolved calendar date where there is one (never guessed), ``recurrence``
    one of ``yearly``, ``semester``, ``quarterly``, ``monthly``, ``weekly``,
    ``daily`` or ``None``.  ``kind`` says what sort of constraint it is (see
    ``deadlines.KINDS``: ``due``, ``target``, ``start``, ``effective``, ``frequency``,
    ``cycle``, ``duration``, ``relative``, ``window``, ``ongoing``, ``text``).
    """

    text: str
    date: dt.date | None = None
    recurrence: str | None = None
    kind: str | None = None

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
            "recurrence": self.recurrence,
            "kind": self.kind,
        }


@dataclass
class ParsedItem:
    label: str  # as printed, e.g. "（五）", "1．", "第十一条"
    path: list[str]  # normalised labels from the top, e.g. ["二", "（五）"]
    level: int  # 1 = top numbered level of the document
    heading: str  # short title ("标题。正文" or a title line), "" if none
    text: str  # full text with wraps joined, without child items
    is_requirement: bool
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The text after the heading: ``""`` for a pure heading (``第一章 总则``), the rest of
        ``标题。正文``.  A display that prints the heading first shows this, never ``总则 总则``."""
        text, heading = self.text, self.heading
        for opening in (f"【{heading}】", f"[{heading}]", heading):
            if heading and text.startswith(opening):
                return text[len(opening) :].lstrip("。．.：:，, \n")
        return text

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "path": list(self.path),
            "level": self.level,
            "heading": self.heading,
            "text": self.text,
            "is_requirement": self.is_requirement,
            "lead_units": list(self.lead_units),
            "co_units": list(self.co_units),
            "deadlines": [d.as_json() for d in self.deadlines],
        }


@dataclass
class ParsedDocument:
    title: str
    issuer: str = ""
    doc_number: str = ""  # 文号, e.g. "教学〔2019〕4号"
    # Only a full printed date; a month-only date ("2018年2月") leaves this None, but its
    # year is still used to resolve deadlines without a year (see documents.doc_year).
    date: dt.date | None = None
    kind: str = "normative"  # normative | attachment | news | qa | duplicate
    body: str = ""  # normalised full text of the document
    items: list[ParsedItem] = field(default_factory=list)
    # The 公文 elements printed in the document (GB/T 9704-2012), only those present: keys and
    # their Chinese names in ``elements.META_KEYS`` (``classification`` is 秘密/机密/绝密).
    # Values are strings, ISO dates or lists of strings, so the dict is JSON as it is.
    meta: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date.isoformat() if self.date else None,
            "items": [i.as_json() for i in self.items],
            "meta": dict(self.meta),
        }


@dataclass
class ParseResult:
    documents: list[ParsedDocument] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"documents": [d.as_json() for d in self.documents]}


__all__ = [
    "Deadline",
    "ParseError",
    "ParseResult",
    "ParsedDocument",
    "ParsedItem",
    "asdict",
]
