"""Format invariance: a typeset PDF, an OFD, a .docx, a .doc and scans of the same document
give the same title and items (label, path, text) as the ``.txt`` of that document.

The documents are laid out in the tests (:mod:`.typeset`): masthead, two-line centred title,
running header, ``— N —`` page numbers, first-line indents, double line spacing, a ruled
任务分解表 with a cell merged over two rows. Each format is compared with the parse of the
``.txt`` of the same content, so the tests hold whatever the text-level parser does.
"""

from __future__ import annotations

import difflib
import io
import os
import shutil

import pytest
from docx import Document

from compliance.parsing import parse_file, parse_text
from compliance.parsing.formats import decode_bytes, ocr
from compliance.parsing.formats.office import convert_to_docx

from . import typeset
from .format_samples import SHAPES, TASK_ROWS

REQUIRE_SERVICES = os.environ.get("DUBAN_REQUIRE_SERVICES") == "1"


def _require(ok: bool, reason: str) -> None:
    if not ok:
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (DUBAN_REQUIRE_SERVICES=1)")
        pytest.skip(reason)


def _summary(result) -> list[tuple]:
    return [(d.title, [(it.label, tuple(it.path), it.text) for it in d.items]) for d in result.documents]


def _reference(shape: str) -> list[tuple]:
    ref = _summary(parse_text(typeset.plain_text(SHAPES[shape]())))
    assert ref and ref[0][1], "the sample must give items"
    return ref


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(("pitch", "indent"), [(2.0, True), (1.5, True), (2.0, False), (1.3, False)])
def test_typeset_pdf_gives_the_same_items_as_the_text(shape, pitch, indent):
    """Header, page numbers, masthead, centred title, indents and line spacing do not change the items."""
    pdf = typeset.to_pdf(typeset.lay_out(SHAPES[shape](), pitch=pitch, indent=indent))
    assert _summary(parse_file(pdf, f"{shape}.pdf")) == _reference(shape)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_typeset_pdf_text_reads_like_the_txt(shape):
    """The decoded PDF is the .txt itself: one paragraph a line, no furniture, table rows as | … |."""
    blocks = SHAPES[shape]()
    pdf = typeset.to_pdf(typeset.lay_out(blocks))
    got = [ln for ln in decode_bytes(pdf, "x.pdf").text.splitlines() if ln]
    assert got == [ln for ln in typeset.plain_text(blocks).splitlines() if ln]


def test_task_table_rows_carry_a_cell_merged_over_two_rows():
    """The 牵头单位 cell merged over rows 1–2 is repeated on both rows."""
    blocks = SHAPES["task_table"]()
    text = decode_bytes(typeset.to_pdf(typeset.lay_out(blocks)), "plan.pdf").text
    rows = [ln for ln in text.splitlines() if ln.startswith("| ")]
    assert rows[0] == "| 序号 | 任务 | 牵头单位 | 配合单位 | 完成时限 |"
    assert rows[1].split(" | ")[2] == rows[2].split(" | ")[2] == "教务处"
    assert len(rows) == len(TASK_ROWS)


def test_table_over_two_pages_keeps_one_header_row():
    """A long table breaks across pages; the header row repeated on the new page is written once."""
    blocks = SHAPES["task_table"]()
    table = next(b for b in blocks if b.kind == "table")
    extra = [
        [str(n), f"第{n}项重点任务的具体内容和工作要求", "教务处", "各学院", "2025年6月30日前"] for n in range(5, 45)
    ]
    table.rows = table.rows + extra
    layout = typeset.lay_out(blocks)
    assert len(layout.pages) >= 2
    text = decode_bytes(typeset.to_pdf(layout), "plan.pdf").text
    rows = [ln for ln in text.splitlines() if ln.startswith("| ")]
    assert rows == [ln for ln in typeset.plain_text(blocks).splitlines() if ln.startswith("| ")]
    assert _summary(parse_file(typeset.to_pdf(layout), "plan.pdf")) == _summary(parse_text(typeset.plain_text(blocks)))


def test_a_hundred_page_pdf_keeps_every_paragraph():
    """Page breaks inside paragraphs are joined; no header or page number leaks into the text."""
    blocks = SHAPES["regulation"]() * 30
    layout = typeset.lay_out(blocks)
    assert len(layout.pages) >= 20
    text = decode_bytes(typeset.to_pdf(layout), "long.pdf").text
    lines = [ln for ln in text.splitlines() if ln]
    assert lines == [ln for ln in typeset.plain_text(blocks).splitlines() if ln]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_ofd_gives_the_same_items_as_the_text(shape):
    """An OFD (zip + XML, millimetres) is read in reading order like the PDF."""
    ofd = typeset.to_ofd(typeset.lay_out(SHAPES[shape]()))
    result = parse_file(ofd, f"{shape}.ofd")
    assert _summary(result) == _reference(shape)
    assert not result.warnings


