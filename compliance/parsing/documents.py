"""Split a compilation into documents, read their metadata, classify and de-duplicate them.

Compilations have no separators: a new document starts right after the previous one's
date line, or after its last paragraph.  We therefore look for *anchors* — paragraphs that
can only begin a document header — in decreasing order of reliability:

* a standalone 文号 (``教学〔2019〕4号``) or a date in brackets under a title: the header
  starts at the title lines just above;
* a standalone ``附件`` / ``附件1`` marker: an attachment starts;
* a signature date line: whatever title follows starts a new document;
* a short title ending in a document word (通知/意见/办法/方案/…) followed by an
  addressee line, a ``来源：`` byline or body text.

Each block is then read as header (title, 文号, bracket date), body and trailer
(signature, date, contacts) by :mod:`.header` and classified by :mod:`.classify`:
normative, attachment, news, qa, form or duplicate.  Only normative documents and
attachments get items.
"""

from __future__ import annotations

import re

from .classify import classify, mark_duplicates
from .elements import is_header_element
from .header import Block, doc_year, read_header
from .markers import (
    RE_ADDRESSEE,
    RE_HEADLINE,
    RE_NEWS_LEAD,
    RE_ORG_END,
    RE_SECTION_MARK,
    RE_SOURCE,
    ends_sentence,
    has_doc_word,
    is_attachment_marker,
    is_bracket_date,
    is_byline,
    is_date_line,
    is_docnum,
    is_person_signature,
    is_titleish,
    is_trailer,
    signature_like,
)
from .normalize import Para
from .numbering import LabelKind, recognize_label

_RE_SECTION_NAME = re.compile(
    r"政策|文件|法规|制度|通知|公告|资讯|动态|看点|观点|新闻|评论|声音|要闻|聚焦|简讯|理论|专题"
)
_RE_NEWS_SECTION = re.compile(r"资讯|动态|看点|观点|新闻|评论|声音|要闻|聚焦|简讯|理论|媒体|专家|解读|访谈")
# A regulation's body opens with 第一章 or 第一条.
_REGULATION_START = {LabelKind.CHAPTER, LabelKind.ARTICLE}
_RE_PHONE = re.compile(r"\d{3,4}-?\d{6,8}|\d{11}")


def title_run(texts: list[str], i: int, max_len: int = 5) -> int | None:
    """End (exclusive) of the title starting at ``i``, or ``None`` if no title starts there.

    A title is 1–5 title-like paragraphs whose joined text ends in a document word; a
    trailing ``（试行）`` or ``——…答记者问`` line still belongs to it.
    """
    k = i
    best: int | None = None
    while k < len(texts) and k - i < max_len and is_titleish(texts[k]):
        k += 1
        if has_doc_word("".join(texts[i:k])):
            best = k
    if best is None:
        return None
    k = best
    while k < len(texts) and is_titleish(texts[k]) and texts[k].startswith(("（", "(", "——")) and len(texts[k]) <= 40:
        k += 1
    return k


