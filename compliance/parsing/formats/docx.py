"""Word .docx: paragraphs and tables in document order, with Word's automatic list numbers.

Tables come out one line per row, ``| cell | cell |`` (see ``normalize.TABLE_ROW``): a merged
cell that spans rows (``vMerge``) repeats its text on every row it covers, so each row of a
任务分解表 carries its own lead unit and deadline; a cell that spans columns (``gridSpan``)
is written once, followed by empty cells, so columns stay aligned; a row that is one cell
across the whole table (a section heading inside the table) is written as that one cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from ..numbering import int_to_cn
from ..types import ParseError
from .limits import check_zip, read_member

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHAT = "Word（.docx）文档"


def docx_to_text(data: bytes) -> str:
    """Paragraphs and tables of a .docx in document order, with Word list numbers restored."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError("Word（.docx）文件已损坏，无法打开。") from exc
    with zf:
        check_zip(zf, WHAT)
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise ParseError("压缩包不是 Word（.docx）文档（缺少 word/document.xml），无法解析。")
        doc_xml = read_member(zf, "word/document.xml", WHAT)
        num_xml = read_member(zf, "word/numbering.xml", WHAT) if "word/numbering.xml" in names else None
        styles_xml = read_member(zf, "word/styles.xml", WHAT) if "word/styles.xml" in names else None
    try:
        root = ET.fromstring(doc_xml)
    except ET.ParseError as exc:
        raise ParseError("Word（.docx）文件内容损坏，无法解析。") from exc
    numbering = _Numbering(num_xml, styles_xml)
    body = root.find(f"{_W}body")
    if body is None:
        raise ParseError("Word（.docx）文档没有正文。")
    lines: list[str] = []
    for el in body:
        if el.tag == f"{_W}p":
            lines.append(numbering.prefix(el) + _para_text(el))
        elif el.tag == f"{_W}tbl":
            lines.extend(_table_lines(el, numbering))
        elif el.tag == f"{_W}sdt":  # a content control wrapping paragraphs (cover pages, forms)
            for p in el.iter(f"{_W}p"):
                lines.append(numbering.prefix(p) + _para_text(p))
    return "\n".join(lines)


