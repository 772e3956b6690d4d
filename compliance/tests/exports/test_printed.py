"""The audit workbook as an auditor prints it: LibreOffice converts it to PDF, and we read the PDF.

Needs LibreOffice (``soffice``, Debian ``libreoffice-calc-nogui``), poppler (``pdftotext``,
``pdftoppm``, Debian ``poppler-utils``) and Chinese fonts (Debian ``fonts-noto-cjk``); skipped
locally when they are missing, a failure in CI (``DUBAN_REQUIRE_SERVICES=1``). The PDF and a
rendered page are kept under ``screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer

from compliance.exports import build_audit_workbook
from compliance.models import Assignment, PolicyDocument
from compliance.tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    EvidenceFactory,
    PolicyDocumentFactory,
    RequirementFactory,
    UserFactory,
)

from .conftest import TODAY, at

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "screenshots"
REQUIRED = os.environ.get("DUBAN_REQUIRE_SERVICES") == "1"
MIN_FONT_PT = 7.0
TOOLS = {"soffice": "libreoffice-calc-nogui", "pdftotext": "poppler-utils", "pdftoppm": "poppler-utils"}

DEPARTMENTS = (
    "教务处",
    "科学技术处",
    "研究生院",
    "学生工作处",
    "人事处",
    "财务处",
    "国际交流合作处",
    "保卫处",
    "实验室与设备管理处",
    "信息化办公室",
    "招生办公室",
    "后勤管理处",
)
LONG_TEXT = (
    "健全实验室安全责任体系，学校党委和行政主要负责人是实验室安全第一责任人，分管校领导是重要领导责任人，"
    "二级单位党政负责人是本单位实验室安全工作的主要领导责任人；建立学校、二级单位、实验室三级联动的安全管理"
    "体系，逐级签订安全责任书，将实验室安全工作纳入年度考核，对发生安全事故的单位实行一票否决。"
)
EVIDENCE_NAMES = ("2026年实验室安全检查工作方案（定稿）.pdf", "各学院安全责任书签订情况汇总表.xlsx")


@pytest.fixture
def printed_world(db, frozen):
    """Two published documents over twelve departments, long texts, two evidence files per finished
    item, progress notes on several lines, overdue items; and a draft that was never published."""
    frozen.move_to(at(dt.date(2026, 3, 1)))
    depts = [DepartmentFactory(name=name, short_name=name[:4]) for name in DEPARTMENTS]
    uploader = UserFactory(username="printer_lead", display_name="王主任")
    docs = [
        PolicyDocumentFactory(title="关于加强高等学校实验室安全工作的意见", doc_number="教技〔2026〕1号"),
        PolicyDocumentFactory(title="关于深化本科教育教学改革全面提高人才培养质量的实施方案"),
    ]
    items = []
    for d, doc in enumerate(docs):
        for i, dept in enumerate(depts):
            text = f"（{i + 1}）{LONG_TEXT}" if i % 3 == 0 else f"第{i + 1}项：{LONG_TEXT[: 40 + 10 * i]}"
            req = RequirementFactory(
                document=doc, label=f"（{i + 1}）", path=["一", f"（{i + 1}）"], heading="", text=text,
                deadline_date=dt.date(2026, 4, 30) + dt.timedelta(days=7 * i), order=i,
            )  # fmt: skip
            lead = AssignmentFactory(requirement=req, department=dept)
            co = depts[(i + 1 + d) % len(depts)]
            items.append((lead, AssignmentFactory(requirement=req, department=co, role=Assignment.Role.COOPERATING)))
    draft = PolicyDocumentFactory(title="某草稿文件（未发布）", status=PolicyDocument.Status.DRAFT)
    for i in range(5):
        RequirementFactory(document=draft, text=f"草稿条款{i}：不应出现在工作簿中。", order=i)
    frozen.move_to(at(dt.date(2026, 4, 20)))
    for n, (lead, co) in enumerate(items):
        if n % 2 == 0:
            for name in EVIDENCE_NAMES:
                EvidenceFactory(assignment=lead, original_name=name, uploaded_by=uploader)
            for a in (lead, co):
                a.status, a.completed_at = Assignment.Status.COMPLETED, timezone.now()
                a.progress_note = "一、已制定工作方案。\n二、已完成全部检查。\n三、整改报告已报送。"
                a.save()
        elif n % 3 == 0:
            lead.status, lead.progress_note = Assignment.Status.IN_PROGRESS, "正在推进，\n预计下月完成。"
            lead.save()
    frozen.move_to(at(TODAY))
    return {"docs": docs, "draft": draft, "depts": depts}


def _has_chinese_fonts() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, timeout=30)
    return bool(listed.stdout.strip())


def _require_tools() -> None:
    missing = [f"{tool} ({package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if not _has_chinese_fonts():
        missing.append("Chinese fonts (fonts-noto-cjk)")
    if missing:
        message = "printing the workbook needs " + ", ".join(missing) + " (apt-get install them)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)


def to_pdf(xlsx: Path) -> Path:
    """Convert with LibreOffice headless, in a private profile, within a time limit."""
    profile = xlsx.parent / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(xlsx.parent),
            str(xlsx),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = xlsx.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in drawing order (-raw): a cell's lines stay together."""
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def char_sizes(pdf: Path) -> list[float]:
    sizes = []
    for page in extract_pages(str(pdf)):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    sizes.extend(round(c.size, 1) for c in line if isinstance(c, LTChar) and c.get_text().strip())
    return sizes


