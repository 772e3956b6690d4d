"""Bytes to text: plain text in any of the usual Chinese encodings, .docx and text-layer PDF.

The format is decided by content (magic bytes) first and by the file name second, so a
PDF named ``.txt`` is still read as a PDF (with a warning).  Every refusal is a
:class:`ParseError` with a Chinese message that can be shown to the user as is.  Limits
(size, zip expansion, PDF pages) keep hostile or accidental inputs from hanging a worker.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from .numbering import int_to_cn
from .types import ParseError

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 50 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_PDF_PAGES = 500

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Decoded:
    text: str
    fmt: str  # txt | docx | pdf
    warnings: list[str] = field(default_factory=list)


def sniff(data: bytes) -> str:
    """Format by magic bytes: ``pdf``, ``zip``, ``ole`` (old .doc), ``text`` or ``binary``."""
    head = data[:8]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "text"
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary"
    ctrl = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and ctrl / len(sample) > 0.05:
        return "binary"
    return "text"


def decode_bytes(data: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES) -> Decoded:
    """Decode an uploaded file into text; raise :class:`ParseError` with a clear message."""
    if not data or not data.strip():
        raise ParseError("文件为空，没有可解析的内容。")
    if max_bytes and len(data) > max_bytes:
        raise ParseError(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），超过 {max_bytes / 1024 / 1024:.0f} MB 的上限，请拆分后再导入。"
        )
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = sniff(data)
    warnings: list[str] = []
    if kind == "pdf":
        if ext and ext != "pdf":
            warnings.append(f"文件扩展名为 .{ext}，但内容是 PDF，已按 PDF 解析。")
        return Decoded(pdf_to_text(data), "pdf", warnings)
    if kind == "zip":
        if ext and ext != "docx":
            warnings.append(f"文件扩展名为 .{ext}，但内容是 Word（.docx）文档，已按 .docx 解析。")
        return Decoded(docx_to_text(data), "docx", warnings)
    if kind == "ole":
        raise ParseError("不支持旧版 Word（.doc）或其他 OLE 格式文件，请在 Word 中另存为 .docx 后再导入。")
    if kind == "binary":
        raise ParseError("文件不是文本、Word（.docx）或 PDF 文档，无法解析。")
    if ext in {"pdf", "docx"}:
        warnings.append(f"文件扩展名为 .{ext}，但内容是纯文本，已按文本解析。")
    text = decode_text(data)
    if ext in {"html", "htm"} or re.match(r"\s*<(!doctype|html)", text[:200], re.IGNORECASE):
        text = html_to_text(text)
    return Decoded(text, "txt", warnings)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        text = data.decode("gb18030", errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 100):
            raise ParseError("无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030），请转换为 UTF-8 后再导入。")
    return text


_RE_TAG = re.compile(r"<[^>]+>")
_RE_BLOCK_TAG = re.compile(r"</?(p|div|br|tr|li|h[1-6]|table|section|article)\b[^>]*>", re.IGNORECASE)
_RE_SCRIPT = re.compile(r"<(script|style|head|noscript)\b.*?</\1>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_RE_CELL_TAG = re.compile(r"</t[dh]>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """Very small HTML to text: block tags become line breaks, other tags go."""
    import html as htmlmod

    html = _RE_SCRIPT.sub("", html)  # the <head> too: its <title> repeats the site name
    html = _RE_CELL_TAG.sub("\u3000", html)  # table cells stay apart
    html = _RE_BLOCK_TAG.sub("\n", html)
    return htmlmod.unescape(_RE_TAG.sub("", html))


# --------------------------------------------------------------------------- docx


def _check_zip(zf: zipfile.ZipFile, size: int) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / max(info.compress_size, 1) > MAX_ZIP_RATIO
            and info.file_size > 1024 * 1024
        ):
            raise ParseError("Word 文档的压缩比异常（疑似压缩炸弹），已拒绝解析。")
    if total > MAX_UNZIPPED:
        raise ParseError(f"Word 文档解压后过大（{total / 1024 / 1024:.0f} MB），已拒绝解析。")


def docx_to_text(data: bytes) -> str:
    """Paragraphs and tables of a .docx in document order, with Word list numbers restored."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ParseError("Word（.docx）文件已损坏，无法打开。") from exc
    with zf:
        _check_zip(zf, len(data))
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise ParseError("压缩包不是 Word（.docx）文档（缺少 word/document.xml），无法解析。")
        try:
            doc_xml = zf.read("word/document.xml")
            num_xml = zf.read("word/numbering.xml") if "word/numbering.xml" in names else None
            styles_xml = zf.read("word/styles.xml") if "word/styles.xml" in names else None
            root = ET.fromstring(doc_xml)
        except (ET.ParseError, KeyError, zipfile.BadZipFile, OSError) as exc:
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
            lines.extend(_table_lines(el))
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


def _table_lines(tbl: ET.Element) -> list[str]:
    """One line per row, written ``| cell | cell |`` (see normalize.TABLE_ROW).

    Rows never yield items and are never joined with their neighbours: the table stays in
    the text of the item that introduces it (``具体安排如下表：``), one readable line a row.
    """
    out: list[str] = []
    for tr in tbl.iter(f"{_W}tr"):
        cells = []
        for tc in tr.findall(f"{_W}tc"):
            text = " ".join(_para_text(p).strip() for p in tc.iter(f"{_W}p") if _para_text(p).strip())
            cells.append(text.replace("|", "｜").replace("\n", " ").strip())
        if any(cells):
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


# --------------------------------------------------------------------------- pdf


def pdf_to_text(data: bytes, *, max_pages: int = MAX_PDF_PAGES) -> str:
    """Text layer of a PDF (pdfminer.six), at most ``max_pages`` pages."""
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.layout import LAParams
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise ParseError("服务器未安装 PDF 解析组件，无法解析 PDF。") from exc
    try:
        text = extract_text(io.BytesIO(data), maxpages=max_pages, laparams=LAParams())
    except PDFSyntaxError as exc:
        raise ParseError("PDF 文件已损坏或格式无效，无法解析。") from exc
    except Exception as exc:  # pdfminer raises many exception types on hostile input
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            raise ParseError("PDF 文件已加密，请先解除密码保护再导入。") from exc
        raise ParseError(f"PDF 文件无法解析（{name}）。") from exc
    if len(re.sub(r"\s", "", text)) < 10:
        raise ParseError("PDF 没有可提取的文字层（可能是扫描件或图片），请先进行文字识别（OCR）或提供文本版。")
    return text


__all__ = [
    "MAX_BYTES",
    "Decoded",
    "decode_bytes",
    "decode_text",
    "docx_to_text",
    "pdf_to_text",
    "sniff",
]
