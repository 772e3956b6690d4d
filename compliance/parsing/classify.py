"""Classify blocks (normative, news, Q&A, form, table) and mark duplicate copies. Pure."""

from __future__ import annotations

import re
from itertools import islice

from .header import Block
from .markers import RE_NEWS_LEAD, ends_sentence, has_doc_word, is_table_row
from .numbering import LabelKind, recognize_label
from .tables import split_row, task_columns

_RE_QA_TITLE = re.compile(r"答记者问|答问|问答|访谈|专访|解读|答疑|记者会|发布会")
_RE_QA_LINE = re.compile(
    r"^(?:\d{1,2}\s*[.．、]\s*)?(问|答)\s*[：:]|^【关键词】|^关键词[一二三四五六七八九十\d]+[：:]|^记者\s*[：:]"
)
_RE_FORM = re.compile(r"申报书|申请书|申请表|申报表|登记表|推荐表|报名表|回执|填表说明|审批表|汇总表|一览表|统计表")
# "教育部印发《…》": a report that a document was issued, not the document.
_RE_REPORTING_TITLE = re.compile(r"(?:印发|发布|出台|公布|召开|举行)《[^》]+》$")
_RE_DATE_LEAD = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日[，,]")


def classify(block: Block) -> None:
    """Tell normative documents from news, Q&A, forms and tables.

    A block with the marks of an official document (a 文号, an addressee line, articles, or a
    numbered structure under a normative title) is never news: an administrator importing
    it must get its items.  News needs a byline, a wire-service lead, a date lead or a
    headline, and few numbered paragraphs.
    """
    title = block.title
    body_texts = [p.text.strip() for p in block.body]
    labels = [recognize_label(t) for t in body_texts]
    n_labels = sum(1 for lab in labels if lab is not None)
    qa_lines = sum(1 for t, lab in zip(body_texts, labels, strict=True) if _RE_QA_LINE.match(lab.rest if lab else t))
    if _RE_QA_TITLE.search(title) or qa_lines >= 2:
        block.kind, block.note = "qa", "Q&A / interpretation"
        return
    if not _official(block, labels):
        news = _news_reason(block, body_texts, n_labels)
        if news:
            block.kind, block.note = "news", news
            return
    if any(is_table_row(t) and task_columns(split_row(t)) for t in body_texts):
        return  # a 任务分解表 in rows: its tasks are the document's items
    boxes = sum(t.count("□") for t in body_texts)
    if boxes >= 3 or (_RE_FORM.search(title) and not has_doc_word(_RE_FORM.sub("", title)) and n_labels < 3):
        block.kind, block.note = "form", "form or table"
        return
    if any("填表说明" in t for t in body_texts[:3]):
        block.kind, block.note = "form", "form"
        return
    if _is_table(title, body_texts) and not (n_labels >= 3 and has_doc_word(title) and not _RE_FORM.search(title)):
        # A notice with numbered items and a cell-per-line table inside stays a document.
        block.kind, block.note = "table", "flattened table"
        return


def _official(block: Block, labels: list) -> bool:
    """Marks that only an official (normative) document carries."""
    if block.doc_number or "addressees" in block.meta:
        return True
    articles = sum(1 for lab in labels if lab is not None and lab.kind is LabelKind.ARTICLE)
    structured = sum(1 for lab in labels if lab is not None and not lab.kind.arabic)
    normative_title = has_doc_word(block.title) and not _RE_REPORTING_TITLE.search(block.title)
    return articles >= 2 or (normative_title and structured >= 3)


def _news_reason(block: Block, body_texts: list[str], n_labels: int) -> str:
    """Why the block reads as news (diagnostics), or "" if it does not."""
    title = block.title
    first = " ".join(body_texts[:2])
    if block.note == "news byline" and n_labels < 6:
        return "news byline"
    if (RE_NEWS_LEAD.match(first) or block.note == "source byline") and n_labels < 3:
        return "news lead without numbered items"
    if "：" in title and not has_doc_word(title) and not block.doc_number:
        return "headline-style title"
    if _RE_DATE_LEAD.match(first) and n_labels < 3:
        return "report of an event (date lead)"
    return ""


def _is_table(title: str, texts: list[str]) -> bool:
    """A table and nothing else: a 序号 header, or mostly short cell fragments (a table
    flattened one cell per line); Word/PDF rows ``| … |`` with no prose around them."""
    if not texts:
        return False
    if any(is_table_row(t) for t in texts):
        return not any(ends_sentence(t) or len(t) > 30 for t in texts if not is_table_row(t))
    if any(re.search(r"(^|\s)序号(\s|$)", t) for t in [title, *texts[:3]]):
        return True
    if len(texts) < 15:
        return False
    short = sum(1 for t in texts if len(t) <= 14 and not ends_sentence(t))
    return short >= 0.45 * len(texts)


# --------------------------------------------------------------------------- duplicates

_RE_NON_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)


def shingles(text: str, k: int = 8) -> set[str]:
    """Character k-grams of the text without spaces and punctuation."""
    t = _RE_NON_TEXT.sub("", text)
    return {t[i : i + k] for i in range(max(0, len(t) - k + 1))}


def mark_duplicates(blocks: list[Block], threshold: float = 0.85) -> None:
    """Mark later copies of a document (same 文号+title, or ≥ threshold of text seen before)."""
    seen_keys: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    kept: list[tuple[str, set[str]]] = []
    candidates = [block for block in blocks if block.kind in {"normative", "attachment"}]
    for i, block in enumerate(candidates, start=1):
        more = i < len(candidates)
        # A block's k-grams serve to compare it with the text seen before and later blocks with
        # it: a single document (most imports) needs none.
        sh = shingles(block.title + ("".join(p.text for p in block.body) or block.title)) if seen or more else set()
        norm_title = re.sub(r"\W", "", block.title)
        key = (block.doc_number, norm_title)
        same_title = [t for (n, t2), t in seen_keys.items() if t2 == norm_title and (not n or not block.doc_number)]
        if block.doc_number and key in seen_keys:
            block.kind, block.note, block.duplicate_of = "duplicate", "same 文号 and title", seen_keys[key]
        elif len(norm_title) >= 12 and same_title:
            block.kind, block.note, block.duplicate_of = "duplicate", "same title", same_title[0]
        elif len(sh) >= 40 and _shares_at_least(sh, seen, threshold * len(sh)):
            block.kind, block.note = "duplicate", "text seen before"
            block.duplicate_of = max(kept, key=lambda k: len(k[1] & sh))[0]
        if block.kind != "duplicate":
            if more:
                seen |= sh
                kept.append((block.title, sh))
            seen_keys.setdefault(key, block.title)


def _shares_at_least(sh: set[str], seen: set[str], need: float) -> bool:
    """``len(sh & seen) >= need``, but stop as soon as the k-grams missing from ``seen`` rule it
    out: a new text (most blocks) shows that within its first few hundred k-grams."""
    n, misses = len(sh), 0
    grams = iter(sh)
    while chunk := list(islice(grams, 256)):
        misses += len(chunk) - sum(map(seen.__contains__, chunk))
        if n - misses < need:
            return False
    return True


__all__ = ["classify", "mark_duplicates", "shingles"]