def ink_ratio(pdf: Path, page: int, out: Path) -> float:
    """Rasterise one page (``out``.png to look at, a grey copy to measure); the share of pixels
    that are not white."""
    common = ["pdftoppm", "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*common, "-r", "80", "-png", str(pdf), str(out)], check=True, timeout=60)
    grey = out.parent / f"{out.name}-grey"
    subprocess.run([*common, "-r", "60", "-gray", str(pdf), str(grey)], check=True, timeout=60)
    data = grey.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    pixels = data[header.end() :]
    return sum(1 for b in pixels if b < 200) / len(pixels)


def test_the_printed_workbook_is_readable(printed_world, tmp_path):
    """What an auditor sees on paper: every page dated, no ###, whole texts and all evidence files,
    a readable font, each chart whole on its own page with every label, and no draft."""
    _require_tools()
    xlsx = tmp_path / "audit.xlsx"
    build_audit_workbook(as_of=TODAY).save(xlsx)
    pdf = to_pdf(xlsx)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(pdf, SHOTS / "audit-workbook.pdf")
    pages = [squash(p) for p in page_texts(pdf)]
    assert all("截至2026-05-15" in p for p in pages)  # the page header on every page
    assert not any("###" in p for p in pages)
    assert not any("草稿条款" in p for p in pages)
    tasks = "".join(p for p in pages if "配合单位" in p and "是否按期" in p)  # the 任务分解表 pages
    assert squash(LONG_TEXT) in tasks
    for name in EVIDENCE_NAMES:  # both files of each of the 12 finished items
        assert tasks.count(squash(name)) == 12, name
    for title, labels in (
        ("各部门完成率与按期率", DEPARTMENTS),
        ("各文件完成率与按期率", [squash(d.title) for d in printed_world["docs"]]),
    ):
        (chart_page,) = [p for p in pages if title in p]
        assert "100%" in chart_page and "完成率" in chart_page and "按期率" in chart_page
        assert [label for label in labels if label not in chart_page] == []
    sizes = char_sizes(pdf)
    assert min(sizes) >= MIN_FONT_PT, sorted(set(sizes))[:5]
    first_tasks_page = next(n for n, p in enumerate(pages, start=1) if "配合单位" in p)
    assert ink_ratio(pdf, first_tasks_page, SHOTS / "audit-workbook-tasks") > 0.01
