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
from .elements import addressee, attachment_list, header_element, trailer_element
from .markers import (
    DOC_WORDS,
    RE_HEADLINE,
    RE_ORG_END,
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
from .numbering import recognize_label

_RE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_RE_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–\-～~－至到]\s*(?:19|20)\d{2}\s*年")
# "教育部令第48号": a 部令 is issued by 教育部.
_RE_DECREE_ISSUER = re.compile(r"^(.{2,20}?)令第\d+号$")
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
    # 公文 elements read from the header and trailer (keys: elements.META_KEYS).
    meta: dict[str, object] = field(default_factory=dict)
    pre_issuer: str = ""  # issuer printed above the title (a compilation's running header)
    byline_date: dt.date | None = None  # "发布时间：…" of a web page
    forwarded_by: Block | None = None  # the notice that publishes this attachment
    duplicate_of: str = ""  # the title of the copy seen first


def read_header(block: Block, *, attachment: bool) -> None:
    """Read title, 文号, dates, issuer and the other 公文 elements; set ``block.body``."""
    texts = [p.text.strip() for p in block.paras]
    k = 0
    if attachment or (texts and is_attachment_marker(texts[0])):
        block.kind = "attachment"
        k = 1
    k = _read_elements(block, texts, k)
    k = _read_title(block, texts, k)
    k = _read_after_title(block, texts, k)
    body_end = _read_trailer(block, texts, k)
    block.body = block.paras[k:body_end]
    _read_closing_elements(block, texts, k, body_end)
    if block.date is None and block.byline_date is not None:
        block.date = block.byline_date
    if block.doc_number:
        block.meta["doc_number"] = block.doc_number
    if not block.issuer:
        mark = str(block.meta.get("issuer_mark", ""))
        decree = _RE_DECREE_ISSUER.match(block.doc_number)
        block.issuer = (
            block.pre_issuer
            or (mark.removesuffix("文件").removesuffix("令") if mark else "")
            or _issuer_from_title(block.title)
            or (decree.group(1) if decree else "")
        )
    if not block.title:
        block.title = _fallback_title(block.body)
    if block.title:
        block.meta["title"] = block.title


def _read_elements(block: Block, texts: list[str], k: int) -> int:
    """Elements above the title: 份号, 密级, 紧急程度, 发文机关标志, 文号, 签发人, a 部令's date
    or a regulation's adoption line."""
    while k < len(texts):
        t = texts[k]
        if is_date_line(t) and block.date is None and block.year is None:
            set_date(block, t)
        elif is_docnum(t):
            block.doc_number = block.doc_number or t.replace(" ", "")
        else:
            found = header_element(t)
            if found is None:
                return k
            _merge_element(block, found)
        k += 1
    return k


def _merge_element(block: Block, found: dict[str, object]) -> None:
    """Record a header element; an adoption line dates a regulation that has no other date."""
    for key, value in found.items():
        if key == "doc_number":
            block.doc_number = block.doc_number or str(value)
        elif key == "decree_number":
            mark = str(block.meta.get("issuer_mark", ""))
            if mark.endswith("令") and not block.doc_number:
                block.doc_number = f"{mark}{value}"  # 国务院令 / 第699号
        elif key == "adoption":
            block.meta.setdefault("adoption", value)
        else:
            block.meta.setdefault(key, value)
    if "adoption_date" in found and block.date is None:
        block.date = dt.date.fromisoformat(str(found["adoption_date"]))


def _read_title(block: Block, texts: list[str], k: int) -> int:
    """The title: up to six title-like lines, joined."""
    n = len(texts)
    title_parts: list[str] = []
    while k < n and len(title_parts) < 6:
        t = texts[k]
        if not is_titleish(t) and not (title_parts and t.startswith("——")):
            break
        if not title_parts and t.endswith("等") and " " in t:
            block.pre_issuer = t[:-1]  # abbreviated issuer header of a printed compilation
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
    return k


def _read_after_title(block: Block, texts: list[str], k: int) -> int:
    """文号, a date in brackets, an adoption line, a byline; the addressee line closes the header."""
    while k < len(texts):
        t = texts[k]
        if is_docnum(t) and not block.doc_number:
            block.doc_number = t.replace(" ", "")
        elif (found := header_element(t)) is not None:
            _merge_element(block, found)
        elif is_bracket_date(t) and block.date is None:
            set_date(block, t)
        elif RE_SOURCE.match(t):
            _read_byline(block, t)
        elif (to := addressee(t)) is not None:
            block.meta["addressees"] = to
            return k + 1  # the addressee line closes the header
        else:
            return k
        k += 1
    return k


def _read_byline(block: Block, text: str) -> None:
    """``来源：…`` / ``发布时间：…``: a web page's byline, which may carry the date."""
    if text.startswith(("发布时间", "信息来源")) or "信息来源" in text:
        block.note = "news byline"
    else:
        block.note = block.note or "source byline"
    d = parse_date(text)
    if d and block.byline_date is None:
        block.byline_date = d  # the web page's date: the document's own date wins if printed


def _read_closing_elements(block: Block, texts: list[str], body_start: int, body_end: int) -> None:
    """附件说明 from the body's end, 抄送 / 印发机关和印发日期 / 附注 from the trailer."""
    attachments = attachment_list(texts[body_start:])
    if attachments:
        block.meta["attachments"] = attachments
    for t in texts[body_end:]:
        found = trailer_element(t)
        if found:
            for key, value in found.items():
                block.meta.setdefault(key, value)


def _fallback_title(body: list[Para]) -> str:
    """A block whose header has no title line: the first title-like paragraph near the top
    (never a label, a date, an adoption line or an addressee), else nothing."""
    for para in body[:3]:
        t = para.text.strip()
        if is_titleish(t) and has_doc_word(t):
            return t
    return ""


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
    out = out.strip()
    if out.startswith("《") and out.endswith("》") and out.count("《") == 1:
        out = out[1:-1]  # a title printed as "《X》": the brackets are not part of it
    return out


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
        signed = parse_date(texts[j])
        if signed is not None:
            block.meta["date"] = signed.isoformat()
        j -= 1
        if j >= body_start and is_person_signature(texts[j]):
            block.meta["signers"] = texts[j].split()[-1:]  # "总理　李强": a decree's signer
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
            block.meta["signature"] = block.issuer
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
    else a year in the title (``2019年工作要点``); else, for a text published by a notice,
    the notice's; else the first year of a plan period in the title (``（2020—2022年）``).
    """
    if block.date:
        return block.date.year
    if block.year:
        return block.year
    period = _RE_PERIOD.search(block.title)
    single = _RE_YEAR.search(_RE_PERIOD.sub("", block.title))
    if single:
        return int(single.group(1))
    if block.forwarded_by is not None and block.forwarded_by is not block:
        year = doc_year(block.forwarded_by)
        if year:
            return year
    return int(period.group(1)) if period else None


__all__ = ["Block", "doc_year", "read_header", "set_date"]