def find_anchors(paras: list[Para]) -> dict[int, str]:
    """Paragraph indices where a document (header) starts, mapped to a hint."""
    n = len(paras)
    texts = [p.text.strip() for p in paras]
    anchors: dict[int, str] = {0: "start"}

    def title_start(i: int) -> int | None:
        """Walk back over title lines (and the header elements above them) ending before ``i``."""
        j = i - 1
        while j >= 0 and i - j <= 5 and is_titleish(texts[j]):
            j -= 1
        if j + 1 == i:
            return None  # no title line right above
        return _elements_before(texts, j + 1)

    for i, t in enumerate(texts):
        if is_docnum(t) or is_bracket_date(t) or RE_SOURCE.match(t):
            s = title_start(i)
            if s is not None and (has_doc_word("".join(texts[s:i])) or is_docnum(t) or RE_SOURCE.match(t)):
                while s < i - 1 and texts[s].startswith(("（", "(")) and texts[s].endswith(("）", ")")):
                    s += 1  # "（本文刊发于…）" closes the previous article
                anchors.setdefault(s, "header")
        elif RE_SECTION_MARK.match(t) and _RE_SECTION_NAME.search(t):
            anchors[i] = "section"
        elif (
            is_attachment_marker(t)
            and i + 1 < n
            and (not t.replace(" ", "").endswith(("：", ":")) or recognize_label(texts[i + 1]) is None)
        ):
            anchors[i] = "attachment"
        elif is_date_line(t):
            _anchor_after_date(texts, i, anchors)
    # Titles with a document word after a finished paragraph, followed by body text.
    for i in range(1, n):
        t = texts[i]
        if not is_titleish(t):
            continue
        s = _elements_before(texts, i)
        if s == 0 or any(a in anchors for a in range(s - 2, i + 5)):
            continue
        prev = texts[s - 1]
        if is_titleish(prev):
            continue  # not the first line of a title run
        k = title_run(texts, i, max_len=4)
        if k is None:
            if ends_sentence(prev) and _headline_starts(texts, i):
                anchors.setdefault(i, "headline")
            continue
        joined = "".join(texts[i:k])
        if len(joined) < 8:
            continue
        if not (ends_sentence(prev) or is_trailer(prev) or prev.startswith("http") or "关于" in joined):
            continue
        nxt = texts[k] if k < n else ""
        nlab = recognize_label(nxt)
        if (
            (RE_ADDRESSEE.search(nxt) and len(nxt) <= 250 and nlab is None)
            or is_docnum(nxt)
            or is_header_element(nxt)
            or RE_SOURCE.match(nxt)
            or RE_NEWS_LEAD.match(nxt)
            or (nlab is None and len(nxt) >= 40 and not joined.startswith("《"))
            or (nlab is not None and nlab.kind in _REGULATION_START and nlab.number == 1)
        ):
            anchors.setdefault(s, "title")
    return dict(sorted(anchors.items()))


def _elements_before(texts: list[str], i: int) -> int:
    """Where the header elements (份号, 密级, 发文机关标志, 文号, an adoption line…) directly
    above paragraph ``i`` begin; ``i`` if there are none."""
    j = i
    while j > 0 and i - j < 8 and (is_docnum(texts[j - 1]) or is_header_element(texts[j - 1])):
        j -= 1
    return j


def _headline_starts(texts: list[str], i: int) -> bool:
    """``教育部：疫情期间…有关情况和下一步工作考虑`` — a press headline "organ：subject".

    It opens a (news) block when what follows looks like an article: after at most three
    more title lines comes a byline (an organ alone on a line, ``来源：…``) or body text.
    """
    m = RE_HEADLINE.match(texts[i])
    if not m or not RE_ORG_END.search(m.group(1)) or _RE_PHONE.search(texts[i]):
        return False
    if not is_titleish(texts[i]):
        return False
    k = i + 1
    while k < len(texts) and k - i <= 4:
        t = texts[k]
        if RE_SOURCE.match(t) or RE_NEWS_LEAD.match(t):
            return True
        if is_byline(t):
            return k + 1 < len(texts) and not is_titleish(texts[k + 1])
        if not is_titleish(t):
            return len(t) >= 40 and recognize_label(t) is None
        k += 1
    return False


def _anchor_after_date(texts: list[str], i: int, anchors: dict[int, str]) -> None:
    """After a signature date, a following title opens the next document."""
    n = len(texts)
    prev = texts[i - 1] if i > 0 else ""
    if prev and not (signature_like(prev) or ends_sentence(prev) or is_trailer(prev) or is_person_signature(prev)):
        return  # a date in a flattened table's 完成时限 column, not a signature date
    j = i + 1
    while j < n and is_trailer(texts[j]) and j - i <= 8:
        j += 1
    start = j  # header elements above the title belong to the new document
    while j < n and (is_docnum(texts[j]) or is_header_element(texts[j])) and j - start < 8:
        j += 1
    if j >= n:
        return
    k = title_run(texts, j)
    if k is None and is_titleish(texts[j]):
        # Title without a document word, but a 文号/bracket date/byline follows.
        m = j
        while m < n and m - j < 5 and is_titleish(texts[m]):
            m += 1
        nx = texts[m] if m < n else ""
        if is_docnum(nx) or is_bracket_date(nx) or RE_SOURCE.match(nx):
            k = m
    if k is None:
        return
    nxt = texts[k] if k < n else ""
    nlab = recognize_label(nxt)
    prev = texts[i - 1] if i > 0 else ""
    if (
        i > 0
        and not signature_like(prev)
        and ends_sentence(prev)
        and nlab is not None
        and nlab.kind in _REGULATION_START
    ):
        # 部令: a date line after body text, then a title and 第一章: the date opens the new one.
        anchors.setdefault(i, "header")
    else:
        anchors.setdefault(start, "after-date")


