"""The 督办通报: the command's interface, the Word layout, and the PDF LibreOffice makes of it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from docx import Document

from compliance.services.reports import round_open
from compliance.tests.factories import AssignmentFactory, DepartmentFactory, RequirementFactory
from conftest import REQUIRE_SERVICES

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
A4_WIDTH_PT = 595.3


@pytest.fixture
def many_items(dept_a, dept_b):
    """Twelve departments with items due in 2026, some overdue, one completed on time."""
    depts = [dept_a, dept_b] + [DepartmentFactory(name=f"第{i}学院") for i in range(10)]
    for i, d in enumerate(depts):
        for j in range(3):
            req = RequirementFactory(
                heading=f"落实第{i}-{j}项重点任务，完善制度建设并形成长效机制",
                deadline_date=dt.date(2026, 3 + j, 10),
            )
            AssignmentFactory(requirement=req, department=d)
    first = AssignmentFactory(department=dept_a, due_date=dt.date(2026, 5, 1), status="completed")
    first.completed_at = dt.datetime(2026, 4, 20, 10, tzinfo=TZ)
    first.save()
    return depts


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=TZ))
def test_export_bulletin_writes_every_part_of_the_bulletin(many_items, tmp_path):
    out = tmp_path / "通报.docx"
    call_command("export_bulletin", "--out", str(out), "--from", "2026-01-01", "--to", "2026-06-30")
    text = _text(out)
    for part in ("督办通报", "通报期间：2026年1月1日至2026年6月30日", "一、总体情况", "二、各单位排名", "三、逾期事项"):
        assert part in text
    for part in ("四、催办事项", "本期无催办事项", "五、考核得分", "评分规则", "六、下一步工作"):
        assert part in text
    assert "到期事项 37 项，已办结 1 项，其中按期办结 1 项；逾期未办结 36 项" in text
    doc = Document(str(out))
    ranking = doc.tables[1]
    assert ranking.rows[1].cells[1].text == "教务处"  # the only department with a completion ranks first
    assert len(ranking.rows) == 1 + 12
    assert len(doc.tables[2].rows) == 1 + 36  # every overdue item with its department


def test_the_word_layout_is_a_gongwen(many_items, tmp_path):
    """A4, 仿宋 body, 小标宋 title and 黑体 headings (East Asian fonts, with fallbacks), bordered tables,
    page numbers as — N — in the footer."""
    out = tmp_path / "b.docx"
    call_command("export_bulletin", "--out", str(out))
    doc = Document(str(out))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)

    def east_asia(style: str) -> str:
        fonts = doc.styles[style].element.rPr.rFonts
        return fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    assert (east_asia("Normal"), east_asia("Title"), east_asia("Heading 1")) == ("仿宋", "方正小标宋简体", "黑体")
    with zipfile.ZipFile(out) as z:
        fonts = z.read("word/fontTable.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert 'w:name="方正小标宋简体"><w:altName w:val="小标宋,华文中宋,黑体' in fonts
    assert "— " in footer and " PAGE " in footer and " —" in footer
    assert all(t.style.name == "Table Grid" for t in doc.tables)


def test_the_office_may_replace_the_template(many_items, tmp_path, settings):
    """The template's body (a letterhead) stays at the top and its page set-up is used."""
    template = tmp_path / "红头.docx"
    base = Document(str(Path(settings.BASE_DIR) / "compliance/exports/templates/bulletin.docx"))
    base.add_paragraph("东方大学督查办公室")
    base.save(template)
    settings.DUBAN_BULLETIN_TEMPLATE = str(template)
    out = tmp_path / "b.docx"
    call_command("export_bulletin", "--out", str(out))
    assert Document(str(out)).paragraphs[0].text == "东方大学督查办公室"


def test_a_round_gives_the_period(admin_user, many_items, tmp_path):
    rnd = round_open(
        by=admin_user,
        title="2026年3月进展报送",
        period="2026-03",
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 31),
        due_date=dt.date(2026, 3, 25),
    )
    out = tmp_path / "b.docx"
    call_command("export_bulletin", "--out", str(out), "--round", str(rnd.pk))
    assert "2026年3月1日至2026年3月31日" in _text(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--round", "999999"], "报送轮次不存在"),
        (["--from", "2026-01-01"], "需要同时给出"),
        (["--from", "2026-13-01", "--to", "2026-12-31"], "日期格式"),
        (["--from", "2026-12-31", "--to", "2026-01-01"], "不能晚于"),
        (["--round", "1", "--from", "2026-01-01", "--to", "2026-02-01"], "不能同时使用"),
        (["--document", "999999"], "文件不存在"),
    ],
)
def test_bad_arguments_are_refused_in_chinese_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "b.docx"
    with pytest.raises(CommandError, match=message):
        call_command("export_bulletin", "--out", str(out), *args)
    assert not out.exists()


def _soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if REQUIRE_SERVICES:
            pytest.fail("LibreOffice (soffice) is required (DUBAN_REQUIRE_SERVICES=1)")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return path


@time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=TZ))
def test_libreoffice_prints_it_on_a4_with_every_table_inside_the_page(many_items, tmp_path):
    """The PDF has the expected pages, each numbered — N —, and no table reaches past the margins."""
    soffice = _soffice()
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve, LTTextContainer

    out = tmp_path / "bulletin.docx"
    call_command("export_bulletin", "--out", str(out), "--from", "2026-01-01", "--to", "2026-06-30")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "bulletin.pdf"
    pages = list(extract_pages(str(pdf)))
    # 12 ranking rows, 36 overdue rows and 12 score rows on A4 with 28 pt lines: four to six pages.
    assert 4 <= len(pages) <= 6, len(pages)
    left, right = 2.8 / 2.54 * 72, A4_WIDTH_PT - 2.6 / 2.54 * 72
    for n, page in enumerate(pages, start=1):
        assert round(page.width) == 595 and round(page.height) == 842
        texts = [el.get_text() for el in page if isinstance(el, LTTextContainer)]
        assert any(f"— {n} —" in t for t in texts), (n, texts[-3:])
        # Table borders (lines and rectangles) and every character stay within the text width.
        for el in page:
            if isinstance(el, LTCurve):
                assert el.x0 >= left - 2 and el.x1 <= right + 2, (n, el.bbox)
            if isinstance(el, LTTextContainer):
                for line in el:
                    for ch in getattr(line, "_objs", []):
                        if isinstance(ch, LTChar):
                            assert ch.x1 <= right + 2, (n, ch.get_text(), ch.bbox)
