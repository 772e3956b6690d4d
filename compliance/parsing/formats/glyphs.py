"""Characters with a position (from a PDF or an OFD page) grouped into visual lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .layout import Line, join_text


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    score: float = 1.0  # OCR confidence of the text this character came from

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def chars_to_lines(chars: list[Char], page: int) -> list[Line]:
    """Group characters sharing a baseline into lines, left to right.

    A character drawn twice at almost the same place (the usual fake bold) counts once.
    Between two characters a space is kept where the file has one, and added where the gap
    is wider than a character, except between Chinese characters closer than three
    characters (letter-spaced titles such as ``通　知`` read as one word), and where a line
    set solid has one gap of a space's width (a space the file positions instead of drawing).
    """
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.bottom, c.x0)):
        if rows:
            ref = rows[-1][0]
            if abs(ch.bottom - ref.bottom) <= 0.4 * max(ch.size, ref.size):
                rows[-1].append(ch)
                continue
        rows.append([ch])
    lines = []
    for row in rows:
        line = _row_to_line(sorted(row, key=lambda c: c.x0), page)
        if line is not None:
            lines.append(line)
    return lines


def _wide(ch: str) -> bool:
    """A Chinese character or full-width punctuation (the ranges of ``layout.is_cjk``)."""
    o = ord(ch[0])
    return 0x3000 <= o <= 0x303F or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF


def _row_to_line(row: list[Char], page: int) -> Line | None:
    kept: list[Char] = []
    spaced: list[bool] = []  # the file has a space before this character
    space = False
    for ch in row:
        if ch.text.isspace():
            space = bool(kept)
            continue
        if kept:
            last = kept[-1]
            if ch.text == last.text and abs(ch.x0 - last.x0) < 0.3 * ch.size:
                continue  # drawn twice for a bold effect
        kept.append(ch)
        spaced.append(space)
        space = False
    if not kept:
        return None
    gaps = sorted(b.x0 - a.x1 for a, b in pairwise(kept))
    tight = bool(gaps) and gaps[len(gaps) // 2] < 0.1 * kept[0].size  # characters set solid
    parts = [kept[0].text]
    for k in range(1, len(kept)):
        ch, prev = kept[k], kept[k - 1]
        if spaced[k]:
            parts.append(" ")
        else:
            gap = ch.x0 - prev.x1
            size = ch.size if ch.size > prev.size else prev.size
            if gap > 0.25 * size and (tight or gap > size):
                if not (gap < 3 * size and _wide(ch.text) and _wide(prev.text[-1])) or (tight and gap <= size):
                    parts.append(" ")  # a wide gap, or one space-wide gap in solidly set text
        parts.append(ch.text)
    sizes = Counter(round(c.size * 2) / 2 for c in kept)
    return Line(
        text="".join(parts).strip(),
        x0=min(c.x0 for c in kept),
        x1=max(c.x1 for c in kept),
        top=min(c.top for c in kept),
        bottom=max(c.bottom for c in kept),
        size=sizes.most_common(1)[0][0],
        page=page,
        score=min(c.score for c in kept),
    )


def cell_text(chars: list[Char]) -> str:
    """The text of a table cell: wrapped lines joined, separate lines apart by a space.

    A line that reaches (nearly) as far right as the cell's longest line was wrapped.
    """
    lines = chars_to_lines(chars, 0)
    if not lines:
        return ""
    left = min(ln.x0 for ln in lines)
    widest = max(ln.x1 for ln in lines) - left
    out = lines[0].text
    for prev, line in pairwise(lines):
        if prev.x1 - left >= widest - 2 * prev.size:
            out = join_text(out, line.text)
        else:
            out = out + " " + line.text
    return out
