"""The same document as UTF-8, UTF-8 with BOM, GBK, GB18030, .docx (with Word list numbering) and PDF."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from compliance.parsing import parse_file, parse_text

from .pdfgen import make_text_pdf

ARABIC = re.compile(r"^(\d+)\.(.*)$")


def _sample(data_dir) -> str:
    return (data_dir / "sample_notice.txt").read_text(encoding="utf-8")


def _items(result) -> list[tuple]:
    assert len(result.documents) == 1
    return [
        (
            it.label,
            tuple(it.path),
            it.level,
            it.heading,
            it.text,
            it.is_requirement,
            tuple(it.lead_units),
            tuple(it.co_units),
        )
        for it in result.documents[0].items
    ]


EXPECTED_PATHS = [
    ("一",),
    ("一", "1"),
    ("一", "2"),
    ("二",),
    ("二", "3"),
    ("三",),
    ("三", "（一）"),
    ("三", "（二）"),
]


def test_sample_document_structure(data_dir):
    """The reference text gives sections, items, a unit annotation and a deadline."""
    result = parse_text(_sample(data_dir))
    doc = result.documents[0]
    assert doc.title == "教育部办公厅关于加强高校实验室安全工作的通知"
    assert doc.doc_number == "教办函〔2021〕7号"
    assert doc.issuer == "教育部办公厅"
    assert doc.date.isoformat() == "2021-03-05"
    assert [tuple(it.path) for it in doc.items] == EXPECTED_PATHS
    first = doc.items[1]
    assert first.heading == "压实安全责任"
    assert first.is_requirement
    assert "牵头单位" not in first.text
    assert first.lead_units == ["实验室与设备管理处"]
    assert first.co_units == ["保卫处", "各学院"]
    assert any(d.date and d.date.isoformat() == "2021-06-30" for d in doc.items[2].deadlines)
    assert [it.is_requirement for it in doc.items] == [
        False,
        True,
        True,
        False,
        True,
        False,
        True,
        True,
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings_give_the_same_items(data_dir, encoding):
    """Every supported text encoding decodes to the same items."""
    text = _sample(data_dir)
    reference = _items(parse_text(text))
    assert _items(parse_file(text.encode(encoding), f"notice_{encoding}.txt")) == reference


def test_crlf_and_pasted_text_give_the_same_items(data_dir):
    """Windows line ends and pasted text behave like the file."""
    text = _sample(data_dir)
    assert _items(parse_file(text.replace("\n", "\r\n").encode(), "n.txt")) == _items(parse_text(text))


def _docx_bytes(text: str, *, word_numbering: bool) -> bytes:
    doc = Document()
    for line in text.splitlines():
        m = ARABIC.match(line)
        if word_numbering and m:
            # Word's automatic list numbering ("List Number" is "%1." in the default template).
            doc.add_paragraph(m.group(2), style="List Number")
        else:
            doc.add_paragraph(line)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "序号"
    table.cell(0, 1).text = "任务"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "表格中的内容不是条目"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("word_numbering", [False, True])
def test_docx_gives_the_same_items(data_dir, word_numbering):
    """A .docx (typed labels, or Word automatic numbering rebuilt from numbering.xml) matches the text."""
    text = _sample(data_dir)
    reference = _items(parse_text(text))
    got = _items(parse_file(_docx_bytes(text, word_numbering=word_numbering), "notice.docx"))
    assert got == reference


_NO_LINE_START = "。，、；：？！）》”"


def _wrap(line: str, width: int = 36) -> list[str]:
    """Hard-wrap at ``width`` half-width units; like a typesetter, never start a line with 。，）."""
    out, cur, w = [], "", 0
    for ch in line:
        cw = 1 if ch.isascii() else 2
        if w + cw > width and ch not in _NO_LINE_START:
            out.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    return [*out, cur] if cur else out


def test_pdf_gives_the_same_items(data_dir):
    """A text-layer PDF with one line per paragraph matches the text."""
    text = _sample(data_dir)
    pdf = make_text_pdf(text.splitlines())
    assert _items(parse_file(pdf, "notice.pdf")) == _items(parse_text(text))


def test_hard_wrapped_pdf_gives_the_same_items(data_dir):
    """A PDF whose lines are hard-wrapped at a fixed width rebuilds the same paragraphs and items."""
    text = _sample(data_dir)
    lines = [part for line in text.splitlines() for part in _wrap(line)]
    pdf = make_text_pdf(lines, lines_per_page=12)
    assert _items(parse_file(pdf, "notice.pdf")) == _items(parse_text(text))


def test_wrong_extension_is_handled_by_content(data_dir):
    """A PDF named .txt and a .docx named .pdf are read by content, with a warning."""
    text = _sample(data_dir)
    reference = _items(parse_text(text))
    r1 = parse_file(make_text_pdf(text.splitlines()), "notice.txt")
    assert _items(r1) == reference and r1.warnings
    r2 = parse_file(_docx_bytes(text, word_numbering=False), "notice.pdf")
    assert _items(r2) == reference and r2.warnings
