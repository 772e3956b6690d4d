"""Bytes to text, for every kind of file the office receives.

Plain text (any usual Chinese encoding) and saved web pages, Word ``.docx``, ``.doc`` /
``.wps`` / ``.rtf`` (through LibreOffice), PDF with a text layer, scanned PDF and images
(``.jpg``, ``.png``, ``.tif`` … through OCR), and OFD (GB/T 33190). Whatever the format, the
text reads like a clean ``.txt`` of the document: one paragraph a line, no page furniture,
tables as ``| cell | cell |`` rows.

The format is decided by content (magic bytes) first and by the file name second, so a PDF
named ``.txt`` is still read as a PDF (with a warning). Every refusal is a
:class:`~compliance.parsing.types.ParseError` with a Chinese message that can be shown to the
user as is. Limits (size, zip expansion, pages) keep hostile input from hanging a worker.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from ..types import ParseError
from .docx import docx_to_text
from .limits import MAX_BYTES, MAX_PDF_PAGES
from .text import decode_text, html_to_text, looks_like_html

Progress = Callable[[int, int], None]

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "tif", "tiff", "bmp", "gif", "webp"}
OFFICE_EXTENSIONS = {"doc", "wps", "rtf"}
# What each sniffed kind is called in messages.
_KIND_NAMES = {
    "pdf": "PDF",
    "docx": "Word（.docx）文档",
    "ofd": "OFD 文档",
    "ole": "旧版 Word/WPS 文档",
    "rtf": "RTF 文档",
    "image": "图片",
}
_EXPECTED = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "ofd": {"ofd"},
    "ole": {"doc", "wps", "dot", "wpt"},
    "rtf": {"rtf"},
    "image": IMAGE_EXTENSIONS,
}


@dataclass
class Decoded:
    text: str
    fmt: str  # txt | html | docx | pdf | ofd | doc | wps | rtf | image
    warnings: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # OCR lines with low confidence
    ocr_pages: int = 0  # pages read by OCR


def sniff(data: bytes) -> str:
    """Format by magic bytes: pdf, zip, ole, rtf, image, text or binary."""
    head = data[:16]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(
        (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM", b"GIF87a", b"GIF89a")
    ) or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "text"
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary"
    ctrl = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and ctrl / len(sample) > 0.05:
        return "binary"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError("文件看起来是压缩包（.docx 或 .ofd），但已损坏，无法打开。") from exc
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return "ofd"
    raise ParseError(
        "压缩包既不是 Word（.docx）文档（缺少 word/document.xml）也不是 OFD 文档（缺少 OFD.xml），无法解析。"
    )


def decode_bytes(
    data: bytes,
    filename: str = "",
    *,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PDF_PAGES,
    progress: Progress | None = None,
) -> Decoded:
    """Decode an uploaded file into text; raise ParseError with a clear message.

    ``progress(done, total)`` is called after each page read by OCR (scans and images only).
    """
    if not data or not data.strip():
        raise ParseError("文件为空，没有可解析的内容。")
    if max_bytes and len(data) > max_bytes:
        raise ParseError(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），超过 {max_bytes / 1024 / 1024:.0f} MB 的上限，请拆分后再导入。"
        )
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = sniff(data)
    if kind == "zip":
        kind = _zip_kind(data)
    warnings: list[str] = []
    if kind in _EXPECTED and ext and ext not in _EXPECTED[kind]:
        warnings.append(f"文件扩展名为 .{ext}，但内容是{_KIND_NAMES[kind]}，已按{_KIND_NAMES[kind]}解析。")
    if kind == "pdf":
        from .pdf import pdf_to_text

        laid = pdf_to_text(data, max_pages=max_pages, progress=progress, warnings=warnings)
        return Decoded(laid.text, "pdf", warnings, laid.uncertain, laid.ocr_pages)
    if kind == "image":
        from .ocr import image_to_text

        laid = image_to_text(data, progress=progress)
        return Decoded(laid.text, "image", warnings, laid.uncertain, laid.ocr_pages)
    if kind == "docx":
        return Decoded(docx_to_text(data), "docx", warnings)
    if kind == "ofd":
        from .ofd import ofd_to_text

        return Decoded(ofd_to_text(data, max_pages=max_pages), "ofd", warnings)
    if kind in ("ole", "rtf"):
        from .office import convert_to_docx

        fmt = ext if ext in OFFICE_EXTENSIONS else ("rtf" if kind == "rtf" else "doc")
        return Decoded(docx_to_text(convert_to_docx(data, fmt)), fmt, warnings)
    if kind == "binary":
        raise ParseError(
            "文件不是可识别的格式（支持文本、Word .docx/.doc、WPS、RTF、PDF、OFD 和 JPG/PNG/TIFF 图片），无法解析。"
        )
    if ext in _EXPECTED["pdf"] | _EXPECTED["docx"] | _EXPECTED["ofd"] | IMAGE_EXTENSIONS | OFFICE_EXTENSIONS:
        warnings.append(f"文件扩展名为 .{ext}，但内容是纯文本，已按文本解析。")
    text = decode_text(data)
    if ext in {"html", "htm"} or looks_like_html(text):
        return Decoded(html_to_text(text), "html", warnings)
    return Decoded(text, "txt", warnings)


def needs_ocr(data: bytes) -> bool:
    """True for an image or a PDF with scanned pages: reading it takes OCR, seconds a page."""
    kind = sniff(data)
    if kind == "image":
        return True
    if kind == "pdf":
        from .pdf import has_scanned_pages

        return has_scanned_pages(data)
    return False


__all__ = [
    "MAX_BYTES",
    "MAX_PDF_PAGES",
    "Decoded",
    "decode_bytes",
    "decode_text",
    "docx_to_text",
    "html_to_text",
    "needs_ocr",
    "sniff",
]