# --------------------------------------------------------------------------- blocks


def split_blocks(paras: list[Para]) -> list[Block]:
    """Cut the paragraph list at the anchors and read each block's header and trailer."""
    if not paras:
        return []
    anchors = find_anchors(paras)
    idx = sorted(anchors)
    blocks: list[Block] = []
    region_news = False
    for a, b in zip(idx, idx[1:] + [len(paras)], strict=True):
        chunk = paras[a:b]
        hint = anchors[a]
        if hint == "section":
            m = RE_SECTION_MARK.match(chunk[0].text.strip())
            region_news = bool(m and _RE_NEWS_SECTION.search(m.group(1)))
            chunk = chunk[1:]
            if not chunk:
                continue
        block = Block(paras=chunk, start=a, source_line=chunk[0].lineno)
        read_header(block, attachment=(hint == "attachment"))
        if region_news:
            block.kind = "news"
            block.note = "newsletter section"
        blocks.append(block)
    _fold_leading_fragment(blocks)
    for block in blocks:
        if block.kind in {"normative", "attachment"}:
            classify(block)
    _link_attachments(blocks)
    _link_displaced_attachments(blocks)
    return blocks


_RE_TITLE_NOISE = re.compile(r"[\s《》〈〉<>“”\"()（）]")


def _link_attachments(blocks: list[Block]) -> None:
    """A text published by the notice before it is that notice's attachment.

    ``教育部关于印发《国家教材建设重点研究基地管理办法》的通知`` followed by
    ``国家教材建设重点研究基地管理办法``: the second is an attachment (even without an
    ``附件`` marker) and, having no signature of its own, takes the notice's issuer.  The
    same holds for an ``附件`` block whose title the notice lists (``附件：…``), and for every
    attachment of a notice that publishes several (``印发《A》《B》的通知``).
    ``Block.forwarded_by`` keeps the notice, whose 文号 and date the attachment takes too.
    """
    notice: Block | None = None
    for block in blocks:
        if block.kind not in {"normative", "attachment"}:
            continue
        if notice is not None and not block.issuer and len(block.title) >= 4 and _publishes(notice, block):
            block.kind = "attachment"
            block.issuer = notice.issuer
            block.forwarded_by = notice
            continue
        notice = block


def _link_displaced_attachments(blocks: list[Block]) -> None:
    """An ``附件`` printed before the notice that lists it (a compilation's page order) is still
    that notice's attachment."""
    for i, notice in enumerate(blocks):
        listed = {_RE_TITLE_NOISE.sub("", str(n)) for n in notice.meta.get("attachments", [])}
        if notice.kind != "normative" or not listed:
            continue
        for block in reversed(blocks[max(0, i - 6) : i]):
            if block.kind not in {"attachment", "form", "table"}:
                break
            if block.kind == "attachment" and block.forwarded_by is None and not block.issuer:
                if _RE_TITLE_NOISE.sub("", block.title) in listed:
                    block.forwarded_by = notice
                    block.issuer = notice.issuer


def _publishes(notice: Block, block: Block) -> bool:
    title = _RE_TITLE_NOISE.sub("", block.title)
    name = _RE_TITLE_NOISE.sub("", notice.title)
    if re.search(r"印发|转发|发布|颁布", name) and title in name:
        return True
    if title == name and "令" in notice.doc_number:
        return True  # a decree under the page's title, then the regulation under the same title
    if not notice.title or (notice.doc_number.endswith("号") and "令" in notice.doc_number):
        # A decree: "《X条例》已经…通过，现予公布，自…起施行。"
        said = "".join(p.text for p in notice.body[:3])
        if f"《{block.title}》" in said and re.search(r"公布|印发|发布|颁布", said):
            return True
    listed = " ".join(p.text for p in notice.paras[-12:] if "附件" in p.text)
    listed = _RE_TITLE_NOISE.sub("", listed + " ".join(map(str, notice.meta.get("attachments", []))))
    return block.kind == "attachment" and title in listed


def _fold_leading_fragment(blocks: list[Block]) -> None:
    """Blocks without body (a cover page, a stray date line) are not documents."""
    for block in blocks:
        if not block.body and block.kind in {"normative", "attachment"}:
            block.kind = "empty"


__all__ = ["Block", "doc_year", "find_anchors", "mark_duplicates", "split_blocks", "title_run"]
