"""The parsing pipeline: text → paragraphs → documents → numbered items with units and deadlines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .decode import MAX_BYTES, decode_bytes
from .documents import Block, doc_year, mark_duplicates, split_blocks
from .normalize import build_paragraphs
from .structure import build_tree, flatten, paragraph_items, split_closing
from .types import Deadline, ParsedDocument, ParsedItem, ParseError, ParseResult

ITEM_KINDS = {"normative", "attachment"}


@dataclass
class ParseOutcome(ParseResult):
    """A :class:`ParseResult` that also lists the blocks left out (news, Q&A, duplicates…)."""

    skipped: list[dict[str, str]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # OCR lines to check (see parse_file)
    ocr_text: str = ""  # the text OCR produced, so a confirmed import need not read the scan again

    def as_json(self) -> dict:
        return {**super().as_json(), "skipped": list(self.skipped)}


_RE_CJK = re.compile(r"[\u4e00-\u9fff]")


def _units_fn() -> Callable[[str], tuple[list[str], list[str], str]]:
    try:
        from .units import extract_units
    except ImportError:  # the units module is developed separately

        def extract_units(text: str) -> tuple[list[str], list[str], str]:
            return [], [], text

    return extract_units


def _deadlines_fn() -> Callable[..., list[Deadline]]:
    try:
        from .deadlines import extract_deadlines
    except ImportError:

        def extract_deadlines(text: str, doc_year: int | None, doc_date: dt.date | None = None) -> list[Deadline]:
            return []

    return extract_deadlines


def parse_text(text: str, *, source_name: str = "") -> ParseOutcome:
    """Parse pasted or decoded text (one document or a compilation)."""
    if not text or not text.strip():
        raise ParseError("内容为空，没有可解析的文字。")
    if not _RE_CJK.search(text):
        raise ParseError("内容中没有中文文字，不像是政策文件。")
    paras = build_paragraphs(text)
    if not paras:
        raise ParseError("内容为空，没有可解析的文字。")
    blocks = split_blocks(paras)
    mark_duplicates(blocks)
    units = _units_fn()
    deadlines = _deadlines_fn()
    result = ParseOutcome()
    for block in blocks:
        if block.kind == "empty":
            continue
        doc = _to_document(block, units, deadlines)
        if block.kind in ITEM_KINDS:
            result.documents.append(doc)
        else:
            result.skipped.append(
                {
                    "title": block.title,
                    "kind": block.kind,
                    "source": source_name,
                    "line": str(block.source_line),
                }
            )
    return result


def _to_document(block: Block, units: Callable, deadlines: Callable) -> ParsedDocument:
    doc = ParsedDocument(
        title=block.title,
        issuer=block.issuer,
        doc_number=block.doc_number,
        date=block.date,
        kind=block.kind,
        body="\n".join(p.text for p in block.body),
    )
    if block.kind not in ITEM_KINDS or block.note == "table":
        return doc
    year = doc_year(block)
    # Closing words after the last item belong to the document (they stay in ``body``),
    # not to the last item.
    body, _closing = split_closing(block.body)
    tree = flatten(build_tree(body), doc_kind=block.kind)
    if not tree and block.kind == "normative":
        tree = paragraph_items(block.body)
    for it in tree:
        lead, co, text = units(it.text) if it.text else ([], [], it.text)
        try:
            dls = deadlines(text, year, block.date) if text else []
        except TypeError:
            dls = deadlines(text, year)
        doc.items.append(
            ParsedItem(
                label=it.label,
                path=it.path,
                level=it.level,
                heading=it.heading,
                text=text.strip(),
                is_requirement=it.is_requirement,
                lead_units=list(lead),
                co_units=list(co),
                deadlines=list(dls),
            )
        )
    return doc


def parse_file(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ParseOutcome:
    """Decode ``data`` by content and extension, then parse it.

    ``progress(done, total)`` is called after each page read by OCR; the lines OCR was unsure
    of are listed in ``uncertain``.
    """
    decoded = decode_bytes(data, filename, max_bytes=max_bytes, progress=progress)
    if not decoded.text.strip():
        raise ParseError("文件中没有可提取的文字。")
    result = parse_text(decoded.text, source_name=filename)
    result.warnings = decoded.warnings + result.warnings
    result.uncertain = list(decoded.uncertain)
    result.ocr_text = decoded.text if decoded.ocr_pages else ""
    return result


__all__ = ["ParseOutcome", "parse_file", "parse_text"]
