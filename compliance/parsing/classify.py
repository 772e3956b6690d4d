"""Classify blocks (normative, news, Q&A, form, table) and mark duplicate copies. Pure."""

from __future__ import annotations

import re

from .header import Block
from .markers import RE_NEWS_LEAD, ends_sentence, has_doc_word
from .numbering import recognize_label

_RE_QA_TITLE = re.compile(r"答记者问|答问|问答|访谈|专访|解读|答疑|记者会|发布会")
_RE_QA_LINE = re.compile(
    r"^(?:\d{1,2}\s*[.．、]\s*)?(问|答)\s*[：:]|^【关键词】|^关键词[一二三四五六七八九十\d]+[：:]|^记者\s*[：:]"
)
_RE_FORM = re.compile(r"申报书|申请书|申请表|申报表|登记表|推荐表|报名表|回执|填表说明|审批表|汇总表|一览表|统计表")
_RE_DATE_LEAD = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日[，,]")


def classify(block: Block) -> None:
    """Tell normative documents from news, Q&A, forms and tables."""
    title = block.title
    body_texts = [p.text.strip() for p in block.body]
    labels = [recognize_label(t) for t in body_texts]
    n_labels = sum(1 for lab in labels if lab is not None)
    qa_lines = sum(
        1
        for t in body_texts
        if _RE_QA_LINE.match(t) or (recognize_label(t) and _RE_QA_LINE.match(recognize_label(t).rest))
    )
    if _RE_QA_TITLE.search(title) or qa_lines >= 2:
        block.kind, block.note = "qa", "Q&A / interpretation"
        return
    first = " ".join(body_texts[:2])
    if block.note == "news byline" and n_labels < 6:
        block.kind = "news"
        return
    if (RE_NEWS_LEAD.match(first) or block.note == "source byline") and n_labels < 3:
        block.kind, block.note = "news", "news lead without numbered items"
        return
    if "：" in title and not has_doc_word(title) and not block.doc_number:
        block.kind, block.note = "news", "headline-style title"
        return
    if _RE_DATE_LEAD.match(first) and n_labels < 3:
        block.kind, block.note = "news", "report of an event (date lead)"
        return
    boxes = sum(t.count("□") for t in body_texts)
    if boxes >= 3 or (_RE_FORM.search(title) and not has_doc_word(_RE_FORM.sub("", title)) and n_labels < 3):
        block.kind, block.note = "form", "form or table"
        return
    if any("填表说明" in t for t in body_texts[:3]):
        block.kind, block.note = "form", "form"
        return
    if _is_table(title, body_texts) and not (n_labels >= 3 and has_doc_word(title)):
        # A notice with numbered items and a cell-per-line table inside stays a document.
        block.kind, block.note = "table", "flattened table"
        return


def _is_table(title: str, texts: list[str]) -> bool:
    """A flattened table: a 序号 header, or mostly short cell fragments."""
    if not texts:
        return False
    if any(re.search(r"(^|\s)序号(\s|$)", t) for t in [title, *texts[:3]]):
        return True
    if len(texts) < 15:
        return False
    short = sum(1 for t in texts if len(t) <= 14 and not ends_sentence(t))
    return short >= 0.45 * len(texts)


# --------------------------------------------------------------------------- duplicates

_RE_NON_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)


def shingles(text: str, k: int = 8) -> set[int]:
    """Hashed character k-grams of the text without spaces and punctuation."""
    t = _RE_NON_TEXT.sub("", text)
    return {hash(t[i : i + k]) for i in range(max(0, len(t) - k + 1))}


def mark_duplicates(blocks: list[Block], threshold: float = 0.85) -> None:
    """Mark later copies of a document (same 文号+title, or ≥ threshold of text seen before)."""
    seen_keys: set[tuple[str, str]] = set()
    seen: set[int] = set()
    for block in blocks:
        if block.kind not in {"normative", "attachment"}:
            continue
        text = "".join(p.text for p in block.body) or block.title
        sh = shingles(block.title + text)
        norm_title = re.sub(r"\W", "", block.title)
        key = (block.doc_number, norm_title)
        if block.doc_number and key in seen_keys:
            block.kind, block.note = "duplicate", "same 文号 and title"
        elif len(norm_title) >= 12 and any(t == norm_title and (not n or not block.doc_number) for n, t in seen_keys):
            block.kind, block.note = "duplicate", "same title"
        elif len(sh) >= 40 and len(sh & seen) >= threshold * len(sh):
            block.kind, block.note = "duplicate", "text seen before"
        if block.kind != "duplicate":
            seen |= sh
            seen_keys.add(key)


__all__ = ["classify", "mark_duplicates", "shingles"]
