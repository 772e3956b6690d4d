"""Characters and spaces of extracted text. Pure.

PDF text layers and web copies bring control characters, exotic spaces, compatibility
ideographs and spaces inside Chinese (``2019 年``, ``学 校 名 称``); this module cleans one
line at a time and measures its display width (CJK characters count double).
"""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width / CJK punctuation: no space is wanted next to it.
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7\u2460-\u24ff\u3200-\u32ff"
_WIDE = f"{_CJK}{_CJK_PUNCT}"

_RE_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff\ufffe]")
RE_SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_RE_SPACE = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_RE_SPACE_OR_TAB = re.compile(r"[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# A space next to a wide character on either side goes, except CJK–CJK (handled apart).
_RE_SP_WIDE_NARROW = re.compile(rf"(?<=[{_WIDE}]) +(?=[0-9A-Za-z%.(（\[{_CJK_PUNCT}])")
_RE_SP_NARROW_WIDE = re.compile(rf"(?<=[0-9A-Za-z%.)）\]{_CJK_PUNCT}]) +(?=[{_WIDE}])")
_RE_SP_PUNCT = re.compile(rf"(?<=[{_CJK_PUNCT}]) +| +(?=[{_CJK_PUNCT}])")
_RE_SP_CJK_CJK = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_RE_SP_DIGITS = re.compile(r"(?<=\d) +(?=[.．:：/\-—](?:\d|$))|(?<=\d[.．:：/\-—]) +(?=\d)")


def clean_chars(text: str) -> str:
    """Remove control characters and unify line ends and exotic spaces (keeps ``\\n``, ``\\t``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    text = _RE_CTRL.sub("", text)
    # Compatibility ideographs (⼀ U+2F00 block) look identical to 一 but break matching.
    return _RE_RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


_RE_RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def fix_spaces(line: str) -> str:
    """Normalise spaces inside one physical line.

    Spaces between a CJK character and a digit/letter (``2019 年``, ``第 45 条``) and
    around CJK punctuation are removed; letter-spaced words (``学 校 名 称``, ``吴 刚``) are
    closed up; a space between two multi-character CJK runs (``中共中央 国务院``,
    ``教育部 财政部``) separates names and is kept; ASCII words keep one space.
    """
    if not _RE_SPACE_OR_TAB.search(line):
        return line.strip()  # most lines: nothing below applies to a line without spaces
    line = RE_SPACES.sub(" ", line.replace("\t", " ")).strip()
    if " " not in line:
        return line
    line = _RE_SP_PUNCT.sub("", line)
    line = _RE_SP_WIDE_NARROW.sub("", line)
    line = _RE_SP_NARROW_WIDE.sub("", line)
    line = _RE_SP_DIGITS.sub("", line)
    if " " in line:
        line = _close_cjk_spaces(line)
    return line


def squeeze_spaces(text: str) -> str:
    """Every run of spaces (of any width) as one ASCII space."""
    # A search is about twice as fast as a substitution that finds nothing (most lines).
    return RE_SPACES.sub(" ", text) if _RE_SPACE.search(text) else text


def _close_cjk_spaces(line: str) -> str:
    """Close CJK–CJK spaces except between multi-character names on short lines."""
    parts = re.split(rf"(?<=[{_CJK}]) (?=[{_CJK}])", line)
    if len(parts) == 1:
        return line
    keep = (
        all(len(p) >= 2 for p in parts)
        and (len(line) <= 60 or not re.search("[，。；,;]", line))
        and not _RE_LABEL_SEP.match(line)
    )
    if keep:
        return " ".join(parts)
    return "".join(parts)


# "第一条 为…" / "一、 加强": a space after a label is a separator, not a name list.
_RE_LABEL_SEP = re.compile(r"^(第[一二三四五六七八九十百千零〇]+[条章节编]|[一二三四五六七八九十]+、)")


def display_width(text: str) -> int:
    """Width in half-width units: CJK and full-width characters count 2, ASCII 1."""
    # 2 × length less the narrow characters: runs of narrow ones are few (CJK text), single
    # wide characters are many, so this is several times faster than counting the wide ones.
    return 2 * len(text) - len("".join(_RE_NARROW_RUNS.findall(text)))


# East Asian Wide/Fullwidth ranges (what a PDF lays out as a full em).
_WIDE_CHARS = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd"
)
_RE_NARROW_RUNS = re.compile(f"[^{_WIDE_CHARS}]+")


__all__ = ["RE_SPACES", "clean_chars", "display_width", "fix_spaces", "squeeze_spaces"]
