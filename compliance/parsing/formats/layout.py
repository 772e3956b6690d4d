"""Positioned text lines (from a PDF, an OFD or OCR) to the text a clean ``.txt`` would hold.

Every page-based format ends here with the same data: lines of text with a box, a font size
and a page, plus the tables found on the page. The page furniture is removed (running
headers and footers that repeat near the top or bottom of most pages, page numbers such as
``— 3 —`` or ``第 3 页 共 9 页``), and the lines are joined into paragraphs from the page
geometry, never from the extractor's line breaks:

- a line that starts at the left margin right after a line that ran to the right margin
  continues that paragraph (also across a page break);
- an indented line, a line after a short one, a change of font size, a gap clearly larger
  than the usual line pitch, a centred or right-aligned line start a new paragraph;
- in documents whose paragraphs are not indented, a line that starts with a numbering label
  after a line that ends a sentence starts a new paragraph too; where a full line is followed
  by one at the margin the page cannot tell a wrap from a line that ends exactly there (a
  title, a 文号, a date or signature line), and the text rules of
  :func:`compliance.parsing.normalize.join_lines` decide, as for hard-wrapped text;
- consecutive centred lines in the same large font are one title, written on one line.

Tables come out one row per line as ``| cell | cell |`` at their place in the text.
Coordinates are top-down (``top`` < ``bottom``) in any unit (points, millimetres, pixels).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from ..lines import Line as TextLine
from ..normalize import join_lines

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_RE_PAGE_NUMBER = re.compile(
    r"^[-—－–─~～·\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4})?(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?[-—－–─~～·\s]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_RE_TERMINAL = re.compile(r"[。；;！!？?：:]$")
_RE_LABEL_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇]+[章节条编部分]"
    r"|[一二三四五六七八九十]+[、.．]"
    r"|[（(][一二三四五六七八九十]+[）)]"
    r"|\d{1,3}[、.．](?!\d)"
    r"|[（(]\d{1,3}[）)]"
    r"|[①-⑳]"
    r"|附\s*件)"
)
_FURNITURE_ZONE = 0.12  # top and bottom share of the page where running headers live
# A line ending within this many characters of the wrap margin is full (digits and Latin letters
# are narrower than Chinese, and a typesetter moves 。，） onto the line they follow).
_FULL = 2.5
_RE_CLOSED = re.compile(r"[。；;！!？?：:）)]$")


@dataclass
class Line:
    """One visual line of text on a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size (or the line's height for OCR)
    page: int
    score: float = 1.0  # OCR confidence; 1.0 for a text layer

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Table:
    """A ruled table: rows of cell texts (merged cells already resolved) and where it sits."""

    page: int
    top: float
    bottom: float
    rows: list[list[str]]
    full_rows: set[int] = field(default_factory=set)  # rows that are one cell across the table

    def lines(self) -> list[str]:
        out = []
        for i, row in enumerate(self.rows):
            cells = [c.replace("|", "｜").strip() for c in (row[:1] if i in self.full_rows else row)]
            if any(cells):
                out.append("| " + " | ".join(cells) + " |")
        return out


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class LaidOut:
    """The text of the pages, and the OCR lines whose confidence was low (as printed)."""

    text: str
    uncertain: list[str] = field(default_factory=list)
    ocr_pages: int = 0  # pages read by OCR


def join_text(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space in Chinese, one space between Latin words."""
    if not left:
        return right
    if not right:
        return left
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalpha():
        return left + " " + right
    if left[-1] in ",;:" and right[0].isascii() and right[0].isalnum():
        return left + " " + right
    return left + right


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


# --------------------------------------------------------------------------- furniture


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_furniture(pages: list[Page]) -> None:
    """Remove page numbers and the running headers/footers repeated on most pages (in place)."""
    zone_keys: Counter[str] = Counter()
    for page in pages:
        seen = set()
        for ln in page.lines:
            if _in_zone(ln, page):
                seen.add(_furniture_key(ln.text))
        zone_keys.update(seen)
    n = len(pages)
    repeated = {k for k, c in zone_keys.items() if c >= 2 and c >= 0.4 * n and k}
    body_size = _body_size([ln for p in pages for ln in p.lines])
    for page in pages:
        page.lines = [
            ln
            for ln in page.lines
            if not (
                _in_zone(ln, page)
                and (
                    _RE_PAGE_NUMBER.match(ln.text.strip())
                    # a masthead repeated by several documents in one file is large, a header is not
                    or (_furniture_key(ln.text) in repeated and ln.size <= 1.15 * body_size)
                    or _small_print(ln, page, body_size)
                )
            )
        ]


def _small_print(ln: Line, page: Page, body_size: float) -> bool:
    """A line in smaller type at the very top or bottom of a page: a header or footer."""
    edge = ln.bottom <= page.height * 0.08 or ln.top >= page.height * 0.92
    return edge and ln.size < 0.85 * body_size


def _in_zone(ln: Line, page: Page) -> bool:
    return ln.bottom <= page.height * _FURNITURE_ZONE or ln.top >= page.height * (1 - _FURNITURE_ZONE)


# --------------------------------------------------------------------------- metrics


@dataclass
class _Metrics:
    size: float  # body font size
    left: float  # left margin of body text
    right: float  # right margin of body text
    pitch: float  # usual distance between the tops of two lines of a paragraph
    indented: bool  # paragraphs start with a first-line indent


def _mode(values: list[float], step: float) -> float:
    if not values:
        return 0.0
    counts = Counter(round(v / step) for v in values)
    return counts.most_common(1)[0][0] * step


def _body_size(lines: list[Line]) -> float:
    """The font size of most of the text."""
    weighted: Counter[float] = Counter()
    for ln in lines:
        weighted[round(ln.size * 2) / 2] += len(ln.text)
    return weighted.most_common(1)[0][0] if weighted else 12.0


def _metrics(pages: list[Page]) -> _Metrics:
    lines = [ln for p in pages for ln in p.lines]
    size = _body_size(lines)
    body = [ln for ln in lines if abs(ln.size - size) <= 0.15 * size] or lines
    left = _left_margin(body, size)
    widths = Counter(round(p.width) for p in pages if p.lines)
    right = _wrap_margin(body, size, left, widths.most_common(1)[0][0] if widths else 0.0)
    pitches = []
    for p in pages:
        ordered = sorted((ln for ln in p.lines if abs(ln.size - size) <= 0.15 * size), key=lambda ln: ln.top)
        pitches.extend(b.top - a.top for a, b in pairwise(ordered) if b.top - a.top > 0.5 * size)
    pitch = _mode(pitches, size / 8) or size * 1.5
    indented = _indent_style(pages, size, left, right)
    return _Metrics(size=size, left=left, right=right, pitch=pitch, indented=indented)


def _left_margin(body: list[Line], size: float) -> float:
    """The leftmost x where a fair share of lines start (indented first lines start further in)."""
    counts = Counter(round(ln.x0 / (size / 2)) for ln in body)
    need = max(2, 0.1 * len(body)) if len(body) >= 4 else 1
    keys = [k for k, c in counts.items() if c >= need] or [counts.most_common(1)[0][0]]
    key = min(keys)
    return min(ln.x0 for ln in body if round(ln.x0 / (size / 2)) == key)


def _wrap_margin(body: list[Line], size: float, left: float, page_width: float) -> float:
    """Where wrapped lines end: the right edge the longest lines share (infinite if none).

    Lines never run past the margin (a pushed 。 or ） at most), so the edge is near the top of
    the line ends. Text that is not hard-wrapped (one paragraph a line, lines of any length) has
    no such edge, and then every line is its own paragraph.
    """
    wide = sorted(ln.x1 for ln in body if ln.x1 - left > 10 * size)
    if len(wide) < 3:
        return float("inf")
    right = wide[int(0.95 * (len(wide) - 1))]
    near = [x for x in wide if abs(x - right) <= _FULL * size]
    if len(near) >= max(3, 0.1 * len(wide)):
        return right
    # Too few wrapped lines to tell: pages have equal left and right margins, so a line that
    # ends where the right margin mirrors the left one is full, if no line runs past it.
    mirror = page_width - left
    if any(mirror - _FULL * size <= x <= mirror + size for x in wide) and not any(x > mirror + 2 * size for x in wide):
        return mirror
    return float("inf")


def _indent_style(pages: list[Page], size: float, left: float, right: float) -> bool:
    """True when the lines that follow a short line (a paragraph's end) are mostly indented."""
    starts = indented = 0
    for p in pages:
        ordered = sorted(p.lines, key=lambda ln: ln.top)
        for a, b in pairwise(ordered):
            if a.x1 < right - 2 * size and abs(a.x0 - left) < 3 * size and b.x0 < left + 4 * size:
                starts += 1
                indented += b.x0 > left + 0.8 * size
    return starts > 0 and indented / starts >= 0.5


# --------------------------------------------------------------------------- paragraphs


def _is_centred(ln: Line, m: _Metrics) -> bool:
    mid = (m.left + m.right) / 2
    return ln.x0 > m.left + 1.5 * m.size and abs(ln.centre - mid) < 1.5 * m.size and ln.x1 < m.right - 1.5 * m.size


def _is_right_aligned(ln: Line, m: _Metrics) -> bool:
    return ln.x0 > m.left + 6 * m.size and ln.x1 >= m.right - 3 * m.size and not _is_centred(ln, m)


def _continues(prev: Line, cur: Line, m: _Metrics) -> bool | None:
    """Does ``cur`` continue the paragraph whose last line is ``prev``? ``None`` when the page
    cannot tell: without indents, a line that ran to the margin may wrap or may end exactly
    there (a title, a 文号, a date or a signature line) — the text rules decide those."""
    if abs(cur.size - prev.size) > 0.12 * max(cur.size, prev.size):
        return False
    big = max(cur.size, prev.size)
    if _is_centred(prev, m) or _is_centred(cur, m):
        # A title over two or three centred lines in a large font.
        return (
            _is_centred(prev, m)
            and _is_centred(cur, m)
            and prev.size > m.size * 1.1
            and cur.page == prev.page
            and cur.top - prev.top < 2.2 * big
            and not _RE_TERMINAL.search(prev.text)
        )
    if _is_right_aligned(prev, m) or _is_right_aligned(cur, m):
        return False
    if cur.page == prev.page and cur.top - prev.top > max(m.pitch, big) * 1.45:
        return False
    if cur.x0 > m.left + 0.8 * big:
        return False  # a first-line indent
    short = prev.x1 < m.right - _FULL * big
    if m.indented:
        # Paragraphs announce themselves by their indent: a line at the margin continues,
        # unless the line before clearly ended (short and closed, or very short).
        return not (short and (_RE_TERMINAL.search(prev.text) or prev.x1 < m.right - 6 * big))
    if short:
        return False  # the previous line stopped short: its paragraph ended
    if _RE_CLOSED.search(prev.text) and _RE_LABEL_START.match(cur.text.strip()):
        return False
    return None


def _gap_before(prev: Line, cur: Line, m: _Metrics, bounds: tuple[float, float]) -> bool:
    """Is there a blank line's worth of space between two paragraphs (also across a page break)?"""
    step = max(m.pitch, cur.size)
    if prev.page == cur.page:
        return cur.top - prev.top > 1.8 * step
    first, last = bounds
    return last - prev.top > 0.8 * step or cur.top - first > 0.8 * step


_WIDTH = 80  # the wrap width, in half-width units, the text rules see for a full line


def _text_width(ln: Line, m: _Metrics, span: float) -> int:
    """The line's width as the text rules measure it: _WIDTH when it runs to the wrap margin."""
    if not span:
        return min(len(ln.text) * 2, _WIDTH)
    if ln.x1 >= m.right - _FULL * ln.size:
        return _WIDTH
    return min(_WIDTH, round(_WIDTH * max(0.0, ln.x1 - m.left) / span))


def _paragraphs(pages: list[Page], m: _Metrics, low_score: float) -> tuple[list[str], list[str]]:
    out: list[str] = []
    uncertain: list[str] = []
    prev: Line | None = None
    block: list[TextLine] = []  # the lines since the last table
    decided: list[bool | None] = []  # per line: starts a paragraph, continues one, or undecided
    gaps: set[int] = set()  # lines with a blank line's worth of space above them
    header: str | None = None  # first row of the table being written

    def flush() -> None:
        for para in join_lines(block, _WIDTH, decided):
            if para.lineno in gaps:
                out.append("")  # a clear gap, as a blank line in a .txt
            text = ""
            for ln in block[para.lineno : para.lineno + para.nlines]:
                text = join_text(text, ln.text)
            if text:
                out.append(text)
        block.clear()
        decided.clear()
        gaps.clear()

    tops = [min(ln.top for ln in p.lines) for p in pages if p.lines]
    ends = [max(ln.top for ln in p.lines) for p in pages if p.lines]
    bounds = (min(tops, default=0.0), max(ends, default=0.0))
    span = m.right - m.left if m.right != float("inf") else 0.0
    for page in pages:
        items: list[tuple[float, int, Line | Table]] = [(ln.top, 1, ln) for ln in page.lines]
        items += [(t.top, 0, t) for t in page.tables]
        for _top, _kind, obj in sorted(items, key=lambda x: (x[0], x[1])):
            if isinstance(obj, Table):
                flush()
                rows = obj.lines()
                if out and rows and header is not None and out[-1].startswith("| ") and rows[0] == header:
                    rows = rows[1:]  # a table continued on the next page repeats its header row
                header = rows[0] if rows and not (out and out[-1].startswith("| ")) else header
                out.extend(rows)
                prev = None
                continue
            text = obj.text.strip(" \u3000\t")
            if not text:
                continue
            if prev is None:
                cont: bool | None = False
            else:
                cont = _continues(prev, obj, m)
                if not cont and _gap_before(prev, obj, m, bounds):
                    gaps.add(len(block))
            block.append(TextLine(text, len(block), 0, 0, _text_width(obj, m, span)))
            decided.append(None if cont is None else not cont)
            if obj.score < low_score:
                uncertain.append(text)
            prev = obj
    flush()
    return out, uncertain


def lay_out(pages: list[Page], *, low_score: float = 0.0) -> LaidOut:
    """The text of ``pages``: furniture removed, one paragraph a line, tables as ``| … |`` rows.

    Lines whose ``score`` is below ``low_score`` are listed in ``uncertain``.
    """
    drop_furniture(pages)
    for page in pages:
        page.lines = [ln for ln in page.lines if ln.text.strip()]
    if not any(p.lines or p.tables for p in pages):
        return LaidOut("")
    m = _metrics(pages)
    paras, uncertain = _paragraphs(pages, m, low_score)
    return LaidOut("\n".join(paras), uncertain)
