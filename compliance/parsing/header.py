"""Read one document's header and trailer: title, 文号, date, issuer. Pure.

A block of a compilation opens with an optional ``附件`` marker, a date (a 部令 prints it
first), a masthead (``××大学文件``), the title (one to six lines), the 文号, a date in
brackets, a byline and the addressee line (``各省、自治区…：``), which closes the header.
It ends with the signature (issuing bodies, one per line, ``（代章）`` stamps dropped), the
date line and boilerplate (``抄送``, contacts, ``（此件公开发布）``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .dates import parse_date, parse_year
from .markers import (
    DOC_WORDS,
    RE_ADDRESSEE,
    RE_HEADLINE,
    RE_MASTHEAD,
    RE_ORG_END,
    RE_SOURCE,
    ends_sentence,
    has_doc_word,
    is_attachment_marker,
    is_bracket_date,
    is_byline,
    is_date_line,
    is_docnum,
    is_titleish,
    is_trailer,
    signature_like,
)
from .normalize import Para
from .numbering import recognize_label

_RE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_RE_ISSUER_PREFIX = re.compile(r"^(.{2,60}?)(?:关于|印发|转发)")
_RE_ISSUER_YEAR = re.compile(r"^(.{2,30}?(?:部|司|厅|局|委员会|委|办公厅|办公室|政府|大学|学院))(?=(?:19|20)\d{2}年)")


@dataclass
class Block:
    """One document's paragraphs inside a compilation, with what the header told us."""

    paras: list[Para]
    start: int
    title: str = ""
    issuer: str = ""
    doc_number: str = ""
    date: dt.date | None = None
    kind: str = "normative"
    body: list[Para] = field(default_factory=list)
    source_line: int = 0
    note: str = ""  # why it was classified as it was (diagnostics)
    # The year of a date printed without a day ("2018年2月"): ``date`` stays None (we never
    # invent a day) but deadlines without a year still resolve to this year.
    year: int | None = None


def read_header(block: Block, *, attachment: bool) -> None:
    texts = [p.text.strip() for p in block.paras]
    n = len(texts)
    k = 0
    if attachment or (texts and is_attachment_marker(texts[0])):
        block.kind = "attachment"
        k = 1
    # 部令 style: the date precedes the title.
    if k < n and is_date_line(texts[k]):
        set_date(block, texts[k])
        k += 1
    title_parts: list[str] = []
    pre_issuer = ""
    if (
        k + 1 < n
        and RE_MASTHEAD.match(texts[k].replace(" ", ""))
        and (is_docnum(texts[k + 1]) or has_doc_word(texts[k + 1]))
    ):
        # The red masthead "××大学文件" / "某某省教育厅文件" above the 文号: the issuer, not
        # the title.
        pre_issuer = texts[k].replace(" ", "")[:-2]
        k += 1
        while k < n and is_docnum(texts[k]):
            block.doc_number = block.doc_number or texts[k].replace(" ", "")
            k += 1
    while k < n and len(title_parts) < 6:
        t = texts[k]
        if not is_titleish(t) and not (title_parts and t.startswith("——")):
            break
        if not title_parts and t.endswith("等") and " " in t:
            pre_issuer = t[:-1]  # abbreviated issuer header of a printed compilation
            k += 1
            continue
        if title_parts and has_doc_word("".join(title_parts)) and not _continues_title(t, texts, k):
            break
        if (
            title_parts
            and RE_HEADLINE.match(title_parts[0])
            and not has_doc_word("".join(title_parts))
            and (is_byline(t) or (k + 1 < n and is_byline(texts[k + 1])))
        ):
            break  # "headline" / ["subtitle"] / "byline organ": the title is done
        title_parts.append(t)
        k += 1
    block.title = _join_title(title_parts)
    while k < n:
        t = texts[k]
        if is_docnum(t) and not block.doc_number:
            block.doc_number = t.replace(" ", "")
        elif is_bracket_date(t) and block.date is None:
            set_date(block, t)
        elif RE_SOURCE.match(t):
            if t.startswith(("发布时间", "信息来源")) or "信息来源" in t:
                block.note = "news byline"
            else:
                block.note = block.note or "source byline"
            d = parse_date(t)
            if d and block.date is None:
                block.date = d
        elif RE_ADDRESSEE.search(t) and len(t) <= 250 and recognize_label(t) is None and not t.startswith("附件"):
            k += 1
            break  # the addressee line closes the header
        else:
            break
        k += 1
    body_end = _read_trailer(block, texts, k)
    block.body = block.paras[k:body_end]
    if not block.issuer:
        block.issuer = pre_issuer or _issuer_from_title(block.title)
    if not block.title and block.body:
        block.title = block.body[0].text.strip()[:60]


def _continues_title(t: str, texts: list[str], k: int) -> bool:
    """After a title that already ends in a document word, is ``t`` still part of it?"""
    # "——…答记者问", "（试行）", "（2024—2026年）"
    if t.startswith(("——", "（", "(")) and len(t) <= 40:
        return True
    # "…关于印发" / "《…办法》" / "的通知": the quoted name ends in a document word, but
    # the title goes on with the forwarding notice's own type.
    if t.startswith("的") and len(t) <= 20 and t.endswith(DOC_WORDS):
        return True
    # "国家知识产权试点/示范高校工作方案" / "内容参考": a short last line ending in a
    # document word, directly followed by the body, finishes a title broken by hand.
    nxt = texts[k + 1] if k + 1 < len(texts) else ""
    return len(t) <= 10 and t.endswith(DOC_WORDS) and "关于" not in t and bool(nxt) and not is_titleish(nxt)


