"""A stand-in for the OCR engine: "recognises" given lines, placed like a typed page.

Tests of what happens around OCR (progress, low-confidence marks, the background job, the
command line) use it so they run fast and the same way every time; the real engine is
exercised by ``test_formats_layout``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class _Result:
    boxes: np.ndarray | None
    txts: tuple[str, ...]
    scores: tuple[float, ...]


class FakeEngine:
    """Returns ``pages[k]`` for the k-th image it is called with: (text, score) per line."""

    def __init__(self, pages: list[list[tuple[str, float]]]) -> None:
        self.pages = pages
        self.calls = 0
        self.before_each = None  # called before each page is "recognised"

    def __call__(self, image) -> _Result:
        if self.before_each is not None:
            self.before_each(self.calls)
        lines = self.pages[self.calls % len(self.pages)]
        self.calls += 1
        em = image.width / 40  # forty characters a line
        boxes, txts, scores = [], [], []
        for row, (text, score) in enumerate(lines):
            indent = 2 * em if not text.startswith("|") else 0
            x0, top = 4 * em + indent, 4 * em + row * 2 * em
            x1 = x0 + em * sum(0.5 if ch.isascii() else 1.0 for ch in text)
            boxes.append([[x0, top], [x1, top], [x1, top + em * 1.2], [x0, top + em * 1.2]])
            txts.append(text)
            scores.append(score)
        return _Result(np.array(boxes, dtype=float) if boxes else None, tuple(txts), tuple(scores))


def install(monkeypatch, pages: list[list[tuple[str, float]]]) -> FakeEngine:
    """Make the OCR module use a fake engine (and count as installed)."""
    from pathlib import Path

    from compliance.parsing.formats import ocr

    engine = FakeEngine(pages)
    monkeypatch.setattr(ocr, "_engine", lambda: engine)
    monkeypatch.setattr(ocr, "_model_dir", lambda: Path("."))
    return engine


def blank_page_png(width: int = 1240, height: int = 1754) -> bytes:
    """A white A4 page at 150 dpi, as PNG."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (width, height), 255).save(buf, format="PNG")
    return buf.getvalue()


def blank_scanned_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` white page images (no text layer)."""
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=True)
    for _ in range(pages):
        c.drawImage(ImageReader(Image.new("L", (124, 175), 250)), 0, 0, width=595, height=842)
        c.showPage()
    c.save()
    return buf.getvalue()