def _para_text(p: ET.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _val(el: ET.Element | None, default: str = "") -> str:
    return el.get(f"{_W}val", default) if el is not None else default


def _cell_text(tc: ET.Element, numbering: _Numbering) -> str:
    texts = []
    for p in tc.iter(f"{_W}p"):
        t = (numbering.prefix(p) + _para_text(p)).strip()
        if t:
            texts.append(t)
    return " ".join(texts).replace("|", "｜").replace("\n", " ").replace("\t", " ").strip()


def _table_lines(tbl: ET.Element, numbering: _Numbering) -> list[str]:
    """One line per row, written ``| cell | cell |``; merged cells as the module docstring says."""
    grid: list[list[str]] = []
    full_rows: set[int] = set()
    width = len(tbl.findall(f"{_W}tblGrid/{_W}gridCol"))
    for tr in tbl.findall(f"{_W}tr"):
        row: list[str] = [""] * int(_val(tr.find(f"{_W}trPr/{_W}gridBefore"), "0") or 0)
        spans = 0
        for tc in tr.findall(f"{_W}tc"):
            span = max(1, int(_val(tc.find(f"{_W}tcPr/{_W}gridSpan"), "1") or 1))
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            col = len(row)
            if vmerge is not None and _val(vmerge, "continue") != "restart" and grid:
                above = grid[-1]
                text = above[col] if col < len(above) else ""
            else:
                text = _cell_text(tc, numbering)
            row.extend([text] + [""] * (span - 1))
            spans += 1
        if spans == 1 and (width <= 1 or len(row) >= width):
            full_rows.add(len(grid))
        grid.append(row)
    out: list[str] = []
    for i, row in enumerate(grid):
        cells = row[:1] if i in full_rows else row
        if any(c for c in cells):
            out.append("| " + " | ".join(cells) + " |")
    return out


def _fmt_number(n: int, fmt: str) -> str:
    if fmt in {
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "chineseLegalSimplified",
        "taiwaneseCounting",
        "ideographDigital",
    }:
        try:
            return int_to_cn(n)
        except ValueError:
            return str(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperRoman" or fmt == "lowerRoman":
        vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out, m = "", n
        for v, s in vals:
            while m >= v:
                out += s
                m -= v
        return out if fmt == "upperRoman" else out.lower()
    if fmt in {"decimalFullWidth", "decimalFullWidth2"}:
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "none" or fmt == "bullet":
        return ""
    return str(n)


class _Numbering:
    """Word automatic list numbering: numId/ilvl → label text such as ``一、`` or ``（1）``."""

    def __init__(self, num_xml: bytes | None, styles_xml: bytes | None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractId -> ilvl -> (fmt, text, start)
        self.num_to_abs: dict[str, str] = {}
        self.overrides: dict[tuple[str, int], int] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        if num_xml:
            try:
                self._load(ET.fromstring(num_xml))
            except ET.ParseError:
                pass
        if styles_xml:
            try:
                self._load_styles(ET.fromstring(styles_xml))
            except ET.ParseError:
                pass

    def _load(self, root: ET.Element) -> None:
        for an in root.findall(f"{_W}abstractNum"):
            aid = an.get(f"{_W}abstractNumId", "")
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt_el = lvl.find(f"{_W}numFmt")
                txt_el = lvl.find(f"{_W}lvlText")
                start_el = lvl.find(f"{_W}start")
                lv[ilvl] = (
                    fmt_el.get(f"{_W}val", "decimal") if fmt_el is not None else "decimal",
                    txt_el.get(f"{_W}val", "") if txt_el is not None else "",
                    int(start_el.get(f"{_W}val", "1")) if start_el is not None else 1,
                )
            self.levels[aid] = lv
        for num in root.findall(f"{_W}num"):
            nid = num.get(f"{_W}numId", "")
            an = num.find(f"{_W}abstractNumId")
            if an is not None:
                self.num_to_abs[nid] = an.get(f"{_W}val", "")
            for ov in num.findall(f"{_W}lvlOverride"):
                so = ov.find(f"{_W}startOverride")
                if so is not None:
                    self.overrides[(nid, int(ov.get(f"{_W}ilvl", "0")))] = int(so.get(f"{_W}val", "1"))

    def _load_styles(self, root: ET.Element) -> None:
        for st in root.findall(f"{_W}style"):
            numpr = st.find(f"{_W}pPr/{_W}numPr")
            if numpr is None:
                continue
            nid = numpr.find(f"{_W}numId")
            ilvl = numpr.find(f"{_W}ilvl")
            if nid is not None:
                self.style_num[st.get(f"{_W}styleId", "")] = (
                    nid.get(f"{_W}val", ""),
                    int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0,
                )

    def prefix(self, p: ET.Element) -> str:
        ppr = p.find(f"{_W}pPr")
        if ppr is None:
            return ""
        numpr = ppr.find(f"{_W}numPr")
        nid: str | None = None
        ilvl = 0
        if numpr is not None:
            nid_el = numpr.find(f"{_W}numId")
            ilvl_el = numpr.find(f"{_W}ilvl")
            nid = nid_el.get(f"{_W}val") if nid_el is not None else None
            ilvl = int(ilvl_el.get(f"{_W}val", "0")) if ilvl_el is not None else 0
        else:
            style = ppr.find(f"{_W}pStyle")
            sid = style.get(f"{_W}val", "") if style is not None else ""
            if sid in self.style_num:
                nid, ilvl = self.style_num[sid]
        if not nid or nid == "0" or nid not in self.num_to_abs:
            return ""
        levels = self.levels.get(self.num_to_abs[nid], {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(nid, {})
        fmt, text, start = levels[ilvl]
        start = self.overrides.get((nid, ilvl), start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet" or not text:
            return ""

        def repl(m: re.Match[str]) -> str:
            lv = int(m.group(1)) - 1
            f = levels.get(lv, (fmt, "", 1))[0]
            val = counters.get(lv, levels.get(lv, (fmt, "", 1))[2])
            return _fmt_number(val, f)

        return re.sub(r"%(\d)", repl, text)
