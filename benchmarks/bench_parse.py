"""Parse the five seed files in-process beside an anchor (issue #17 target: < 0.5 s in total).

The anchor is a single regex pass over the same bytes: decode them and find every numbering
label (``一、`` ``（一）`` ``1.`` ``第X条``…). Each run times the anchor and the parse one after
the other (alternating which goes first), so that a busy machine slows both alike; the script
prints every run, the best and the median of each, their ratio and the load average. The
parser's caches are emptied before each parse, so every run meets the seeds as new documents.

Also times degenerate inputs that would expose catastrophic regex backtracking in the unit
and deadline extractors (each should stay far below a second).

Usage: ``.venv/bin/python benchmarks/bench_parse.py [--repeat N] [SEEDS_DIR]``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The anchor's regex: the numbering labels a policy text is cut at, anywhere on a line.
ANCHOR = re.compile(
    r"[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十]+[）)]"
    r"|\d{1,2}[.．、]"
    r"|[（(]\d{1,2}[）)]"
    r"|第[一二三四五六七八九十百零〇]+[章节条款]"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", nargs="?", help="folder of seed .txt files (default: ../shared/seeds)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of anchor + parse (default 7)")
    args = parser.parse_args()
    seeds = Path(args.seeds or os.environ.get("DUBAN_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
    files = sorted(seeds.glob("*.txt"))
    if not files:
        sys.exit(f"no seed files in {seeds}")
    from compliance.parsing import parse_file

    blobs = [(f.name, f.read_bytes()) for f in files]
    print(f"load average before: {_loadavg()}")
    print(f"{len(blobs)} files, {sum(len(d) for _, d in blobs):,} bytes")
    for name, data in blobs:  # warm up imports and regex caches, and show what is parsed
        result = parse_file(data, name)
        items = sum(len(d.items) for d in result.documents)
        print(f"  {name}: {len(result.documents)} documents, {items} items")

    def anchor() -> None:
        labels = sum(1 for _, data in blobs for _ in ANCHOR.finditer(data.decode("utf-8")))
        assert labels

    def parse() -> None:
        _clear_parser_caches()  # every run meets the text as a new document would
        for name, data in blobs:
            parse_file(data, name)

    runs: dict[str, list[tuple[float, float]]] = {"anchor": [], "parse": []}
    for i in range(args.repeat):
        order = [("anchor", anchor), ("parse", parse)]
        if i % 2:
            order.reverse()
        for label, run in order:
            runs[label].append(_timed(run))
        (aw, ac), (pw, pc) = runs["anchor"][-1], runs["parse"][-1]
        print(
            f"run {i + 1}: anchor {ac * 1000:.1f} ms CPU ({aw * 1000:.1f} wall)   parse {pc:.3f} s CPU ({pw:.3f} wall)"
        )
    for label in ("anchor", "parse"):
        cpu = [c for _, c in runs[label]]
        wall = [w for w, _ in runs[label]]
        print(
            f"{label}: CPU best {min(cpu) * 1000:.1f} ms, median {statistics.median(cpu) * 1000:.1f} ms;"
            f" wall best {min(wall) * 1000:.1f} ms, median {statistics.median(wall) * 1000:.1f} ms"
        )
    ratio = statistics.median(c for _, c in runs["parse"]) / statistics.median(c for _, c in runs["anchor"])
    print(f"ratio parse / anchor (median CPU): {ratio:.0f}×")
    # On a shared machine the CPU time says more than the wall time.
    print(f"load average after: {_loadavg()}")
    degenerate()


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _clear_parser_caches() -> None:
    """Empty the parser's ``lru_cache`` tables, so no run reuses what an earlier run learned."""
    for name, module in list(sys.modules.items()):
        if name.startswith("compliance.parsing"):
            for obj in vars(module).values():
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def degenerate() -> None:
    """Inputs built to make a backtracking regex explode."""
    from compliance.parsing.deadlines import extract_deadlines
    from compliance.parsing.units import extract_units

    cases = [
        ("units: 40 names joined by 和", lambda: extract_units("由" + "和".join(["教务处学生处"] * 40) + "。")),
        ("units: 5000 × 、", lambda: extract_units("由" + "、" * 5000)),
        ("units: 3000-name list", lambda: extract_units("牵头单位：" + "教务处、" * 3000)),
        ("deadlines: 3000 × 每年", lambda: extract_deadlines("每年" * 3000, 2020)),
        ("deadlines: 3000 × 《", lambda: extract_deadlines("《" * 3000 + "到2020年" * 1000, 2020)),
        (
            "deadlines: 500 sentences",
            lambda: extract_deadlines("于4月30日前报送，到2022年建成，每学期检查。" * 500, 2020),
        ),
    ]
    for name, run in cases:
        t0 = time.perf_counter()
        run()
        print(f"{name}: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
