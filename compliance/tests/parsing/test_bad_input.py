"""Bad input is refused with a clear Chinese ParseError, never a hang or a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from compliance.parsing import ParseError, parse_file, parse_text

from .pdfgen import make_text_pdf


def _raises(data: bytes, name: str, match: str, **kw) -> None:
    with pytest.raises(ParseError, match=match):
        parse_file(data, name, **kw)


def test_empty_file():
    """An empty or whitespace-only file is refused."""
    _raises(b"", "empty.txt", "为空")
    _raises(b"  \n\r\n ", "blank.txt", "为空")


def test_empty_pasted_text():
    """Pasting nothing is refused."""
    with pytest.raises(ParseError, match="为空"):
        parse_text("   ")


def test_text_without_chinese():
    """Text with no Chinese at all is not a policy document."""
    with pytest.raises(ParseError, match="中文"):
        parse_text("hello world\n1. item\n")


def test_binary_file():
    """Arbitrary binary data is refused."""
    _raises(bytes(range(256)) * 40, "data.txt", "无法解析")


def test_pdf_without_text_layer():
    """A PDF with no extractable text (a scan) is refused with an OCR hint."""
    _raises(make_text_pdf([]), "scan.pdf", "文字层")


def test_broken_pdf():
    """A truncated PDF is refused."""
    _raises(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "broken.pdf", "PDF")


def test_docx_zip_bomb():
    """A .docx whose members expand to more than the cap is refused before reading them."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    _raises(buf.getvalue(), "bomb.docx", "压缩|过大")


def test_zip_that_is_not_a_docx():
    """A zip without word/document.xml (an .xlsx, a plain zip) is refused."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    _raises(buf.getvalue(), "book.docx", "document.xml")


def test_corrupt_docx():
    """Bytes that start like a zip but are not one are refused."""
    _raises(b"PK\x03\x04" + b"\x00garbage" * 100, "bad.docx", "损坏|无法")


def test_old_word_format():
    """A legacy .doc (OLE) file gets a 'save as .docx' hint."""
    _raises(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "old.doc", "docx")


def test_file_over_the_size_limit():
    """A file over the limit is refused before any parsing; the caller can set the limit."""
    big = ("一、总体要求\n" * 10).encode()
    _raises(big, "big.txt", "过大", max_bytes=50)
    data = b"\xe4\xb8\x80" * (7 * 1024 * 1024)  # 21 MB of text
    _raises(data, "huge.txt", "过大")


def test_undecodable_text():
    """Text that is neither UTF-8 nor GB18030 is refused with an encoding hint."""
    data = ("政策文件".encode() + b"\x81\x20\xff\xfe\x80") * 200
    with pytest.raises(ParseError):
        parse_file(data, "mixed.txt")
