"""OFD (GB/T 33190), the national format of electronic 公文: a zip of XML pages.

``OFD.xml`` names the document (``DocBody/DocRoot``), the document lists its pages, and each
page's ``Content.xml`` holds text objects (``TextObject`` with ``TextCode`` runs placed by
``X``/``Y`` and per-character ``DeltaX``) and drawn paths (table rules). Coordinates are in
millimetres, top-down. The characters and rules go through the same layout as a PDF page
(:mod:`.layout`, :mod:`.tables`), so reading order, paragraphs and tables come out alike.
Template pages (running headers and footers) are not read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

from ..types import ParseError
from .glyphs import Char, chars_to_lines
from .layout import Page, lay_out
from .limits import MAX_PDF_PAGES, check_zip, read_member
from .tables import Segment, find_tables

WHAT = "OFD 文档"
_A4 = (210.0, 297.0)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el.iter():
        if _local(c.tag) == name:
            return c
    return None


def _numbers(text: str | None) -> list[float]:
    try:
        return [float(x) for x in (text or "").split()]
    except ValueError:
        return []


def _xml(zf: zipfile.ZipFile, name: str) -> ET.Element:
    try:
        return ET.fromstring(read_member(zf, name, WHAT))
    except ET.ParseError as exc:
        raise ParseError("OFD 文档内容损坏（XML 格式错误），无法解析。") from exc


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip()
    if loc.startswith("/"):
        return loc.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, loc))


def ofd_to_text(data: bytes, *, max_pages: int = MAX_PDF_PAGES) -> str:
    """The laid-out text of every page of the first document in an OFD package."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError("OFD 文件已损坏，无法打开。") from exc
    with zf:
        check_zip(zf, WHAT)
        names = {n.lower(): n for n in zf.namelist()}
        if "ofd.xml" not in names:
            raise ParseError("压缩包不是 OFD 文档（缺少 OFD.xml），无法解析。")
        root = _xml(zf, names["ofd.xml"])
        doc_root = _child(root, "DocRoot")
        if doc_root is None or not (doc_root.text or "").strip():
            raise ParseError("OFD 文档缺少 DocRoot，无法解析。")
        doc_path = _resolve("", doc_root.text or "")
        if doc_path.lower() not in names:
            raise ParseError(f"OFD 文档缺少 {doc_path}，无法解析。")
        document = _xml(zf, names[doc_path.lower()])
        default_box = _page_box(document) or _A4
        page_locs = [p.get("BaseLoc", "") for p in document.iter() if _local(p.tag) == "Page" and p.get("BaseLoc")]
        if not page_locs:
            raise ParseError("OFD 文档没有页面。")
        if len(page_locs) > max_pages:
            raise ParseError(f"OFD 共 {len(page_locs)} 页，超过 {max_pages} 页的上限，请拆分后再导入。")
        pages = []
        for index, loc in enumerate(page_locs):
            path = _resolve(posixpath.dirname(doc_path), loc)
            if path.lower() not in names:
                raise ParseError(f"OFD 文档缺少页面文件 {path}，无法解析。")
            pages.append(_page(_xml(zf, names[path.lower()]), index, default_box))
    text = lay_out(pages).text
    if len(re.sub(r"\s", "", text)) < 10:
        raise ParseError("OFD 文档中没有可提取的文字（可能是扫描件），无法解析。")
    return text


def _page_box(el: ET.Element) -> tuple[float, float] | None:
    box = _child(el, "PhysicalBox")
    nums = _numbers(box.text if box is not None else None)
    return (nums[2], nums[3]) if len(nums) == 4 else None


def _page(content: ET.Element, index: int, default_box: tuple[float, float]) -> Page:
    area = _child(content, "Area")
    width, height = (_page_box(area) if area is not None else None) or default_box
    chars: list[Char] = []
    segments: list[Segment] = []
    for el in content.iter():
        kind = _local(el.tag)
        if kind == "TextObject":
            chars.extend(_text_object(el))
        elif kind == "PathObject":
            segments.extend(_path_object(el))
    sizes = sorted(c.size for c in chars)
    size = sizes[len(sizes) // 2] if sizes else 0.0
    tables, rest = find_tables(segments, chars, index, size)
    return Page(width=width, height=height, lines=chars_to_lines(rest, index), tables=tables)


def _transform(el: ET.Element) -> tuple[float, float, float, float, float, float]:
    """Boundary origin and CTM of an object as (a, b, c, d, e, f) mapping object space to the page."""
    bx, by = (_numbers(el.get("Boundary")) + [0.0, 0.0])[:2]
    ctm = _numbers(el.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return a, b, c, d, e + bx, f + by


def _deltas(text: str | None) -> list[float]:
    """``DeltaX`` values, expanding the ``g N V`` shorthand (N times V)."""
    tokens = (text or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out.extend([float(tokens[i + 2])] * min(int(tokens[i + 1]), 10000))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _text_object(el: ET.Element) -> list[Char]:
    a, b, c, d, e, f = _transform(el)
    scale = (abs(a * d - b * c)) ** 0.5 or 1.0
    size = float(el.get("Size", "3.5") or 3.5) * scale
    out: list[Char] = []
    x = y = 0.0
    for code in el:
        if _local(code.tag) != "TextCode" or not code.text:
            continue
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        dx = _deltas(code.get("DeltaX"))
        for i, ch in enumerate(code.text):
            advance = dx[i] if i < len(dx) else size / scale
            px, py = a * x + c * y + e, b * x + d * y + f
            if not ch.isspace() or ch == " ":
                width = min(advance * scale, size) if advance > 0 else size
                out.append(Char(ch, px, px + width, py - 0.88 * size, py + 0.12 * size, size))
            x += advance
    return out


_RE_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0, "Z": 0}


def _path_object(el: ET.Element) -> list[Segment]:
    data = _child(el, "AbbreviatedData")
    if data is None or not data.text or len(data.text) > 200_000:
        return []
    a, b, c, d, e, f = _transform(el)

    def pt(x: float, y: float) -> tuple[float, float]:
        return a * x + c * y + e, b * x + d * y + f

    tokens = _RE_PATH_TOKEN.findall(data.text)
    out: list[Segment] = []
    start = last = None
    i = 0
    while i < len(tokens):
        op = tokens[i]
        n = _ARGS.get(op)
        if n is None:
            i += 1
            continue
        try:
            args = [float(t) for t in tokens[i + 1 : i + 1 + n]]
        except ValueError:
            break
        i += 1 + n
        if op in "MS" and len(args) == 2:
            start = last = pt(*args)
        elif op == "L" and len(args) == 2 and last is not None:
            p = pt(*args)
            out.append(Segment(last[0], last[1], p[0], p[1]))
            last = p
        elif op in "CZ" and last is not None and start is not None:
            out.append(Segment(last[0], last[1], start[0], start[1]))
            last = start
        elif len(args) >= 2:
            last = pt(args[-2], args[-1])
    return out
