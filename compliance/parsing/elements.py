"""The elements of an official document (公文, GB/T 9704-2012) printed around its title and body.

Header (版头): 份号 (copy number), 密级和保密期限 (``机密★1年``), 紧急程度 (``特急``), 发文机关
标志 (``××大学文件``), 发文字号 and 签发人 (``签发人：王明``); regulations also print an
adoption or publication line (``（2007年5月18日国务院第177次常务会议通过）``,
``（2020年3月1日教育部令第48号公布　自2020年9月1日起施行）``).  Body: 主送机关
(``各省、自治区…：``) and 附件说明 (``附件：1.…``).  Trailer (版记): 抄送, 印发机关和印发日期
(``××办公室　2024年3月18日印发``) and the 附注 (``（此件公开发布）``).

Each reader takes one paragraph and returns the metadata it carries (keys as in
:data:`META_KEYS`), or ``None`` when the paragraph is no such element.  None of these lines
is ever a title or an item.  Pure: no Django.
"""

from __future__ import annotations

import re

from .dates import parse_date
from .numbering import recognize_label

# The metadata keys a document may carry, with their names in GB/T 9704-2012.
META_KEYS: dict[str, str] = {
    "copy_number": "份号",
    "classification": "密级",
    "classification_mark": "密级和保密期限（原文）",
    "urgency": "紧急程度",
    "issuer_mark": "发文机关标志",
    "doc_number": "发文字号",
    "signers": "签发人",
    "title": "标题",
    "addressees": "主送机关",
    "attachments": "附件说明",
    "signature": "发文机关署名",
    "date": "成文日期",
    "note": "附注",
    "cc": "抄送机关",
    "printer": "印发机关",
    "print_date": "印发日期",
    "adoption": "通过或公布情况（法规题注）",
    "adoption_date": "通过或公布日期",
    "notice_title": "印发（转发）通知的标题",
    "effective_date": "施行日期",
}
CLASSIFIED_LEVELS = ("绝密", "机密", "秘密")

_RE_DOCNUM = re.compile(
    r"^[\u4e00-\u9fff×XＸ]{1,16}[〔［\[﹝【(（]\s*(?:19|20)\d{2}\s*[〕］\]﹞】)）]\s*\d{1,4}\s*号$"
    r"|^[\u4e00-\u9fff]{2,20}令\s*第\s*\d{1,4}\s*号$"
)
_RE_COPY_NUMBER = re.compile(r"^(?:份\s*号\s*[：:]\s*)?(\d{6})$")
_RE_CLASSIFICATION = re.compile(r"^(?:密\s*级\s*[：:]\s*)?(绝\s*密|机\s*密|秘\s*密)(?:\s*[★☆＊*]\s*(\S{1,10}))?$")
_RE_URGENCY = re.compile(r"^(?:紧急程度\s*[：:]\s*)?(特\s*急|加\s*急|特\s*提|平\s*急)$")
_RE_MASTHEAD = re.compile(r"^(?!.*关于)[\u4e00-\u9fff×XＸ（）()]{2,40}文件$")
# "中华人民共和国国务院令" / "第699号": the header of a decree that promulgates a regulation.
_RE_DECREE_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,24}(?<!命)令$")
_RE_DECREE_NUMBER = re.compile(r"^第\d{1,4}号$")
_RE_SIGNER = re.compile(r"^(?P<num>.*?)\s*签\s*发\s*人\s*[：:]\s*(?P<names>.+)$")
# "（2007年5月18日…通过）", "2007年5月18日国务院第177次常务会议通过", "（根据…修正）",
# "（2020年3月1日教育部令第48号公布　自2020年9月1日起施行）", "自2020年3月1日起施行".
_RE_ADOPTION = re.compile(
    r"^[（(]?\s*(?:根据|经|自)?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"[^。；;]{0,240}?(?:通过|公布|发布|施行|修订|修正|批准|印发|实施)(?:[\s　][^。；;]{0,160}?)?[）)]?$"
)
_RE_DECREE = re.compile(r"[\u4e00-\u9fff]{2,20}令\s*第\s*\d{1,4}\s*号")
_RE_LEADING_DATE = re.compile(r"^\D*?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_RE_DATE_COMMA = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[，,]")
_RE_EFFECTIVE = re.compile(r"自\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起\s*(?:施行|实施|执行|生效)")
_RE_CC = re.compile(r"^抄\s*送\s*[：:]\s*(?P<v>.+?)[。.]?$")
_RE_PRINTED = re.compile(
    r"^(?P<org>[^\d，。；]{2,40}?)\s*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$"
)
_RE_NOTE = re.compile(r"^[（(]\s*(?P<v>此件[^（()）]{1,20})[）)]$")
_RE_ADDRESSEE = re.compile(r"^(?:主\s*送\s*[：:]\s*)?(?P<v>[^：:。；;]{2,240})[：:]$")
_RE_ATTACH_HEAD = re.compile(r"^附\s*件\s*(?:\d{1,2})?\s*[：:]\s*(?P<v>.*)$")
_RE_SPACE = re.compile(r"\s+")
# A cheap first look: how every element line starts or ends (most lines are none), or the
# 签发人 it holds.
_RE_MAYBE_ELEMENT_START = re.compile(
    r"(?:[\d（(]|根据|经|自|密\s*级|绝\s*密|机\s*密|秘\s*密|特\s*[急提]|加\s*急|平\s*急|紧急程度|份\s*号|第\s*\d)"
)
_RE_SIGNER_WORD = re.compile(r"签\s*发\s*人")