def test_ofd_named_zip_is_read_by_content_with_a_warning():
    ofd = typeset.to_ofd(typeset.lay_out(SHAPES["notice"]()))
    result = parse_file(ofd, "notice.zip")
    assert _summary(result) == _reference("notice")
    assert any(".zip" in w for w in result.warnings)


def _docx(blocks) -> bytes:
    doc = Document()
    for b in blocks:
        if b.kind != "table":
            doc.add_paragraph(b.text)
            continue
        table = doc.add_table(rows=len(b.rows), cols=len(b.rows[0]), style="Table Grid")
        for r, row in enumerate(b.rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        for (r, c), span in b.merge_down.items():
            merged = table.cell(r, c).merge(table.cell(r + span - 1, c))
            merged.text = b.rows[r][c]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_docx_gives_the_same_items_as_the_text(shape):
    """A .docx of the same content, its table with a vertically merged cell (vMerge)."""
    assert _summary(parse_file(_docx(SHAPES[shape]()), f"{shape}.docx")) == _reference(shape)


def test_docx_merged_cells_are_repeated_down_and_kept_aligned_across():
    """vMerge repeats the text on each row; gridSpan keeps columns aligned; a full-width row is one cell."""
    doc = Document()
    table = doc.add_table(rows=4, cols=3)
    for r, row in enumerate(
        [["序号", "任务", "牵头单位"], ["一、思想建设", "", ""], ["1", "学习", "党委办"], ["2", "培训", ""]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(1, 2)).text = "一、思想建设"
    table.cell(2, 2).merge(table.cell(3, 2)).text = "党委办"
    buf = io.BytesIO()
    doc.save(buf)
    text = decode_bytes(buf.getvalue(), "t.docx").text
    assert text.splitlines() == [
        "| 序号 | 任务 | 牵头单位 |",
        "| 一、思想建设 |",
        "| 1 | 学习 | 党委办 |",
        "| 2 | 培训 | 党委办 |",
    ]


# --------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def soffice():
    _require(shutil.which("soffice") is not None, "LibreOffice (soffice) is not installed")


def _libreoffice(data: bytes, src: str, target: str) -> bytes:
    """Convert with LibreOffice (the way a user's old Word would save the file)."""
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"in.{src}"
        path.write_bytes(data)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                tmp,
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(tmp) / f"in.{target.split(':')[0]}").read_bytes()


@pytest.mark.parametrize("shape", ["notice", "task_table"])
def test_doc_made_by_libreoffice_gives_the_same_items(soffice, shape):
    """A .doc (Word 97) written by LibreOffice from the .docx is converted back and parsed alike."""
    doc = _libreoffice(_docx(SHAPES[shape]()), "docx", "doc")
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    result = parse_file(doc, f"{shape}.doc")
    assert _summary(result) == _reference(shape)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_pdf_exported_by_libreoffice_gives_the_same_items(soffice, shape):
    """A PDF that an office suite exports from Word (fallback fonts, spaces positioned instead of
    drawn, a bordered table, few wrapped lines) reads like the .txt."""
    pdf = _libreoffice(_docx(SHAPES[shape]()), "docx", "pdf")
    assert _summary(parse_file(pdf, f"{shape}.pdf")) == _reference(shape)
    got = [ln for ln in decode_bytes(pdf, "x.pdf").text.splitlines() if ln]
    assert got == [ln for ln in typeset.plain_text(SHAPES[shape]()).splitlines() if ln]


def test_rtf_and_wps_names_are_converted(soffice):
    """RTF is converted by content; a .doc saved under a .wps name is converted too."""
    docx = _docx(SHAPES["notice"]())
    rtf = _libreoffice(docx, "docx", "rtf")
    assert _summary(parse_file(rtf, "notice.rtf")) == _reference("notice")
    doc = _libreoffice(docx, "docx", "doc")
    assert _summary(parse_file(doc, "notice.wps")) == _reference("notice")


def test_two_conversions_at_once_both_succeed(soffice):
    """Each conversion has its own LibreOffice profile, so parallel imports do not block each other."""
    from concurrent.futures import ThreadPoolExecutor

    doc = _libreoffice(_docx(SHAPES["notice"]()), "docx", "doc")
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: convert_to_docx(doc, "doc"), range(2)))
    assert all(r.startswith(b"PK") for r in results)


