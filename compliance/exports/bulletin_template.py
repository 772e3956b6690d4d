"""The default Word template of the 督办通报, made with python-docx (no LibreOffice).

The office may replace it with its own .docx (setting ``DUBAN_BULLETIN_TEMPLATE``): the bulletin
uses the template's page set-up, footer and styles (Title, Heading 1, Heading 2, Normal,
Table Grid) and appends its content after whatever the template's body already holds (a letterhead,
for example). This module writes the default one, ``templates/bulletin.docx`` beside it:

- A4 portrait with the margins of a 公文 (top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm);
- body 仿宋 三号 (16 pt), title 方正小标宋简体 二号 (22 pt), first-level headings 黑体, second-level
  楷体; each East Asian font is named in the document's font table with its fallbacks (altName), so
  a machine without 方正小标宋 shows 黑体/宋体 instead of a Latin font;
- the page number as ``— N —`` centred in the footer (a PAGE field);
- ``Table Grid`` tables with single borders, 宋体 五号 inside.

Regenerate with ``python manage.py shell -c "from compliance.exports.bulletin_template import
build_default_template as b; b()"`` (a test checks the shipped file still matches its description).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "bulletin.docx"

BODY_FONT = ("仿宋", "FangSong")
TITLE_FONT = ("方正小标宋简体", "SimHei")
HEADING_FONT = ("黑体", "SimHei")
HEADING2_FONT = ("楷体", "KaiTi")
TABLE_FONT = ("宋体", "SimSun")
# East Asian font -> fallbacks written into the font table (w:altName), most wanted first.
FALLBACKS = {
    "仿宋": "仿宋_GB2312,FangSong,STFangsong,Noto Serif CJK SC",
    "方正小标宋简体": "小标宋,华文中宋,黑体,SimHei,Noto Serif CJK SC",
    "黑体": "SimHei,Noto Sans CJK SC",
    "楷体": "楷体_GB2312,KaiTi,STKaiti,Noto Serif CJK SC",
    "宋体": "SimSun,Noto Serif CJK SC",
}


def set_fonts(rpr_owner, east_asia: str, latin: str) -> None:
    """Name the East Asian and Latin fonts of a style or run (python-docx sets only the Latin one)."""
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _style(doc, name: str, fonts: tuple[str, str], size: float, *, bold: bool = False, center: bool = False):
    style = doc.styles[name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    set_fonts(style, *fonts)
    pf = style.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else None
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = Pt(28)  # 公文: fixed 28 pt lines
    return style


def _font_table(doc) -> None:
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, alt in FALLBACKS.items():
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable")):
            el = etree.SubElement(font, qn(tag))
            el.set(qn("w:val"), val)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section) -> None:
    footer = section.footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str | None = None):
        r = p.add_run(text or "")
        r.font.size = Pt(14)
        set_fonts(r, *TABLE_FONT)
        return r

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        r = run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
    run(" —")


def build_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5)
    normal = _style(doc, "Normal", BODY_FONT, 16)
    normal.paragraph_format.first_line_indent = Pt(32)  # two characters
    _style(doc, "Title", TITLE_FONT, 22, center=True).paragraph_format.first_line_indent = Pt(0)
    doc.styles["Title"].paragraph_format.space_after = Pt(12)
    # The Title style of python-docx's template draws a rule under the title: a 公文 has none.
    ppr = doc.styles["Title"].element.pPr
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))
    _style(doc, "Subtitle", BODY_FONT, 16, center=True).paragraph_format.first_line_indent = Pt(0)
    _style(doc, "Heading 1", HEADING_FONT, 16).paragraph_format.first_line_indent = Pt(32)
    _style(doc, "Heading 2", HEADING2_FONT, 16).paragraph_format.first_line_indent = Pt(32)
    grid = doc.styles["Table Grid"]
    grid.font.size = Pt(10.5)
    set_fonts(grid, *TABLE_FONT)
    _font_table(doc)
    _page_number_footer(section)
    # No empty first paragraph: the bulletin starts at the top of the body.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path
