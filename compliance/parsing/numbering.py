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
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from .numerals import NUMERAL_CHARS, cn_to_int, int_to_cn

# Same-length fold: full-width digits / punctuation to ASCII for matching only.
_FOLD_CHARS = {
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
# Only the few folded characters are replaced: ``str.translate`` with a mapping looks up every
# character of CJK text and is several times slower.
_RE_FOLD = re.compile("[" + "".join(_FOLD_CHARS) + "]")


def _fold(text: str) -> str:
    return _RE_FOLD.sub(_fold_char, text)


def _fold_char(m: re.Match[str]) -> str:
    return _FOLD_CHARS[m.group()]


CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①..⑳
CIRCLED.update({chr(0x3251 + i): 21 + i for i in range(15)})  # ㉑..㉟
CIRCLED.update({chr(0x32B1 + i): 36 + i for i in range(15)})  # ㊱..㊿


class LabelKind(StrEnum):
    """Every numbering style, with what the tree builder needs to know about it.

    ``rank`` is the fixed depth of a division (编/部分 > 章 > 节 > 条); ``None`` ranks by first
    appearance in the document.  ``role`` says what the label numbers: ``division`` (a
    heading by definition), ``article``, ``section`` (一、), ``item`` (a sub-item) or
    ``block`` (问题一：/任务2：).  ``arabic`` marks styles numbered with arabic digits (the
    numbered rows of a flattened table use them).  Adding a numbering style is one member here
    plus its pattern in ``_PATTERNS``.
    """

    rank: int | None
    role: str
    arabic: bool

    def __new__(cls, value: str, rank: int | None, role: str, arabic: bool = False) -> LabelKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.rank = rank
        member.role = role
        member.arabic = arabic
        return member

    PART = "part", 0, "division"  # 第一编 / 第一部分
    CHAPTER = "chapter", 1, "division"  # 第一章
    SECTION = "section", 2, "division"  # 第一节
    ARTICLE = "article", 3, "article"  # 第一条
    CN_DUN = "cn_dun", None, "section"  # 一、
    CN_PAREN = "cn_paren", None, "item"  # （一）
    ARABIC = "arabic", None, "item", True  # 1. 1． 1、
    ARABIC_PAREN = "arabic_paren", None, "item", True  # （1）
    ARABIC_HALF = "arabic_half", None, "item", True  # 1）
    CIRCLED = "circled", None, "item"  # ①
    BLOCK = "block", None, "block"  # 问题一： / 任务2：

    @property
    def is_division(self) -> bool:
        return self.role == "division"

    @property
    def is_item(self) -> bool:
        return self.role == "item"


@dataclass(frozen=True)
class Label:
    """A numbering label found at the start of a line."""

    kind: LabelKind
    number: int
    label: str  # as printed, stripped
    norm: str  # normalised for paths
    rest: str  # the text after the label, stripped
    start: int = 0  # offset of the label in the input line (after junk)


_CN = f"[{NUMERAL_CHARS}]+"
_JUNK = r"[\s`'\"*·•●■◆▪\-]*"

# Words that, right after 第X条/章, show the phrase is a cross-reference inside a sentence.
_XREF_FOLLOW = set("、,，。；;的之和或及至与款）)》”")
_STRUCT_KIND = {
    "编": LabelKind.PART,
    "部分": LabelKind.PART,
    "章": LabelKind.CHAPTER,
    "节": LabelKind.SECTION,
    "条": LabelKind.ARTICLE,
}
_WS = re.compile(r"\s+")
_RE_ENUM_CN = re.compile(rf"^({_CN})\s*(、|等|年级|级|类|批|届)")
_RE_ENUM_DIGIT = re.compile(r"^\d")


def _num(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return cn_to_int(text)


def _label(kind: LabelKind, number: int, line: str, m: re.Match[str], norm: str) -> Label:
    """The label of group 1 of ``m``, printed as in ``line``, and the text after it."""
    printed = line[m.start(1) : m.end(1)]
    return Label(kind, number, printed.strip(), norm, line[m.end() :].strip(), m.start(1))


def _read_struct(line: str, view: str, m: re.Match[str]) -> Label | None:
    """第X编/部分/章/节/条, unless it is a cross-reference (``第45条、``, ``第三条规定的``)."""
    number = _num(m.group(2))
    rest_view = view[m.end() :]
    follow = rest_view[:1]
    if not number or follow in _XREF_FOLLOW or rest_view.startswith(("规定", "所", "的")):
        return None
    kind = _STRUCT_KIND[m.group(3)]
    if kind is LabelKind.ARTICLE and m.group(2).isdigit() and follow and follow != " ":
        return None  # 第45条 written with digits is almost always a cross-reference
    return _label(kind, number, line, m, _WS.sub("", line[m.start(1) : m.end(1)]))


def _read_block(line: str, view: str, m: re.Match[str]) -> Label | None:
    number = _num(m.group(3))
    if not number:
        return None
    return _label(LabelKind.BLOCK, number, line, m, _WS.sub("", f"{m.group(2)}{m.group(3)}"))


def _read_cn_paren(line: str, view: str, m: re.Match[str]) -> Label | None:
    number = cn_to_int(m.group(2))
    return _label(LabelKind.CN_PAREN, number, line, m, f"（{m.group(2)}）") if number else None


def _read_arabic_paren(line: str, view: str, m: re.Match[str]) -> Label | None:
    number = int(m.group(2))
    return _label(LabelKind.ARABIC_PAREN, number, line, m, f"（{number}）") if number else None


def _read_cn_dun(line: str, view: str, m: re.Match[str]) -> Label | None:
    """一、 — but not a list of numerals (``一、二年级``, ``一、二等奖``, ``三、四类``).

    A list counts up; ``四、两类口岸的划分`` is section 四 about two kinds of port.
    """
    number = cn_to_int(m.group(2))
    rest = line[m.end() :].strip()
    if not number or number >= 100:
        return None
    enum = _RE_ENUM_CN.match(rest)
    if enum and (cn_to_int(enum.group(1)) or 0) > number and "两" not in enum.group(1):
        return None
    return _label(LabelKind.CN_DUN, number, line, m, m.group(2))


def _read_arabic(line: str, view: str, m: re.Match[str]) -> Label | None:
    """1. / 1． / 1、 — but not ``1、2号`` (a list) or ``1.%`` (a figure)."""
    number = int(m.group(2))
    rest = line[m.end() :].strip()
    if not number or (m.group(3) == "、" and _RE_ENUM_DIGIT.match(rest)) or rest.startswith(("%", "％")):
        return None
    return _label(LabelKind.ARABIC, number, line, m, str(number))


def _read_arabic_half(line: str, view: str, m: re.Match[str]) -> Label | None:
    number = int(m.group(2))
    return _label(LabelKind.ARABIC_HALF, number, line, m, f"{number}）") if number else None


def _read_circled(line: str, view: str, m: re.Match[str]) -> Label | None:
    ch = m.group(1)
    return _label(LabelKind.CIRCLED, CIRCLED[ch], line, m, ch)


_Reader = Callable[[str, str, re.Match[str]], Label | None]
# Tried in order on the recognition view; the first pattern that matches decides (its reader
# may still refuse the line, e.g. a cross-reference, and then the line has no label).
_PATTERNS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (re.compile(rf"^{_JUNK}(第\s*({_CN}|\d{{1,4}})\s*(编|部分|章|节|条))"), _read_struct),
    # "问题一：…" / "问题2：…" / "任务三：…": the numbered blocks of a rectification plan or
    # an action plan.
    (re.compile(rf"^{_JUNK}((问题|任务)\s*({_CN}|\d{{1,3}})\s*[:.])"), _read_block),
    # "（一）、加强…" / "（1）." : a stray separator after the bracket belongs to the label.
    (re.compile(rf"^{_JUNK}(\(\s*({_CN})\s*\)(?:\s*[、.](?!\d))?)"), _read_cn_paren),
    (re.compile(rf"^{_JUNK}(\(\s*(\d{{1,3}})\s*\)(?:\s*[、.](?!\d))?)"), _read_arabic_paren),
    (re.compile(rf"^{_JUNK}(({_CN})\s*(、|\.(?!\d)))"), _read_cn_dun),
    # "2. 2027年3月31日前完成…": a dot before a year is a label, not a decimal.
    (re.compile(rf"^{_JUNK}((\d{{1,3}})\s*(\.(?!\d)|\.(?=\s*(?:19|20)\d\d\s*年)|、))"), _read_arabic),
    (re.compile(rf"^{_JUNK}((\d{{1,3}})\s*\))"), _read_arabic_half),
    (re.compile(rf"^{_JUNK}([{''.join(CIRCLED)}])"), _read_circled),
)

# What a label may start with, after the junk (which none of these characters is), and the
# patterns such a start can match, in their order: the first that matches still decides, and
# the patterns that cannot match are not tried (``\d`` matches any decimal digit).
_STRUCT, _BLOCK, _CN_PAREN, _ARABIC_PAREN, _CN_DUN, _ARABIC, _ARABIC_HALF, _CIRCLED = _PATTERNS
_ARABIC_FORMS = (_ARABIC, _ARABIC_HALF)
_BY_FIRST: dict[str, tuple[tuple[re.Pattern[str], _Reader], ...]] = {
    "第": (_STRUCT,),
    "问": (_BLOCK,),
    "任": (_BLOCK,),
    "(": (_CN_PAREN, _ARABIC_PAREN),
    **dict.fromkeys(NUMERAL_CHARS, (_CN_DUN,)),
    **dict.fromkeys(CIRCLED, (_CIRCLED,)),
}
_RE_JUNK = re.compile(_JUNK)

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
    view = _fold(line[:40]) + line[40:]
    start = _RE_JUNK.match(view).end()
    first = view[start : start + 1]
    patterns = _BY_FIRST.get(first) or (_ARABIC_FORMS if first.isdecimal() else ())
    for regex, read in patterns:
        m = regex.match(view)
        if m:
            return read(line, view, m)
    return None


__all__ = ["CIRCLED", "Label", "LabelKind", "cn_to_int", "int_to_cn", "recognize_label"]