def test_a_hung_conversion_is_stopped(monkeypatch, tmp_path):
    """A converter that hangs is killed after the time limit with a clear message."""
    from compliance.parsing import ParseError
    from compliance.parsing.formats import office

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(office, "soffice_path", lambda: str(fake))
    with pytest.raises(ParseError, match="超时"):
        office.convert_to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "doc", timeout=1)


def test_without_libreoffice_the_message_says_what_to_install(monkeypatch):
    from compliance.parsing import ParseError
    from compliance.parsing.formats import office

    monkeypatch.setattr(office, "soffice_path", lambda: None)
    with pytest.raises(ParseError, match="libreoffice-writer-nogui"):
        parse_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc")


# --------------------------------------------------------------------------- OCR


@pytest.fixture(scope="module")
def ocr_installed():
    _require(ocr.available(), "the OCR extra is not installed (pip install -r requirements-ocr.txt)")


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _assert_ocr_matches(result, shape: str) -> None:
    """OCR keeps the structure exactly (title, every label and path); texts may differ by a misread character."""
    got, ref = _summary(result), _reference(shape)
    assert [(t, [(lab, path) for lab, path, _ in items]) for t, items in got] == [
        (t, [(lab, path) for lab, path, _ in items]) for t, items in ref
    ]
    for (_, got_items), (_, ref_items) in zip(got, ref, strict=True):
        for g, r in zip(got_items, ref_items, strict=True):
            assert _similar(g[2], r[2]) >= 0.9, (g, r)


@pytest.fixture(scope="module")
def scans():
    """Page images of each sample printed and scanned at 200 dpi."""
    pytest.importorskip("PIL", reason="Pillow comes with the OCR extra")
    return {shape: typeset.to_images(typeset.to_pdf(typeset.lay_out(fn())), dpi=200) for shape, fn in SHAPES.items()}


def test_scanned_image_gives_the_same_items(ocr_installed, scans):
    """A one-page scan saved as PNG: OCR, then the same layout rules as a PDF."""
    pages = scans["regulation"]
    assert len(pages) == 1
    result = parse_file(typeset.image_bytes(pages[0]), "regulation.png")
    _assert_ocr_matches(result, "regulation")


def test_scanned_pdf_reports_progress_and_gives_the_same_items(ocr_installed, scans):
    """A PDF of page images (no text layer): every page is read by OCR, with progress k of n."""
    pages = scans["notice"]
    seen = []
    result = parse_file(typeset.scanned_pdf(pages), "notice.pdf", progress=lambda k, n: seen.append((k, n)))
    assert seen == [(k, len(pages)) for k in range(1, len(pages) + 1)]
    _assert_ocr_matches(result, "notice")


def test_scanned_task_table_becomes_rows(ocr_installed, scans):
    """The rules of a scanned table are found in the image and the recognised text put in its cells."""
    pages = scans["task_table"]
    tiff = io.BytesIO()
    pages[0].save(tiff, format="TIFF")
    text = decode_bytes(tiff.getvalue(), "plan.tif").text
    rows = [ln for ln in text.splitlines() if ln.startswith("| ")]
    assert len(rows) == len(TASK_ROWS)
    assert rows[0] == "| 序号 | 任务 | 牵头单位 | 配合单位 | 完成时限 |"
    assert [r.split(" | ")[2] for r in rows[1:]] == [row[2] for row in TASK_ROWS[1:]]


def test_low_confidence_lines_are_reported(ocr_installed, scans):
    """A smudged line is recognised with low confidence and listed for checking."""
    from PIL import ImageFilter

    page = scans["regulation"][0].copy()
    box = (0, 1150, page.width, 1300)
    page.paste(page.crop(box).filter(ImageFilter.GaussianBlur(3.2)), box)
    decoded = decode_bytes(typeset.image_bytes(page), "smudged.png")
    assert decoded.ocr_pages == 1
    assert decoded.uncertain
    assert all(u.replace(" ", "") in decoded.text.replace(" ", "") for u in decoded.uncertain)


def test_without_the_ocr_extra_a_scan_says_how_to_install_it(monkeypatch, scans):
    """No OCR engine: a scanned PDF or an image is refused with the install command."""
    from compliance.parsing import ParseError

    monkeypatch.setattr(ocr, "_model_dir", lambda: None)
    pdf = typeset.scanned_pdf(scans["regulation"])
    with pytest.raises(ParseError, match=r"requirements-ocr\.txt"):
        parse_file(pdf, "scan.pdf")
    with pytest.raises(ParseError, match=r"requirements-ocr\.txt"):
        parse_file(typeset.image_bytes(scans["regulation"][0]), "scan.jpg")
