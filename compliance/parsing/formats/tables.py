"""Ruled tables on a page: the grid from the drawn rules, the text from the characters in each cell.

A 任务分解表 in a PDF or an OFD is drawn as horizontal and vertical rules. The rules that
touch each other form a grid; a missing rule between two cells means a merged cell. A
cell merged over several rows repeats its text on each row (so every task row keeps its
lead unit), a cell merged over several columns is written once followed by empty cells,
and a row that is a single cell across the table stays a single cell.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .glyphs import Char, cell_text
from .layout import Table


@dataclass
class Segment:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class _Rule:
    pos: float  # y of a horizontal rule, x of a vertical one
    a: float  # start along the rule
    b: float  # end along the rule


def _rules(segments: list[Segment], tol: float) -> tuple[list[_Rule], list[_Rule]]:
    hs: list[_Rule] = []
    vs: list[_Rule] = []
    for s in segments:
        if abs(s.y0 - s.y1) <= tol and abs(s.x1 - s.x0) > tol:
            hs.append(_Rule((s.y0 + s.y1) / 2, min(s.x0, s.x1), max(s.x0, s.x1)))
        elif abs(s.x0 - s.x1) <= tol and abs(s.y1 - s.y0) > tol:
            vs.append(_Rule((s.x0 + s.x1) / 2, min(s.y0, s.y1), max(s.y0, s.y1)))
    return _merge(hs, tol), _merge(vs, tol)


def _merge(rules: list[_Rule], tol: float) -> list[_Rule]:
    out: list[_Rule] = []
    for r in sorted(rules, key=lambda r: (round(r.pos / tol), r.a)):
        last = out[-1] if out else None
        if last is not None and abs(last.pos - r.pos) <= tol and r.a <= last.b + tol:
            last.b = max(last.b, r.b)
        else:
            out.append(_Rule(r.pos, r.a, r.b))
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _covers(rules: list[_Rule], pos: float, mid: float, tol: float) -> bool:
    return any(abs(r.pos - pos) <= tol and r.a - tol <= mid <= r.b + tol for r in rules)


def _components(hs: list[_Rule], vs: list[_Rule], tol: float) -> list[tuple[list[_Rule], list[_Rule]]]:
    """Groups of horizontal and vertical rules that touch each other (one group per table)."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.a - tol <= v.pos <= h.b + tol and v.a - tol <= h.pos <= v.b + tol:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return list(groups.values())


def find_tables(segments: list[Segment], chars: list[Char], page: int, size: float) -> tuple[list[Table], list[Char]]:
    """Tables of one page and the characters left outside them; ``size`` is the usual font size."""
    tol = max(size * 0.2, 0.5) if size else 1.0
    hs, vs = _rules(segments, tol)
    tables: list[Table] = []
    rest = chars
    for ghs, gvs in _components(hs, vs, tol):
        xs = _cluster([v.pos for v in gvs], tol * 2)
        ys = _cluster([h.pos for h in ghs], tol * 2)
        if len(xs) < 3 or len(ys) < 3:
            continue  # a frame or a rule, not a table of at least two rows and two columns
        table, rest = _grid_table(xs, ys, ghs, gvs, rest, page, tol)
        if table is not None:
            tables.append(table)
    return tables, rest


def _grid_table(
    xs: list[float],
    ys: list[float],
    hs: list[_Rule],
    vs: list[_Rule],
    chars: list[Char],
    page: int,
    tol: float,
) -> tuple[Table | None, list[Char]]:
    nrows, ncols = len(ys) - 1, len(xs) - 1
    anchor = {(r, c): (r, c) for r in range(nrows) for c in range(ncols)}
    for r in range(nrows):
        for c in range(ncols):
            if c > 0 and not _covers(vs, xs[c], (ys[r] + ys[r + 1]) / 2, tol):
                anchor[(r, c)] = anchor[(r, c - 1)]
            elif r > 0 and not _covers(hs, ys[r], (xs[c] + xs[c + 1]) / 2, tol):
                anchor[(r, c)] = anchor[(r - 1, c)]
    cells: dict[tuple[int, int], list[Char]] = {}
    rest: list[Char] = []
    for ch in chars:
        if not (xs[0] <= ch.cx <= xs[-1] and ys[0] <= ch.cy <= ys[-1]):
            rest.append(ch)
            continue
        r = min(bisect.bisect_right(ys, ch.cy) - 1, nrows - 1)
        c = min(bisect.bisect_right(xs, ch.cx) - 1, ncols - 1)
        cells.setdefault(anchor[(r, c)], []).append(ch)
    if not cells:
        return None, chars
    texts = {key: cell_text(cs) for key, cs in cells.items()}
    rows: list[list[str]] = []
    full: set[int] = set()
    for r in range(nrows):
        row = []
        for c in range(ncols):
            a = anchor[(r, c)]
            if a == (r, c) or (a[1] == c and a[0] < r):
                row.append(texts.get(a, ""))  # the cell itself, or a merged cell repeated below
            else:
                row.append("")  # the rest of a cell merged across columns
        if ncols > 1 and len({anchor[(r, c)] for c in range(ncols)}) == 1:
            full.add(r)
        rows.append(row)
    return Table(page=page, top=ys[0], bottom=ys[-1], rows=rows, full_rows=full), rest
