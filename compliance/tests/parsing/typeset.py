"""Documents laid out like real 公文, written as PDF, OFD, scanned images and the plain text.

A document is a list of blocks (masthead, 文号, title, paragraphs, signature, table). The
layout puts them on A4 pages the way a typesetter does: a red masthead and a large centred
title of two or three lines, body text in a CJK font with a two-character first-line indent,
hard-wrapped at a fixed number of characters (never starting a line with 。，、), double line
spacing (so pdfminer sees a blank line between wrapped lines), a running header and ``— N —``
page numbers on every page, and a ruled table. The same layout is written as a PDF
(reportlab, ``STSong-Light``), as an OFD (zip + XML, millimetres), or rasterised into page
images (a scan); :func:`plain_text` gives the ``.txt`` of the same content.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT = 80.0, 515.0
TOP, BOTTOM = 100.0, 760.0
BODY = 14.0
FONT = "STSong-Light"
_NO_LINE_START = "。，、；：？！）》”"


@dataclass
class Block:
    kind: str  # masthead | docno | title | subtitle | para | centre | sign | table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    merge_down: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> rows spanned


@dataclass
class Text:
    x: float
    top: float  # top of the line box, points from the page top
    size: float
    text: str
    red: bool = False


@dataclass
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Layout:
    pages: list[list[Text | Rule]]


def plain_text(blocks: list[Block]) -> str:
    """The ``.txt`` of the document: one paragraph a line, table rows as ``| … |``."""
    out = []
    for b in blocks:
        if b.kind == "table":
            rows = _filled_rows(b)
            out.extend("| " + " | ".join(r) + " |" for r in rows)
        else:
            out.append(b.text)
    return "\n".join(out) + "\n"


def _filled_rows(b: Block) -> list[list[str]]:
    rows = [list(r) for r in b.rows]
    for (r, c), span in b.merge_down.items():
        for k in range(1, span):
            rows[r + k][c] = rows[r][c]
    return rows


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (CJK one em, ASCII half an em)."""
    lines, cur, w, limit = [], "", 0.0, width - first_indent
    for ch in text:
        cw = size * (0.5 if ch.isascii() else 1.0)
        if w + cw > limit + 0.01 and cur and ch not in _NO_LINE_START:
            lines.append(cur)
            cur, w, limit = "", 0.0, width
        cur += ch
        w += cw
    return [*lines, cur] if cur else lines


def text_width(text: str, size: float) -> float:
    return sum(size * (0.5 if ch.isascii() else 1.0) for ch in text)


