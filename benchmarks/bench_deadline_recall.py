"""Recall of time constraints on the seed documents against phrases marked by hand.

``benchmarks/deadline_marks.tsv`` lists, for a sample of the seeds' items (every item of 000,
001 and 004 that mentions a time, and two thirds of those of 002 and 003), each time
constraint a careful reader marks: due dates, targets (``到2020年``), start dates
(``从2020年1月起``), effective dates, durations (``3个月``, ``试点期3年``), cycles (``每五年``,
``以5年为一周期``), frequencies (``每周``), relative limits and event windows
(``中高考结束后至暑假前``).  Vague words (``及时``, ``定期``, ``持续``) are not marked.

``benchmarks/deadline_marks_heldout.tsv`` marks the remaining third of the items of 002 and 003
the same way; it was marked after the extractor was changed and never used to tune it.

A mark is found when a deadline of the item whose text holds the phrase (the marked path
first) overlaps it: one text contains the other.

Usage: ``.venv/bin/python benchmarks/bench_deadline_recall.py [SEEDS_DIR] [-v]``.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _squash(text: str) -> str:
    return "".join(text.split())


# The development sample (used while changing the extractor) and a held-out sample marked
# afterwards and never used to tune it.
MARKS = ("deadline_marks.tsv", "deadline_marks_heldout.tsv")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    seeds = Path(args[0] if args else os.environ.get("DUBAN_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
    from compliance.parsing import parse_file

    items: dict[str, list] = defaultdict(list)
    for path in sorted(seeds.glob("*.txt")):
        result = parse_file(path.read_bytes(), path.name)
        for doc in result.documents:
            for item in doc.items:
                items[path.name[:3]].append(("/".join(item.path), _squash(item.text), item.deadlines))
    for name in MARKS:
        marks = [
            line.rstrip("\n").split("\t")
            for line in (ROOT / "benchmarks" / name).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        found = sum(_found(items, mark, verbose) for mark in marks)
        print(f"{name}: marked {len(marks)}, found {found}, recall {found / len(marks):.1%}")


def _found(items: dict[str, list], mark: list[str], verbose: bool) -> bool:
    seed, _title, item_path, phrase = mark
    want = _squash(phrase)
    candidates = [c for c in items[seed] if want in c[1]]
    candidates.sort(key=lambda c: c[0] != item_path)
    hit = any(want in _squash(d.text) or _squash(d.text) in want for _p, _t, dls in candidates[:1] for d in dls)
    if verbose and not hit:
        print(f"missed  {seed} {item_path}  {phrase}")
    return hit


if __name__ == "__main__":
    main()