def _join_title(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if (out and out[-1].isascii() and out[-1].isalnum() and p[:1].isascii() and p[:1].isalnum()) or (
            out and _issuer_list(out) and _starts_with_organ(p)
        ):
            # "市场监管总局办公厅 教育部办公厅" / "公安部办公厅关于…": the issuers go on.
            out += " "
        out += p
    return out.strip()


def _issuer_list(text: str) -> bool:
    """A line of issuers separated by spaces: ``市场监管总局办公厅 教育部办公厅``."""
    names = text.split(" ")
    return len(names) >= 2 and all(2 <= len(n) <= 30 and RE_ORG_END.search(n) for n in names)


def _starts_with_organ(text: str) -> bool:
    m = re.match(r"^(\S{2,30}?)(?:关于|印发|转发| )", text)
    return bool(m and RE_ORG_END.search(m.group(1)) and "《" not in m.group(1))


def _read_trailer(block: Block, texts: list[str], body_start: int) -> int:
    """Find signature, date and trailers at the end; return the index where the body ends."""
    end = len(texts)
    j = end - 1
    while j >= body_start and (is_trailer(texts[j]) or texts[j].startswith("http")):
        j -= 1
    if j >= body_start and not is_date_line(texts[j]):
        # A signature date followed only by non-prose (a table, a form, contacts) still ends
        # the body: look a little further back.
        for d in range(j - 1, max(body_start, j - 15) - 1, -1):
            if is_date_line(texts[d]) and d > body_start and signature_like(texts[d - 1]):
                if all(is_trailer(t) or not ends_sentence(t) for t in texts[d + 1 : j + 1]):
                    j = d
                break
    if j >= body_start and is_date_line(texts[j]):
        if block.date is None:
            set_date(block, texts[j])
        j -= 1
        sig: list[str] = []
        while j >= body_start and len(sig) < 10 and signature_like(texts[j]):
            sig.insert(0, texts[j])
            j -= 1
        # A long organ name wrapped over two lines: "教育部应对新型冠状病毒感染肺炎疫情" /
        # "工作领导小组办公室（代章）" — the first half does not end like an organ.
        while (
            sig
            and j >= body_start
            and len(sig) < 10
            and _name_fragment(texts[j])
            and _closes_body(texts, j - 1, body_start)
        ):
            sig[0] = texts[j] + sig[0]
            j -= 1
        if sig:
            block.issuer = _issuer_from_signature(sig)
    # Boilerplate right before the signature.
    while j >= body_start and (is_trailer(texts[j]) or texts[j].startswith(("附件：", "附件:"))):
        j -= 1
    return j + 1


_RE_STAMP = re.compile(r"[（(][^（()）]{0,20}代章[）)]")
_RE_NAME_FRAGMENT = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}$")


def _name_fragment(text: str) -> bool:
    """The first half of an organ name wrapped over two signature lines."""
    t = text.strip()
    return (
        bool(_RE_NAME_FRAGMENT.match(t)) and recognize_label(t) is None and not has_doc_word(t) and not is_date_line(t)
    )


def _closes_body(texts: list[str], j: int, body_start: int) -> bool:
    """Is ``texts[j]`` the end of the body text (so what follows is the signature)?"""
    if j < body_start:
        return True
    t = texts[j]
    if ends_sentence(t) or is_trailer(t):
        return True
    # The last lines of an "附件：…" list, which ends without punctuation.
    for k in range(j, max(body_start, j - 3) - 1, -1):
        if texts[k].startswith(("附件：", "附件:")):
            return True
        if ends_sentence(texts[k]):
            return False
    return False


def _issuer_from_signature(sig: list[str]) -> str:
    """Signature lines → issuer, without stamps (``（代章）``, ``（教育部办公厅代章）``)."""
    names = (_RE_STAMP.sub("", s).strip() for s in sig)
    return " ".join(n for n in names if n)


def _issuer_from_title(title: str) -> str:
    """``教育部关于…`` → 教育部; ``教育部科技司2019年工作要点`` → 教育部科技司."""
    m = _RE_ISSUER_PREFIX.match(title) or _RE_ISSUER_YEAR.match(title)
    if not m:
        return ""
    prefix = m.group(1).strip()
    if "《" in prefix or len(prefix) > 50:
        return ""
    if RE_ORG_END.search(prefix.split(" ")[-1]) or prefix.endswith(("国务院", "中共中央")):
        return prefix
    return ""


def set_date(block: Block, text: str) -> None:
    """Set the block's date from a date line; a month-only date sets only its year."""
    block.date = parse_date(text)
    if block.date is None and block.year is None:
        block.year = parse_year(text)


def doc_year(block: Block) -> int | None:
    """The year deadlines without a year default to.

    The date's year; else the year of a month-only date (``2018年2月``, JSON date null);
    else a year in the title (``2019年工作要点``).
    """
    if block.date:
        return block.date.year
    if block.year:
        return block.year
    m = _RE_YEAR.search(block.title)
    return int(m.group(1)) if m else None


__all__ = ["Block", "doc_year", "read_header", "set_date"]