class _Pager:
    def __init__(self, header: str) -> None:
        self.header = header
        self.pages: list[list[Text | Rule]] = []
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP
        n = len(self.pages)
        self.pages[-1].append(Text((PAGE_W - text_width(self.header, 10.5)) / 2, 40, 10.5, self.header))
        self.pages[-1].append(Rule(LEFT, 56, RIGHT, 56))
        footer = f"— {n} —"
        self.pages[-1].append(Text((PAGE_W - text_width(footer, 12)) / 2, 790, 12, footer))

    def need(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def put(self, item: Text | Rule) -> None:
        self.pages[-1].append(item)


def lay_out(
    blocks: list[Block], *, header: str = "某某大学文件汇编", pitch: float = 2.0, indent: bool = True
) -> Layout:
    """Place the blocks on A4 pages; ``pitch`` is the line spacing in multiples of the font size.

    With ``indent=False`` paragraphs start at the margin (no first-line indent).
    """
    pg = _Pager(header)
    width = RIGHT - LEFT
    for b in blocks:
        if b.kind == "masthead":
            size = 30.0
            pg.put(Text((PAGE_W - text_width(b.text, size)) / 2, pg.y, size, b.text, red=True))
            pg.y += size * 2
        elif b.kind in ("docno", "centre", "subtitle"):
            size = BODY
            pg.need(size * pitch)
            pg.put(Text((PAGE_W - text_width(b.text, size)) / 2, pg.y, size, b.text))
            pg.y += size * pitch
            if b.kind == "docno":
                pg.put(Rule(LEFT, pg.y - 4, RIGHT, pg.y - 4))
                pg.y += size
        elif b.kind == "title":
            size = 20.0
            for line in wrap(b.text, 18 * size, size):
                pg.need(size * 1.6)
                pg.put(Text((PAGE_W - text_width(line, size)) / 2, pg.y, size, line))
                pg.y += size * 1.6
            pg.y += size * 0.8
        elif b.kind == "sign":
            pg.need(BODY * pitch)
            pg.put(Text(RIGHT - 2 * BODY - text_width(b.text, BODY), pg.y, BODY, b.text))
            pg.y += BODY * pitch
        elif b.kind == "table":
            _table(pg, b)
        else:  # para: first-line indent of two characters, hard-wrapped to the margin
            first = 2 * BODY if indent else 0.0
            for k, line in enumerate(wrap(b.text, width, BODY, first_indent=first)):
                pg.need(BODY * pitch)
                pg.put(Text(LEFT + (first if k == 0 else 0), pg.y, BODY, line))
                pg.y += BODY * pitch
    return Layout(pg.pages)


def _table(pg: _Pager, b: Block) -> None:
    """A ruled table; rows that a merged cell joins stay on one page; the header row repeats on each page."""
    size = 10.5
    ncols = len(b.rows[0])
    weights = [1.0, 4.0, 2.0, 2.0, 2.0][:ncols] if ncols == 5 else [1.0] * ncols
    xs = [LEFT]
    for w in weights:
        xs.append(xs[-1] + (RIGHT - LEFT) * w / sum(weights))
    covered = {(r + k, c) for (r, c), span in b.merge_down.items() for k in range(1, span)}
    cell_lines = [[wrap(t, xs[c + 1] - xs[c] - 8, size) for c, t in enumerate(row)] for row in b.rows]
    heights = [max(len(ls) for ls in row) * size * 1.4 + 8 for row in cell_lines]

    def draw_row(r: int, y0: float) -> None:
        for c in range(ncols):
            if (r, c) in covered:
                continue
            y1 = y0 + sum(heights[r : r + b.merge_down.get((r, c), 1)])
            for k, line in enumerate(cell_lines[r][c]):
                pg.put(Text(xs[c] + 4, y0 + 4 + k * size * 1.4, size, line))
            pg.put(Rule(xs[c], y0, xs[c + 1], y0))
            pg.put(Rule(xs[c], y1, xs[c + 1], y1))
            pg.put(Rule(xs[c], y0, xs[c], y1))
            pg.put(Rule(xs[c + 1], y0, xs[c + 1], y1))

    r = 0
    while r < len(b.rows):
        span = max([s for (rr, _c), s in b.merge_down.items() if rr == r] or [1])
        block = sum(heights[r : r + span])
        if pg.y + block > BOTTOM:
            pg.new_page()
            if r > 0:
                draw_row(0, pg.y)
                pg.y += heights[0]
        for k in range(r, r + span):
            draw_row(k, pg.y)
            pg.y += heights[k]
        r += span
    pg.y += BODY


# --------------------------------------------------------------------------- writers


def to_pdf(layout: Layout) -> bytes:
    """The layout as a text-layer PDF (reportlab, STSong-Light, not embedded)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=True)
    for page in layout.pages:
        for item in page:
            if isinstance(item, Rule):
                c.setLineWidth(0.6)
                c.line(item.x0, PAGE_H - item.y0, item.x1, PAGE_H - item.y1)
                continue
            c.setFillColorRGB(0.85, 0, 0) if item.red else c.setFillColorRGB(0, 0, 0)
            c.setFont(FONT, item.size)
            c.drawString(item.x, PAGE_H - item.top - item.size * 0.88, item.text)
        c.showPage()
    c.save()
    return buf.getvalue()


def to_images(pdf: bytes, *, dpi: int = 150) -> list:
    """Rasterise each page of ``pdf`` (a scan of the printed document), as PIL images."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def image_bytes(image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt)
    return buf.getvalue()


def scanned_pdf(images: list, *, dpi: int = 150) -> bytes:
    """A PDF of page images only (no text layer), as a scanner makes."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=True)
    for img in images:
        c.drawImage(ImageReader(img), 0, 0, width=PAGE_W, height=PAGE_H)
        c.showPage()
    c.save()
    return buf.getvalue()


_MM = 25.4 / 72


def to_ofd(layout: Layout) -> bytes:
    """The layout as an OFD package: OFD.xml, Document.xml and one Content.xml a page (mm)."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>t</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        pages = "".join(
            f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(layout.pages))
        )
        zf.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
            f"<ofd:MaxUnitID>99999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{pages}</ofd:Pages></ofd:Document>",
        )
        zf.writestr(
            "Doc_0/PublicRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
        )
        for i, page in enumerate(layout.pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", _ofd_page(page, ns))
    return buf.getvalue()


def _ofd_page(page: list[Text | Rule], ns: str) -> str:
    objs = []
    oid = 1000
    for item in page:
        oid += 1
        if isinstance(item, Rule):
            x0, y0 = item.x0 * _MM, item.y0 * _MM
            w, h = (item.x1 - item.x0) * _MM, (item.y1 - item.y0) * _MM
            objs.append(
                f'<ofd:PathObject ID="{oid}" Boundary="{x0:.3f} {y0:.3f} {max(w, 0.2):.3f} {max(h, 0.2):.3f}" '
                f'LineWidth="0.2"><ofd:AbbreviatedData>M 0 0 L {w:.3f} {h:.3f}</ofd:AbbreviatedData></ofd:PathObject>'
            )
            continue
        size = item.size * _MM
        deltas = " ".join(f"{text_width(ch, item.size) * _MM:.3f}" for ch in item.text[:-1])
        width = text_width(item.text, item.size) * _MM
        text = item.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        objs.append(
            f'<ofd:TextObject ID="{oid}" Boundary="{item.x * _MM:.3f} {item.top * _MM:.3f} {width + 1:.3f} '
            f'{size * 1.2:.3f}" Font="1" Size="{size:.3f}"><ofd:TextCode X="0" Y="{size * 0.88:.3f}" '
            f'DeltaX="{deltas}">{text}</ofd:TextCode></ofd:TextObject>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Area><ofd:PhysicalBox>0 0 210 297'
        f'</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="999">{"".join(objs)}</ofd:Layer>'
        "</ofd:Content></ofd:Page>"
    )
