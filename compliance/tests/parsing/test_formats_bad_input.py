"""Bad files of the newer formats are refused with a clear Chinese message (nothing is parsed)."""

from __future__ import annotations

import io
import zipfile

import pytest

from compliance.parsing import ParseError, parse_file
from compliance.parsing.formats import decode_bytes, sniff

from . import typeset
from .format_samples import SHAPES
from .pdfgen import make_text_pdf


def _raises(data: bytes, name: str, match: str, **kw) -> None:
    with pytest.raises(ParseError, match=match):
        parse_file(data, name, **kw)


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "secret")
    c.save()
    return buf.getvalue()


def test_encrypted_pdf_is_refused():
    _raises(_encrypted_pdf(), "secret.pdf", "加密")


def test_pdf_with_too_many_pages_is_refused():
    pdf = make_text_pdf([f"第{i}行内容" for i in range(12)], lines_per_page=1)
    with pytest.raises(ParseError, match=r"12 页.*上限"):
        decode_bytes(pdf, "long.pdf", max_pages=10)


def test_truncated_pdf_is_refused():
    pdf = make_text_pdf(["一、总体要求"] * 5)
    _raises(pdf[: len(pdf) // 3], "cut.pdf", "PDF")


def _ofd(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_corrupt_ofd_xml_is_refused():
    good = typeset.to_ofd(typeset.lay_out(SHAPES["notice"]()))
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["Doc_0/Pages/Page_0/Content.xml"] = b"<ofd:Page><broken"
    _raises(_ofd(members), "bad.ofd", "OFD.*损坏")


def test_ofd_missing_its_document_is_refused():
    _raises(_ofd({"OFD.xml": "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"}), "x.ofd", "缺少")


def test_ofd_without_text_is_refused():
    ofd = _ofd(
        {
            "OFD.xml": "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>",
            "Doc_0/Document.xml": '<Document><Pages><Page ID="1" BaseLoc="Pages/P/Content.xml"/></Pages></Document>',
            "Doc_0/Pages/P/Content.xml": "<Page><Content><Layer/></Content></Page>",
        }
    )
    _raises(ofd, "scan.ofd", "没有可提取的文字")


def test_ofd_zip_bomb_is_refused():
    ofd = _ofd({"OFD.xml": b"<" + b"a" * (60 * 1024 * 1024) + b"/>"})
    _raises(ofd, "bomb.ofd", "压缩|过大")


def test_zip_that_is_neither_docx_nor_ofd():
    _raises(_ofd({"xl/workbook.xml": "<workbook/>"}), "book.zip", "OFD")


def test_corrupt_image_is_refused():
    pytest.importorskip("PIL")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50
    _raises(png, "scan.png", "图片|OCR")


def test_huge_image_is_refused(monkeypatch):
    """An image whose pixel count is absurd is refused before decoding (a decompression bomb)."""
    pytest.importorskip("PIL")
    from PIL import Image

    from compliance.parsing.formats import limits, ocr

    monkeypatch.setattr(ocr, "_model_dir", lambda: __import__("pathlib").Path("."))
    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 1000)
    monkeypatch.setattr(ocr, "MAX_IMAGE_PIXELS", 1000)
    buf = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buf, format="PNG")
    _raises(buf.getvalue(), "big.png", "尺寸过大")


def test_unsupported_binary_lists_the_accepted_formats():
    _raises(b"\x7fELF" + bytes(range(256)) * 20, "tool.exe", "支持.*OFD")


def test_rtf_and_images_are_sniffed_by_content():
    assert sniff(b"{\\rtf1\\ansi hello}") == "rtf"
    assert sniff(b"\xff\xd8\xff\xe0" + b"\0" * 20) == "image"
    assert sniff(b"II*\x00" + b"\0" * 20) == "image"
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\0" * 20) == "image"


def test_text_with_an_image_extension_is_read_as_text_with_a_warning():
    result = parse_file("一、总体要求\n各单位要按时完成。\n".encode(), "notice.png")
    assert any(".png" in w for w in result.warnings)
