"""The parsing pipeline: text → paragraphs → documents → numbered items with units and deadlines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .deadlines import extract_deadlines
from .decode import MAX_BYTES, decode_bytes
from .documents import Block, doc_year, mark_duplicates, split_blocks
from .forwarding import absorb_forwarding_notices
from .header import read_header
from .normalize import Para, build_paragraphs
from .structure import build_tree, flatten
from .tables import row_deadlines
from .types import ParsedDocument, ParsedItem, ParseError, ParseResult
from .units import extract_units
from .unnumbered import paragraph_items, split_closing

ITEM_KINDS = {"normative", "attachment"}
# Why a block was left out, as the import preview shows it (code → label).
SKIP_REASONS: dict[str, str] = {
    "news": "新闻报道",
    "qa": "问答解读",
    "duplicate": "重复副本",
    "table": "表格",
    "form": "表单",
    "empty": "无正文",
}
EXCERPT_LINES = 3
EXCERPT_CHARS = 80


@dataclass
class ParseOutcome(ParseResult):
    """A :class:`ParseResult` that also lists the blocks left out (news, Q&A, duplicates…).

    Each entry of ``skipped`` is a JSON-ready dict: ``title``, ``kind`` and ``reason`` (a code
    of :data:`SKIP_REASONS`), ``reason_label`` (its Chinese label, for users), ``excerpt``
    (the first lines), ``text`` (the whole block, one paragraph a line, for
    :func:`skipped_to_document`), ``source``, ``line`` and, for copies, ``duplicate_of``.
    """

    skipped: list[dict[str, str]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # OCR lines to check (see parse_file)
    ocr_text: str = ""  # the text OCR produced, so a confirmed import need not read the scan again

    def as_json(self) -> dict:
        return {**super().as_json(), "skipped": list(self.skipped)}


_RE_CJK = re.compile(r"[\u4e00-\u9fff]")


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
    result = ParseOutcome()
    built: list[tuple[Block, ParsedDocument]] = []
    for block in blocks:
        if block.kind in ITEM_KINDS:
            built.append((block, _to_document(block)))
        else:
            result.skipped.append(_skipped_entry(block, source_name))
    result.documents = absorb_forwarding_notices(built)
    result.warnings.extend(_warnings(result))
    return result


def _skipped_entry(block: Block, source_name: str) -> dict[str, str]:
    texts = [p.text.strip() for p in block.paras if p.text.strip()]
    excerpt = "\n".join(t[:EXCERPT_CHARS] + ("…" if len(t) > EXCERPT_CHARS else "") for t in texts[:EXCERPT_LINES])
    entry = {
        "title": block.title,
        "kind": block.kind,
        "reason": block.kind,
        "reason_label": SKIP_REASONS.get(block.kind, block.kind),
        "excerpt": excerpt,
        "text": "\n".join(texts),
        "source": source_name,
        "line": str(block.source_line),
    }
    if block.duplicate_of:
        entry["duplicate_of"] = block.duplicate_of
    return entry


def skipped_to_document(entry: Mapping[str, str]) -> ParsedDocument:
    """Import a skipped block anyway: read it as one normative document.

    ``entry`` is an element of :attr:`ParseOutcome.skipped` (as stored, e.g. in an import
    job's JSON); its items are built exactly as for any other document.
    """
    lines = [t for t in str(entry.get("text", "")).split("\n") if t.strip()]
    if not lines:
        raise ParseError("这段被跳过的内容没有文字，无法导入。")
    first = int(entry.get("line") or 1)
    block = Block(paras=[Para(t, first + i) for i, t in enumerate(lines)], start=0, source_line=first)
    read_header(block, attachment=False)
    block.kind = "normative"
    return _to_document(block)


def quote_title(title: str) -> str:
    """``《title》`` for messages, with the title's own 《》 turned into 〈〉 (never ``《…《…》》``)."""
    if not title:
        return "（无标题）"
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def _warnings(result: ParseOutcome) -> list[str]:
    out: list[str] = []
    for doc in result.documents:
        level = doc.meta.get("classification")
        if level:
            out.append(f"{quote_title(doc.title)}标有密级“{level}”：涉密文件不得导入本系统，请确认后再导入。")
        if not doc.items:
            out.append(f"{quote_title(doc.title)}没有识别出任何条目，请核对原文的编号格式。")
    if result.skipped:
        counts = Counter(entry["reason_label"] for entry in result.skipped)
        listed = "、".join(f"{label} {n} 段" for label, n in counts.items())
        out.append(f"有 {len(result.skipped)} 段内容未作为文件导入（{listed}），可在预览中查看或仍然导入。")
    if not result.documents and not result.skipped:
        out.append("没有识别出任何文件。")
    return out


def _to_document(block: Block) -> ParsedDocument:
    doc = ParsedDocument(
        title=block.title,
        issuer=block.issuer,
        doc_number=block.doc_number,
        date=block.date,
        kind=block.kind,
        body="\n".join(p.text for p in block.body),
        meta=dict(block.meta),
    )
    if block.kind not in ITEM_KINDS or block.note == "table":
        return doc
    year = doc_year(block)
    # A text published by a notice is dated by the notice (its 成文日期).
    date = block.date or (block.forwarded_by.date if block.forwarded_by is not None else None)
    # Closing words after the last item belong to the document (they stay in ``body``),
    # not to the last item.
    body, _closing = split_closing(block.body)
    tree = flatten(build_tree(body), doc_kind=block.kind)
    if not tree and block.kind == "normative":
        tree = paragraph_items(block.body)
    for it in tree:
        if it.row is not None:
            lead, co, text = it.row.lead_units, it.row.co_units, it.text
            dls = row_deadlines(it.row.deadline, year, date)
            dls += [d for d in extract_deadlines(text, year, date) if d.text not in it.row.deadline]
        else:
            lead, co, text = extract_units(it.text) if it.text else ([], [], it.text)
            dls = extract_deadlines(text, year, date) if text else []
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


__all__ = ["SKIP_REASONS", "ParseOutcome", "parse_file", "parse_text", "quote_title", "skipped_to_document"]
