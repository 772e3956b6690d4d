"""Write a simple text-layer PDF with Chinese text (reportlab, Adobe's STSong-Light CID font).

One text line per given line, 12 pt, A4 pages, no layout: what the tests of the text-level
parser need. :mod:`.typeset` writes documents laid out like real ones (title, masthead,
running header, page numbers, indents, tables).
"""

from __future__ import annotations

import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def make_text_pdf(lines: list[str], *, lines_per_page: int = 40) -> bytes:
    """A PDF whose text layer holds ``lines`` (one text line each, 12 pt, A4 pages)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=True)
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    for page_lines in pages:
        y = 800
        for line in page_lines:
            c.setFont(FONT, 12)
            c.drawString(50, y, line)
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()
