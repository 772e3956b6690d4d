"""PDF through PDFium (pypdfium2): the characters with their boxes and font sizes, the drawn rules.

A page with a text layer gives characters and rules, laid out by :mod:`.layout` and
:mod:`.tables`. A page without one (a scan) is rendered and read by OCR when the OCR extra is
installed; a PDF that has neither refuses with a message that says how to install it.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

from ..types import ParseError
from .glyphs import Char, chars_to_lines
from .layout import LaidOut, Page, lay_out
from .limits import MAX_OCR_PAGES, MAX_PDF_PAGES
from .tables import Segment, find_tables

Progress = Callable[[int, int], None]

MIN_PAGE_CHARS = 10  # fewer characters than this on a page that shows an image: a scanned page
RENDER_DPI = 200


def open_pdf(data: bytes):  # -> pypdfium2.PdfDocument
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == raw.FPDF_ERR_PASSWORD:
            raise ParseError("PDF 文件已加密，请先解除密码保护再导入。") from exc
        raise ParseError("PDF 文件已损坏或格式无效，无法解析。") from exc


def pdf_to_text(
    data: bytes,
    *,
    max_pages: int = MAX_PDF_PAGES,
    progress: Progress | None = None,
    warnings: list[str] | None = None,
) -> LaidOut:
    """The laid-out text of a PDF: text layers directly, scanned pages through OCR."""
    pdf = open_pdf(data)
    try:
        n = len(pdf)
        if n == 0:
            raise ParseError("PDF 文件没有页面。")
        if n > max_pages:
            raise ParseError(f"PDF 共 {n} 页，超过 {max_pages} 页的上限，请拆分后再导入。")
        pages: list[Page] = []
        scanned: list[int] = []
        for i in range(n):
            page, is_scan = _text_page(pdf[i], i)
            pages.append(page)
            if is_scan:
                scanned.append(i)
        ocr_pages = _ocr_pages(pdf, pages, scanned, progress, warnings) if scanned else 0
    finally:
        pdf.close()
    laid = lay_out(pages, low_score=_low_score() if ocr_pages else 0.0)
    laid.ocr_pages = ocr_pages
    if len(laid.text.replace(" ", "").replace("\n", "")) < 10:
        raise ParseError("PDF 没有可提取的文字层，也没有可识别的扫描页面，无法解析。")
    return laid


def has_scanned_pages(data: bytes, *, look_at: int = 5) -> bool:
    """Does one of the first pages show an image and (almost) no text? Damaged files say no."""
    try:
        pdf = open_pdf(data)
    except ParseError:
        return False
    try:
        return any(_is_scanned(pdf[i]) for i in range(min(len(pdf), look_at)))
    finally:
        pdf.close()


def _is_scanned(page) -> bool:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        visible = len("".join(textpage.get_text_range().split()))
    finally:
        textpage.close()
    if visible >= MIN_PAGE_CHARS:
        return False
    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _low_score() -> float:
    from .ocr import LOW_CONFIDENCE

    return LOW_CONFIDENCE


def _text_page(page, index: int) -> tuple[Page, bool]:
    """The characters and rules of one page; True when it looks scanned (an image, no text)."""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height)
    finally:
        textpage.close()
    visible = sum(1 for c in chars if not c.text.isspace())
    if visible < MIN_PAGE_CHARS and any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
        return Page(width=width, height=height), True
    if not chars:
        return Page(width=width, height=height), False
    sizes = sorted(c.size for c in chars)
    size = sizes[len(sizes) // 2]
    tables, rest = find_tables(_segments(page, height), chars, index, size)
    return Page(width=width, height=height, lines=chars_to_lines(rest, index), tables=tables), False


def _chars(textpage, height: float) -> list[Char]:
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    if count <= 0:
        return []
    codes = _codes(handle, count)
    rect, ox, oy = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    p_rect, p_ox, p_oy = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
    loose_box, font_size, origin = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize, raw.FPDFText_GetCharOrigin
    skip = {0, 10, 13, 0xFFFE, 0xFFFF}
    out: list[Char] = []
    for i in range(count):
        code = codes[i] if codes is not None else raw.FPDFText_GetUnicode(handle, i)
        if code in skip or (code == 32 and raw.FPDFText_IsGenerated(handle, i)):
            continue  # line ends, and PDFium's guesses at spaces: gaps are measured instead
        if not loose_box(handle, i, p_rect) or (rect.right <= rect.left and code != 32):
            continue
        size = font_size(handle, i) or (rect.top - rect.bottom)
        # The vertical box comes from the baseline, the same for every font on a line (a
        # fallback font's ascent and descent would put its characters on another line).
        base = oy.value if origin(handle, i, p_ox, p_oy) else rect.bottom
        try:
            text = chr(code)
        except ValueError:
            continue
        out.append(Char(text, rect.left, rect.right, height - base - 0.88 * size, height - base + 0.12 * size, size))
    return out


def _codes(handle, count: int) -> list[int] | None:
    """Every character code of the page in one call; None when UTF-16 and the index disagree."""
    import pypdfium2.raw as raw

    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    if written - 1 != count:
        return None
    codes = list(buffer[:count])
    return None if any(0xD800 <= c <= 0xDFFF for c in codes) else codes


def _segments(page, height: float) -> list[Segment]:
    """Straight lines and rectangle edges drawn on the page (top-down coordinates)."""
    import pypdfium2.raw as raw

    out: list[Segment] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=1):
        m = obj.get_matrix()
        count = raw.FPDFPath_CountSegments(obj.raw)
        if count <= 0 or count > 4000:
            continue
        start = last = None
        for i in range(count):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
            raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            px = m.a * x.value + m.c * y.value + m.e
            py = height - (m.b * x.value + m.d * y.value + m.f)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = last = (px, py)
                continue
            if kind == raw.FPDF_SEGMENT_LINETO and last is not None:
                out.append(Segment(last[0], last[1], px, py))
            last = (px, py)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                out.append(Segment(px, py, start[0], start[1]))
                last = start
    return out


def _ocr_pages(
    pdf, pages: list[Page], scanned: list[int], progress: Progress | None, warnings: list[str] | None
) -> int:
    """Read the scanned pages by OCR (in place); without the OCR extra, say how to get it."""
    from . import ocr

    if len(scanned) > MAX_OCR_PAGES:
        raise ParseError(
            f"PDF 中有 {len(scanned)} 页扫描页面，超过文字识别（OCR）{MAX_OCR_PAGES} 页的上限，请拆分后再导入。"
        )
    if not ocr.available():
        if len(scanned) == len(pages):
            raise ParseError(ocr.missing_message("PDF 没有文字层（扫描件或图片）"))
        if warnings is not None:
            pages_text = "、".join(str(i + 1) for i in scanned[:10])
            warnings.append(f"第 {pages_text} 页是扫描图片，未安装文字识别（OCR）组件，这些页面未解析。")
        return 0
    scale = RENDER_DPI / 72
    for k, i in enumerate(scanned, start=1):
        image = pdf[i].render(scale=scale).to_pil()
        pages[i] = ocr.image_page(image, page=i, unit=1 / scale)
        if progress is not None:
            progress(k, len(scanned))
    return len(scanned)