def _maybe_element(t: str) -> bool:
    """Could the stripped line ``t`` be an element? (Its start, its end, or 签发人 inside.)"""
    return bool(
        _RE_MAYBE_ELEMENT_START.match(t) or t.endswith(("文件", "令")) or ("签" in t and _RE_SIGNER_WORD.search(t))
    )


def _squash(text: str) -> str:
    return _RE_SPACE.sub("", text) if _RE_SPACE.search(text) else text  # a search is the cheaper no


def is_docnum(text: str) -> bool:
    """A standalone 文号 line: ``教学〔2019〕4号``, ``工信党建组办﹝2020﹞1号``, ``教育部令第46号``."""
    return "号" in text and bool(_RE_DOCNUM.match(text.replace(" ", "")))  # both branches end in 号


def header_element(text: str) -> dict[str, object] | None:
    """The metadata of a header line that is an element (several may share a line:
    ``机密★1年　特急``), or ``None``."""
    t = text.strip()
    if not t or len(t) > 400 or not _maybe_element(t):
        return None
    if t.startswith(("（", "(", "根据", "经", "自")) or t[:1].isdigit():
        adoption = adoption_line(t)
        if adoption is not None:
            return adoption
    if re.search(r"\s", t) and len(t) <= 30:
        found: dict[str, object] = {}
        for part in t.split():
            meta = _single_element(part)
            if meta is None:
                break
            found.update(meta)
        else:
            return found
    return _single_element(t)


def _single_element(t: str) -> dict[str, object] | None:
    """One element alone (``t`` stripped, or one word of a stripped line)."""
    # Every pattern below ends in a digit, 件, 令 or 号 (whitespace squashed or not), or holds
    # 密, 急, 提 or 签: a body line starting like an element (``（一）``, ``2.``) has none of these.
    last = t[-1:]
    if not (last.isdigit() or last in "件令号" or "密" in t or "急" in t or "提" in t or "签" in t):
        return None
    m = _RE_COPY_NUMBER.match(t)
    if m:
        return {"copy_number": m.group(1)}
    m = _RE_CLASSIFICATION.match(t)
    if m:
        meta: dict[str, object] = {"classification": _squash(m.group(1)), "classification_mark": _squash(t)}
        return meta
    m = _RE_URGENCY.match(t)
    if m:
        return {"urgency": _squash(m.group(1))}
    if _RE_MASTHEAD.match(_squash(t)) or _RE_DECREE_HEAD.match(_squash(t)):
        return {"issuer_mark": _squash(t)}
    m = _RE_DECREE_NUMBER.match(_squash(t))
    if m:
        return {"decree_number": m.group()}
    m = _RE_SIGNER.match(t)
    if m:
        meta = {"signers": [n for n in re.split(r"[\s、，,]+", m.group("names").strip()) if n]}
        if m.group("num").strip() and is_docnum(m.group("num")):
            meta["doc_number"] = _squash(m.group("num"))
        return meta
    return None


