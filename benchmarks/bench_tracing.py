"""Quality of the link proposals (trace_links) on the hand-labelled pairs; see docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_tracing.py [SEEDS_DIR]

Prints, for each labelled set, the number of labelled rows and the top-1 and top-3 hit rates
(a hit: one of the labelled upstream items is among the first 1 or 3 candidates), and the time
the ranking took. Needs the seed files (../shared/seeds or DUBAN_SEEDS_DIR).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "compliance" / "tests" / "tracing" / "data"


def hit_rates(file: Path, upstream: Path, pairs: dict[str, list[str]]) -> dict[str, float]:
    from compliance.parsing import parse_file
    from compliance.tracing import propose
    from compliance.tracing.parsed import document_passages, first_document_with_items

    rows = document_passages(first_document_with_items(parse_file(file.read_bytes(), file.name)))
    up = document_passages(first_document_with_items(parse_file(upstream.read_bytes(), upstream.name)))
    start = time.perf_counter()
    ranked = {" > ".join(r.path): [" > ".join(c.path) for c in cands] for r, cands in propose(rows, up, top=3)}
    seconds = time.perf_counter() - start
    top1 = sum(1 for k, good in pairs.items() if ranked.get(k, [])[:1] and ranked[k][0] in good)
    top3 = sum(1 for k, good in pairs.items() if set(ranked.get(k, [])[:3]) & set(good))
    misses = {k: ranked.get(k, []) for k, good in pairs.items() if not (ranked.get(k, [])[:1] and ranked[k][0] in good)}
    n = len(pairs)
    return {"rows": n, "top1": top1 / n, "top3": top3 / n, "seconds": seconds, "misses": misses}


def measure(seeds: Path) -> dict[str, dict]:
    labels = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
    plan = labels["plan_2021"]
    yoy = labels["yoy_2021_2019"]
    return {
        "plan_2021": hit_rates(DATA / plan["file"], seeds / plan["upstream_seed"], plan["pairs"]),
        "yoy_2021_2019": hit_rates(seeds / yoy["file_seed"], seeds / yoy["upstream_seed"], yoy["pairs"]),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")
    seeds = Path(
        sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DUBAN_SEEDS_DIR", ROOT.parent / "shared" / "seeds")
    )
    for name, r in measure(seeds).items():
        print(f"{name}: {r['rows']} rows, top-1 {r['top1']:.0%}, top-3 {r['top3']:.0%}, {r['seconds']:.3f} s")
        for k, got in r["misses"].items():
            print(f"    miss {k}: {got}")
