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
(signature, date, contacts) and classified: normative, attachment, news, qa, form or
duplicate.  Only normative documents and attachments get items.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .markers import (
    DOC_WORDS,
    RE_ORG_END,
    has_doc_word,
    is_attachment_marker,
    is_bracket_date,
    is_date_line,
    is_docnum,
    is_table_row,
)
from .normalize import Para
from .numbering import LabelKind, recognize_label
from .numerals import cn_to_int

_RE_ORG_END = RE_ORG_END
_RE_SOURCE = re.compile(
    r"^(?:(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*)?"
    r"(来源|信息来源|文章来源|稿件来源|发布时间|发布日期|发文日期|作者|编辑|责任编辑)\s*[：:]"
)
_RE_NEWS_LEAD = re.compile(
    r"^(新华社|人民网|中新社|新华网|央视网|中国教育报|光明日报|人民日报)\S{0,12}?(\d{1,2}月\d{1,2}日)?电"
)
_RE_SECTION_MARK = re.compile(r"^【([^】]{2,10})】$")
_RE_SECTION_NAME = re.compile(
    r"政策|文件|法规|制度|通知|公告|资讯|动态|看点|观点|新闻|评论|声音|要闻|聚焦|简讯|理论|专题"
)
_RE_NEWS_SECTION = re.compile(r"资讯|动态|看点|观点|新闻|评论|声音|要闻|聚焦|简讯|理论|媒体|专家|解读|访谈")
_RE_QA_TITLE = re.compile(r"答记者问|答问|问答|访谈|专访|解读|答疑|记者会|发布会")
_RE_QA_LINE = re.compile(
    r"^(?:\d{1,2}\s*[.．、]\s*)?(问|答)\s*[：:]|^【关键词】|^关键词[一二三四五六七八九十\d]+[：:]|^记者\s*[：:]"
)
_RE_FORM = re.compile(r"申报书|申请书|申请表|申报表|登记表|推荐表|报名表|回执|填表说明|审批表|汇总表|一览表|统计表")
_RE_TRAILER = re.compile(
    r"^(?:（此件.{0,10}）|\(此件.{0,10}\)|此件.{0,8}公开|抄送|抄报|部内发送|.{0,30}\d{4}年\d{1,2}月\d{1,2}日印发|"
    r"mailto:|https?://|www\.|联系人|联系电话|电话|电\s*话|传真|邮箱|邮\s*箱|电子邮箱|E-?mail|地址|邮编|联\s*系\s*人)",
    re.IGNORECASE,
)
_RE_MASTHEAD = re.compile(r"^(?!.*关于)[\u4e00-\u9fff×XＸ（）()]{2,40}文件$")
_RE_DATE_LEAD = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日[，,]")
_RE_ADDRESSEE = re.compile(r"[：:]$")
_RE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_RE_DATE_PARTS = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?")
_RE_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?"
)
_RE_ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_RE_ISSUER_PREFIX = re.compile(r"^(.{2,60}?)(?:关于|印发|转发)")
_RE_ISSUER_YEAR = re.compile(r"^(.{2,30}?(?:部|司|厅|局|委员会|委|办公厅|办公室|政府|大学|学院))(?=(?:19|20)\d{2}年)")
_SENTENCE_END = "。！？；!?;"
# A regulation's body opens with 第一章 or 第一条.
_REGULATION_START = {LabelKind.CHAPTER, LabelKind.ARTICLE}


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


# --------------------------------------------------------------------------- predicates


def _ends_sentence(text: str) -> bool:
    t = text.rstrip("”’」』）)》】")
    return bool(t) and t[-1] in _SENTENCE_END


def is_titleish(text: str) -> bool:
    """Could this paragraph be (part of) a document title?"""
    t = text.strip()
    if (
        not t
        or len(t) > 80
        or t.isdigit()  # a table's row number or a page number
        or is_table_row(t)
        or _ends_sentence(t)
        or t.endswith(("：", ":", "，", ",", "、"))
    ):
        return False
    if recognize_label(t) is not None or is_docnum(t) or is_date_line(t) or is_bracket_date(t):
        return False
    if _RE_TRAILER.match(t) or _RE_SOURCE.match(t) or _RE_SECTION_MARK.match(t):
        return False
    return not (is_attachment_marker(t) or t.startswith(("附件：", "附件:")))