def adoption_line(text: str) -> dict[str, object] | None:
    """A regulation's adoption or publication line, with its first date and the date it takes
    effect: ``（2007年5月18日国务院第177次常务会议通过）``, ``自2020年3月1日起施行``.

    A sentence (``2020年3月1日，国务院印发…。``) is no such line.
    """
    t = text.strip()
    if "日" not in t:  # every adoption line has a full date
        return None
    if t.endswith(("。", "；", ";")) or _RE_DATE_COMMA.match(t.lstrip("（(")) or recognize_label(t):
        return None
    if not _RE_ADOPTION.match(t):
        return None
    inner = t.strip("（()）").strip()
    meta: dict[str, object] = {"adoption": inner}
    decree = _RE_DECREE.search(_RE_LEADING_DATE.sub("", inner))
    if decree:
        meta["doc_number"] = _squash(decree.group())  # "教育部令第48号公布": a 部令's number
    first = None if inner.startswith("自") else parse_date(inner)
    if first is not None:
        meta["adoption_date"] = first.isoformat()
    eff = _RE_EFFECTIVE.search(inner)
    if eff:
        d = parse_date(eff.group(1))
        if d is not None:
            meta["effective_date"] = d.isoformat()
    return meta


def is_header_element(text: str) -> bool:
    """Is this paragraph a header element (never a title line)?"""
    return header_element(text) is not None


def trailer_element(text: str) -> dict[str, object] | None:
    """抄送, 印发机关和印发日期 or 附注 (``（此件公开发布）``), else ``None``."""
    t = text.strip()
    m = _RE_CC.match(t)
    if m:
        return {"cc": m.group("v").strip()}
    m = _RE_PRINTED.match(t)
    if m:
        d = parse_date(m.group("date"))
        meta: dict[str, object] = {"printer": m.group("org").strip()}
        if d is not None:
            meta["print_date"] = d.isoformat()
        return meta
    m = _RE_NOTE.match(t)
    if m:
        return {"note": m.group("v").strip()}
    return None


def addressee(text: str) -> str | None:
    """The 主送机关 of an addressee line (``各省、自治区、直辖市教育厅（教委）：``), else ``None``."""
    t = text.strip()
    if recognize_label(t) is not None or t.startswith("附件") or len(t) > 250:
        return None
    m = _RE_ADDRESSEE.match(t)
    return m.group("v").strip() if m else None


def attachment_list(texts: list[str]) -> list[str]:
    """The attachments a notice lists (附件说明): ``附件：1.A`` / ``2.B`` → ``["A", "B"]``;
    ``附件：A`` → ``["A"]``.  Names keep their printed brackets and years."""
    names: list[str] = []
    for i, t in enumerate(texts):
        m = _RE_ATTACH_HEAD.match(t.strip())
        if not m:
            continue
        first = m.group("v").strip()
        lab = recognize_label(first) if first else None
        if first:
            names.append(_attachment_name(lab.rest if lab else first))
        for nxt in texts[i + 1 : i + 21]:
            lab = recognize_label(nxt.strip())
            if lab is None or not lab.kind.arabic or len(lab.rest) > 80 or lab.rest.endswith("。"):
                break
            names.append(_attachment_name(lab.rest))
        break
    return [n for n in names if n]


def _attachment_name(text: str) -> str:
    return text.strip().strip("《》").rstrip("；;，,。")


__all__ = [
    "CLASSIFIED_LEVELS",
    "META_KEYS",
    "addressee",
    "adoption_line",
    "attachment_list",
    "header_element",
    "is_docnum",
    "is_header_element",
    "trailer_element",
]
