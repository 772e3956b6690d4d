"""Formats: parse a 100-page typeset PDF (target < 3 s) and OCR one A4 page at 150 dpi (target < 3 s).

Usage: ``.venv/bin/python benchmarks/bench_formats.py [--runs N] [--only pdf|ocr]``.

The documents are laid out by the test helper ``compliance.tests.parsing.typeset`` (A4, CJK
font, running header, ``— N —`` page numbers, first-line indents, double line spacing). Prints
wall and CPU time per run, the median, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed(fn, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for k in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        print(f"  run {k + 1}: wall {walls[-1]:.2f} s, cpu {cpus[-1]:.2f} s")
    return statistics.median(walls), statistics.median(cpus)


def bench_pdf(runs: int) -> None:
    from compliance.parsing import parse_file
    from compliance.tests.parsing import typeset
    from compliance.tests.parsing.format_samples import SHAPES

    blocks: list = []
    while True:
        blocks += SHAPES["regulation"]() + SHAPES["notice"]()[3:] + SHAPES["task_table"]()[1:]
        layout = typeset.lay_out(blocks, pitch=1.5)
        if len(layout.pages) >= 100:
            break
    layout.pages = layout.pages[:100]
    pdf = typeset.to_pdf(layout)
    chars = sum(len(t.text) for page in layout.pages for t in page if hasattr(t, "text"))
    print(f"typeset PDF: 100 pages, {chars} characters, {len(pdf) / 1024:.0f} KB")
    result = parse_file(pdf, "bench.pdf")
    items = sum(len(d.items) for d in result.documents)
    print(f"  {len(result.documents)} documents, {items} items")
    wall, cpu = _timed(lambda: parse_file(pdf, "bench.pdf"), runs)
    print(f"parse 100-page PDF: median wall {wall:.2f} s, cpu {cpu:.2f} s [target < 3 s]")


def bench_ocr(runs: int) -> None:
    from compliance.parsing.formats import decode_bytes, ocr
    from compliance.tests.parsing import typeset
    from compliance.tests.parsing.format_samples import SHAPES

    if not ocr.available():
        print("OCR extra not installed: pip install -r requirements-ocr.txt")
        return
    page = typeset.to_images(typeset.to_pdf(typeset.lay_out(SHAPES["notice"](), pitch=1.5)), dpi=150)[0]
    png = typeset.image_bytes(page)
    print(f"OCR engine: {ocr.ENGINE_NAME}")
    print(f"page: A4 at 150 dpi, {page.width}x{page.height} px")
    t = time.perf_counter()
    decoded = decode_bytes(png, "page.png")  # loads the models once
    print(f"  first call (models loaded): {time.perf_counter() - t:.2f} s, {len(decoded.text)} characters")
    wall, cpu = _timed(lambda: decode_bytes(png, "page.png"), runs)
    print(f"OCR one A4 page at 150 dpi: median wall {wall:.2f} s, cpu {cpu:.2f} s [target < 3 s]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["pdf", "ocr"])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    if args.only != "ocr":
        bench_pdf(args.runs)
    if args.only != "pdf":
        bench_ocr(args.runs)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
