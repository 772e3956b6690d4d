"""Characters with a position (from a PDF or an OFD page) grouped into visual lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .layout import Line, is_cjk, join_text


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


def _row_to_line(row: list[Char], page: int) -> Line | None:
    gaps = sorted(b.x0 - a.x1 for a, b in pairwise(row) if not a.text.isspace() and not b.text.isspace())
    tight = bool(gaps) and gaps[len(gaps) // 2] < 0.1 * row[0].size  # characters set solid
    text = ""
    prev: Char | None = None
    kept: list[Char] = []
    for ch in row:
        if ch.text.isspace():
            if text and not text.endswith(" "):
                text += " "
            continue
        if prev is not None and ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.3 * ch.size:
            continue  # drawn twice for a bold effect
        if prev is not None and not text.endswith(" "):
            gap = ch.x0 - prev.x1
            size = max(ch.size, prev.size)
            both_cjk = is_cjk(ch.text[0]) and is_cjk(prev.text[-1])
            if (gap > 1.0 * size and not (both_cjk and gap < 3 * size)) or (tight and gap > 0.25 * size):
                text += " "  # a wide gap, or one space-wide gap in solidly set text
        text += ch.text
        kept.append(ch)
        prev = ch
    text = text.strip()
    if not text or not kept:
        return None
    sizes = Counter(round(c.size * 2) / 2 for c in kept)
    return Line(
        text=text,
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
