"""Parse the five seed files in-process and print the wall time (target: < 1 s in total).

Also times degenerate inputs that would expose catastrophic regex backtracking in the unit
and deadline extractors (each should stay far below a second).

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
    start, cpu = time.perf_counter(), time.process_time()
    for name, data in blobs:
        t0 = time.perf_counter()
        result = parse_file(data, name)
        items = sum(len(d.items) for d in result.documents)
        print(f"{name}: {len(result.documents)} documents, {items} items, {time.perf_counter() - t0:.3f} s")
    # On a shared machine the CPU time says more than the wall time.
    print(f"total: {time.perf_counter() - start:.3f} s (CPU {time.process_time() - cpu:.3f} s)")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    degenerate()


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
