"""Recognise the numbering label at the start of a line.

Chinese official documents number their parts with a handful of label kinds whose *depth is
not fixed* (``（一）`` is level 2 under ``一、`` but level 3 under ``第X章 > 第X条``).  This
module only answers "does this line start with a label, which kind, which number?"; the
depth is worked out per document by :mod:`compliance.parsing.structure`.

Recognition works on a same-length "recognition view" of the line in which full-width
digits, dots and brackets are folded to ASCII, so offsets map back to the printed text and
``Label.label`` keeps the label exactly as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .numerals import NUMERAL_CHARS, cn_to_int, int_to_cn

# Same-length fold: full-width digits / punctuation to ASCII for matching only.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "（": "(",
        "）": ")",
        "﹙": "(",
        "﹚": ")",
        "：": ":",
        "，": ",",
        "\u3000": " ",
    }
)

CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①..⑳
CIRCLED.update({chr(0x3251 + i): 21 + i for i in range(15)})  # ㉑..㉟
CIRCLED.update({chr(0x32B1 + i): 36 + i for i in range(15)})  # ㊱..㊿


@dataclass(frozen=True)
class Label:
    """A numbering label found at the start of a line.

    ``kind`` is one of ``part`` (第X编/部分), ``chapter`` (第X章), ``section`` (第X节),
    ``article`` (第X条), ``cn_dun`` (一、), ``cn_paren`` (（一）), ``arabic`` (1. 1． 1、),
    ``arabic_paren`` (（1）), ``arabic_half`` (1）), ``circled`` (①), ``block`` (问题一：,
    任务2：).
    """

    kind: str
    number: int
    label: str  # as printed, stripped
    norm: str  # normalised for paths
    rest: str  # the text after the label, stripped
    start: int = 0  # offset of the label in the input line (after junk)


_CN = f"[{NUMERAL_CHARS}]+"
_JUNK = r"[\s`'\"*·•●■◆▪\-]*"

# Words that, right after 第X条/章, show the phrase is a cross-reference inside a sentence.
_XREF_FOLLOW = set("、,，。；;的之和或及至与款）)》”")

_RE_STRUCT = re.compile(rf"^{_JUNK}(第\s*({_CN}|\d{{1,4}})\s*(编|部分|章|节|条))")
_RE_CN_DUN = re.compile(rf"^{_JUNK}(({_CN})\s*(、|\.(?!\d)))")
# "（一）、加强…" / "（1）." : a stray separator after the bracket belongs to the label.
_RE_CN_PAREN = re.compile(rf"^{_JUNK}(\(\s*({_CN})\s*\)(?:\s*[、.](?!\d))?)")
_RE_AR_PAREN = re.compile(rf"^{_JUNK}(\(\s*(\d{{1,3}})\s*\)(?:\s*[、.](?!\d))?)")
_RE_AR_DOT = re.compile(rf"^{_JUNK}((\d{{1,3}})\s*(\.(?!\d)|、))")
_RE_AR_HALF = re.compile(rf"^{_JUNK}((\d{{1,3}})\s*\))")
# "问题一：…" / "问题2：…" / "任务三：…": the numbered blocks of a rectification plan or an
# action plan.
_RE_BLOCK = re.compile(rf"^{_JUNK}((问题|任务)\s*({_CN}|\d{{1,3}})\s*[:.])")
_RE_CIRCLED = re.compile(rf"^{_JUNK}([{''.join(CIRCLED)}])")

_STRUCT_KIND = {
    "编": "part",
    "部分": "part",
    "章": "chapter",
    "节": "section",
    "条": "article",
}
_WS = re.compile(r"\s+")


def _num(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return cn_to_int(text)


_STARTERS = frozenset(
    "0123456789０１２３４５６７８９第（(﹙问任" + NUMERAL_CHARS + "".join(CIRCLED) + " `'\"*·•●■◆▪-\u3000\t"
)


def recognize_label(line: str) -> Label | None:
    """Return the numbering label that starts ``line``, or ``None``.

    Rejects the usual false friends: cross-references (``第45条、第46条``, ``第三条规定的``),
    decimals (``1.5亿元``), years (``2020.3``), enumerations of numerals (``一、二年级``)
    and ordinal phrases (``一是``, ``第一，``) which are not labels at all.
    """
    if not line or line[0] not in _STARTERS:
        return None
    return _recognize(line)


@lru_cache(maxsize=32768)
def _recognize(line: str) -> Label | None:
    view = line[:40].translate(_FOLD) + line[40:]

    m = _RE_STRUCT.match(view)
    if m:
        number = _num(m.group(2))
        word = m.group(3)
        rest_view = view[m.end() :]
        follow = rest_view[:1]
        if number and follow not in _XREF_FOLLOW and not rest_view.startswith(("规定", "所", "的")):
            kind = _STRUCT_KIND[word]
            if kind == "article" and m.group(2).isdigit() and follow and follow != " ":
                # 第45条 written with digits is almost always a cross-reference.
                return None
            printed = line[m.start(1) : m.end(1)]
            norm = _WS.sub("", printed)
            return Label(kind, number, printed.strip(), norm, line[m.end() :].strip(), m.start(1))
        return None

    m = _RE_BLOCK.match(view)
    if m:
        number = _num(m.group(3))
        if number:
            printed = line[m.start(1) : m.end(1)]
            norm = _WS.sub("", f"{m.group(2)}{m.group(3)}")
            return Label("block", number, printed, norm, line[m.end() :].strip(), m.start(1))
        return None

    m = _RE_CN_PAREN.match(view)
    if m:
        number = cn_to_int(m.group(2))
        if number:
            printed = line[m.start(1) : m.end(1)]
            return Label(
                "cn_paren",
                number,
                printed,
                f"（{m.group(2)}）",
                line[m.end() :].strip(),
                m.start(1),
            )
        return None

    m = _RE_AR_PAREN.match(view)
    if m:
        number = int(m.group(2))
        if number:
            printed = line[m.start(1) : m.end(1)]
            return Label(
                "arabic_paren",
                number,
                printed,
                f"（{number}）",
                line[m.end() :].strip(),
                m.start(1),
            )
        return None

    m = _RE_CN_DUN.match(view)
    if m:
        number = cn_to_int(m.group(2))
        rest = line[m.end() :].strip()
        if number and not _enumeration_follows(rest) and number < 100:
            printed = line[m.start(1) : m.end(1)]
            return Label("cn_dun", number, printed, m.group(2), rest, m.start(1))
        return None

    m = _RE_AR_DOT.match(view)
    if m:
        number = int(m.group(2))
        rest = line[m.end() :].strip()
        sep = m.group(3)
        if number and not (sep == "、" and _RE_ENUM_DIGIT.match(rest)) and not rest.startswith(("%", "％")):
            printed = line[m.start(1) : m.end(1)]
            return Label("arabic", number, printed, str(number), rest, m.start(1))
        return None

    m = _RE_AR_HALF.match(view)
    if m:
        number = int(m.group(2))
        if number:
            printed = line[m.start(1) : m.end(1)]
            return Label(
                "arabic_half",
                number,
                printed,
                f"{number}）",
                line[m.end() :].strip(),
                m.start(1),
            )
        return None

    m = _RE_CIRCLED.match(view)
    if m:
        ch = m.group(1)
        return Label("circled", CIRCLED[ch], ch, ch, line[m.end() :].strip(), m.start(1))
    return None


_RE_ENUM_CN = re.compile(rf"^{_CN}\s*(、|等|年级|级|类|批|届)")
_RE_ENUM_DIGIT = re.compile(r"^\d")


def _enumeration_follows(rest: str) -> bool:
    """``一、二年级`` / ``一、二等奖``: a list of numerals, not a section label."""
    return bool(_RE_ENUM_CN.match(rest))


__all__ = ["CIRCLED", "Label", "cn_to_int", "int_to_cn", "recognize_label"]