def _signature_like(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 40 or _ends_sentence(t) or recognize_label(t) is not None:
        return False
    if is_date_line(t) or is_docnum(t) or has_doc_word(t):
        return False
    return bool(_RE_ORG_END.search(t.replace(" ", ""))) or "（代章）" in t or "(代章)" in t


def _is_trailer(text: str) -> bool:
    return bool(_RE_TRAILER.match(text.strip())) or text.strip() in {
        "特此通知。",
        "特此通知",
    }


# --------------------------------------------------------------------------- anchors


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
        """Walk back over title lines ending just before ``i``."""
        j = i - 1
        while j >= 0 and i - j <= 5 and is_titleish(texts[j]):
            j -= 1
        return j + 1 if j + 1 < i else None

    for i, t in enumerate(texts):
        if is_docnum(t) or is_bracket_date(t) or _RE_SOURCE.match(t):
            s = title_start(i)
            if s is not None and (has_doc_word("".join(texts[s:i])) or is_docnum(t) or _RE_SOURCE.match(t)):
                while s < i - 1 and texts[s].startswith(("（", "(")) and texts[s].endswith(("）", ")")):
                    s += 1  # "（本文刊发于…）" closes the previous article
                anchors.setdefault(s, "header")
        elif _RE_SECTION_MARK.match(t) and _RE_SECTION_NAME.search(t):
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
        if not is_titleish(t) or any(a in anchors for a in range(i - 2, i + 5)):
            continue
        prev = texts[i - 1]
        if is_titleish(prev):
            continue  # not the first line of a title run
        k = title_run(texts, i, max_len=4)
        if k is None:
            if _ends_sentence(prev) and _headline_starts(texts, i):
                anchors.setdefault(i, "headline")
            continue
        joined = "".join(texts[i:k])
        if len(joined) < 8:
            continue
        if not (_ends_sentence(prev) or _is_trailer(prev) or prev.startswith("http") or "关于" in joined):
            continue
        nxt = texts[k] if k < n else ""
        nlab = recognize_label(nxt)
        if (
            (_RE_ADDRESSEE.search(nxt) and len(nxt) <= 250 and nlab is None)
            or _RE_SOURCE.match(nxt)
            or _RE_NEWS_LEAD.match(nxt)
            or (nlab is None and len(nxt) >= 40 and not joined.startswith("《"))
            or (nlab is not None and nlab.kind in _REGULATION_START and nlab.number == 1)
        ):
            anchors.setdefault(i, "title")
    return dict(sorted(anchors.items()))


_RE_HEADLINE = re.compile(r"^([\u4e00-\u9fff]{2,16})[：:]\s*(?=[\u4e00-\u9fff“《])(.{8,})$")
_RE_PHONE = re.compile(r"\d{3,4}-?\d{6,8}|\d{11}")


def _headline_starts(texts: list[str], i: int) -> bool:
    """``教育部：疫情期间…有关情况和下一步工作考虑`` — a press headline "organ：subject".

    It opens a (news) block when what follows looks like an article: after at most three
    more title lines comes a byline (an organ alone on a line, ``来源：…``) or body text.
    """
    m = _RE_HEADLINE.match(texts[i])
    if not m or not _RE_ORG_END.search(m.group(1)) or _RE_PHONE.search(texts[i]):
        return False
    if not is_titleish(texts[i]):
        return False
    k = i + 1
    while k < len(texts) and k - i <= 4:
        t = texts[k]
        if _RE_SOURCE.match(t) or _RE_NEWS_LEAD.match(t):
            return True
        if _byline(t):
            return k + 1 < len(texts) and not is_titleish(texts[k + 1])
        if not is_titleish(t):
            return len(t) >= 40 and recognize_label(t) is None
        k += 1
    return False


def _byline(text: str) -> bool:
    """An organ alone on a line under a headline (``教育部基础教育司``)."""
    t = text.strip()
    return 2 <= len(t) <= 20 and " " not in t and _signature_like(t) and bool(re.fullmatch(r"[\u4e00-\u9fff]+", t))


def _anchor_after_date(texts: list[str], i: int, anchors: dict[int, str]) -> None:
    """After a signature date, a following title opens the next document."""
    n = len(texts)
    prev = texts[i - 1] if i > 0 else ""
    if prev and not (_signature_like(prev) or _ends_sentence(prev) or _is_trailer(prev)):
        return  # a date in a flattened table's 完成时限 column, not a signature date
    j = i + 1
    while j < n and (_is_trailer(texts[j]) or is_docnum(texts[j])) and j - i <= 8:
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
        if is_docnum(nx) or is_bracket_date(nx) or _RE_SOURCE.match(nx):
            k = m
    if k is None:
        return
    nxt = texts[k] if k < n else ""
    nlab = recognize_label(nxt)
    prev = texts[i - 1] if i > 0 else ""
    if (
        i > 0
        and not _signature_like(prev)
        and _ends_sentence(prev)
        and nlab is not None
        and nlab.kind in _REGULATION_START
    ):
        # 部令: a date line after body text, then a title and 第一章: the date opens the new one.
        anchors.setdefault(i, "header")
    else:
        anchors.setdefault(j, "after-date")


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
            m = _RE_SECTION_MARK.match(chunk[0].text.strip())
            region_news = bool(m and _RE_NEWS_SECTION.search(m.group(1)))
            chunk = chunk[1:]
            if not chunk:
                continue
        block = Block(paras=chunk, start=a, source_line=chunk[0].lineno)
        _read_header(block, attachment=(hint == "attachment"))
        if region_news:
            block.kind = "news"
            block.note = "newsletter section"
        blocks.append(block)
    _fold_leading_fragment(blocks)
    for block in blocks:
        if block.kind in {"normative", "attachment"}:
            _classify(block)
    _link_attachments(blocks)
    return blocks


_RE_TITLE_NOISE = re.compile(r"[\s《》〈〉<>“”\"()（）]")


def _link_attachments(blocks: list[Block]) -> None:
    """A text published by the notice just before it is that notice's attachment.

    ``教育部关于印发《国家教材建设重点研究基地管理办法》的通知`` followed by
    ``国家教材建设重点研究基地管理办法``: the second is an attachment (even without an
    ``附件`` marker) and, having no signature of its own, takes the notice's issuer.  The
    same holds for an ``附件`` block whose title the notice lists (``附件：…``).
    """
    prev: Block | None = None
    for block in blocks:
        if block.kind not in {"normative", "attachment"}:
            continue
        if prev is not None and not block.issuer and len(block.title) >= 4:
            title = _RE_TITLE_NOISE.sub("", block.title)
            notice = _RE_TITLE_NOISE.sub("", prev.title)
            listed = _RE_TITLE_NOISE.sub("", " ".join(p.text for p in prev.paras[-12:] if "附件" in p.text))
            if (re.search(r"印发|转发|发布|颁布", notice) and title in notice) or (
                block.kind == "attachment" and title in listed
            ):
                block.kind = "attachment"
                block.issuer = prev.issuer
        prev = block


def _fold_leading_fragment(blocks: list[Block]) -> None:
    """Blocks without body (a cover page, a stray date line) are not documents."""
    for block in blocks:
        if not block.body and block.kind in {"normative", "attachment"}:
            block.kind = "empty"


def _read_header(block: Block, *, attachment: bool) -> None:
    texts = [p.text.strip() for p in block.paras]
    n = len(texts)
    k = 0
    if attachment or (texts and is_attachment_marker(texts[0])):
        block.kind = "attachment"
        k = 1
    # 部令 style: the date precedes the title.
    if k < n and is_date_line(texts[k]):
        _set_date(block, texts[k])
        k += 1
    title_parts: list[str] = []
    pre_issuer = ""
    if (
        k + 1 < n
        and _RE_MASTHEAD.match(texts[k].replace(" ", ""))
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
            and _RE_HEADLINE.match(title_parts[0])
            and not has_doc_word("".join(title_parts))
            and (_byline(t) or (k + 1 < n and _byline(texts[k + 1])))
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
            _set_date(block, t)
        elif _RE_SOURCE.match(t):
            if t.startswith(("发布时间", "信息来源")) or "信息来源" in t:
                block.note = "news byline"
            else:
                block.note = block.note or "source byline"
            d = parse_date(t)
            if d and block.date is None:
                block.date = d
        elif _RE_ADDRESSEE.search(t) and len(t) <= 250 and recognize_label(t) is None and not t.startswith("附件"):
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
    return len(names) >= 2 and all(2 <= len(n) <= 30 and _RE_ORG_END.search(n) for n in names)


def _starts_with_organ(text: str) -> bool:
    m = re.match(r"^(\S{2,30}?)(?:关于|印发|转发| )", text)
    return bool(m and _RE_ORG_END.search(m.group(1)) and "《" not in m.group(1))


def _read_trailer(block: Block, texts: list[str], body_start: int) -> int:
    """Find signature, date and trailers at the end; return the index where the body ends."""
    end = len(texts)
    j = end - 1
    while j >= body_start and (_is_trailer(texts[j]) or texts[j].startswith("http")):
        j -= 1
    if j >= body_start and not is_date_line(texts[j]):
        # A signature date followed only by non-prose (a table, a form, contacts) still ends
        # the body: look a little further back.
        for d in range(j - 1, max(body_start, j - 15) - 1, -1):
            if is_date_line(texts[d]) and d > body_start and _signature_like(texts[d - 1]):
                if all(_is_trailer(t) or not _ends_sentence(t) for t in texts[d + 1 : j + 1]):
                    j = d
                break
    if j >= body_start and is_date_line(texts[j]):
        if block.date is None:
            _set_date(block, texts[j])
        j -= 1
        sig: list[str] = []
        while j >= body_start and len(sig) < 10 and _signature_like(texts[j]):
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
    while j >= body_start and (_is_trailer(texts[j]) or texts[j].startswith(("附件：", "附件:"))):
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
    if _ends_sentence(t) or _is_trailer(t):
        return True
    # The last lines of an "附件：…" list, which ends without punctuation.
    for k in range(j, max(body_start, j - 3) - 1, -1):
        if texts[k].startswith(("附件：", "附件:")):
            return True
        if _ends_sentence(texts[k]):
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
    if _RE_ORG_END.search(prefix.split(" ")[-1]) or prefix.endswith(("国务院", "中共中央")):
        return prefix
    return ""


def parse_date(text: str) -> dt.date | None:
    """Read the first full date in ``text`` (arabic, Chinese numerals or ISO)."""
    t = text.replace(" ", "")
    for rx, conv in ((_RE_DATE_PARTS, int), (_RE_ISO_DATE, int)):
        m = rx.search(t)
        if m and m.group(3):
            try:
                return dt.date(conv(m.group(1)), conv(m.group(2)), conv(m.group(3)))
            except ValueError:
                return None
    m = _RE_CN_DATE.search(t)
    if m and m.group(3):
        year = cn_to_int(m.group(1))
        month, day = cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if year and month and day:
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def _set_date(block: Block, text: str) -> None:
    """Set the block's date from a date line; a month-only date sets only its year."""
    block.date = parse_date(text)
    if block.date is None and block.year is None:
        block.year = parse_year(text)


def parse_year(text: str) -> int | None:
    """The year of the first date in ``text``, even without month or day."""
    t = text.replace(" ", "")
    m = _RE_DATE_PARTS.search(t) or _RE_ISO_DATE.search(t)
    if m:
        return int(m.group(1))
    m = _RE_CN_DATE.search(t)
    return cn_to_int(m.group(1)) if m else None


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


# --------------------------------------------------------------------------- classification


def _classify(block: Block) -> None:
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
    if (_RE_NEWS_LEAD.match(first) or block.note == "source byline") and n_labels < 3:
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
    short = sum(1 for t in texts if len(t) <= 14 and not _ends_sentence(t))
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


__all__ = [
    "Block",
    "doc_year",
    "find_anchors",
    "has_doc_word",
    "is_titleish",
    "mark_duplicates",
    "parse_date",
    "parse_year",
    "shingles",
    "split_blocks",
]
