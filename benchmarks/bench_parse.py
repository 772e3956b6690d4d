"""Parse the five seed files in-process and print the wall time (target: < 1 s in total).

Usage: ``.venv/bin/python benchmarks/bench_parse.py [SEEDS_DIR]``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    seeds = Path(
        sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DUBAN_SEEDS_DIR", ROOT.parent / "shared" / "seeds")
    )
    files = sorted(seeds.glob("*.txt"))
    if not files:
        sys.exit(f"no seed files in {seeds}")
    from compliance.parsing import parse_file

    blobs = [(f.name, f.read_bytes()) for f in files]
    parse_file(blobs[0][1], blobs[0][0])  # warm up imports and regex caches
    start = time.perf_counter()
    for name, data in blobs:
        t0 = time.perf_counter()
        result = parse_file(data, name)
        items = sum(len(d.items) for d in result.documents)
        print(f"{name}: {len(result.documents)} documents, {items} items, {time.perf_counter() - t0:.3f} s")
    print(f"total: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
