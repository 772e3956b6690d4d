"""Generality: document shapes common in real Chinese policy texts but absent from the seeds.

Every document in ``data/gen_*`` was written for these tests (realistic wording, invented
organisations).  Each test asserts the full item list as
``(label, path, heading, is_requirement, lead_units, co_units, deadlines)`` where a deadline
is its ISO date, else its recurrence, else its text.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from compliance.parsing import parse_file, parse_text

from .pdfgen import make_text_pdf


def _doc(data_dir: Path, name: str):
    path = data_dir / name
    result = parse_file(path.read_bytes(), path.name)
    assert len(result.documents) == 1, [d.title for d in result.documents]
    return result.documents[0]


def _deadline(d) -> str:
    return d.date.isoformat() if d.date else (d.recurrence or d.text)


def _rows(doc) -> list[tuple]:
    out = []
    for it in doc.items:
        assert it.level == len(it.path)
        out.append(
            (
                it.label,
                "/".join(it.path),
                it.heading,
                it.is_requirement,
                it.lead_units,
                it.co_units,
                [_deadline(d) for d in it.deadlines],
            )
        )
    return out


def _meta(doc) -> tuple:
    return (doc.title, doc.issuer, doc.doc_number, doc.date)


def test_ministry_work_points_from_a_web_page(data_dir):
    """教育部年度工作要点 copied from a web page: breadcrumb, font-size switch, print/share
    buttons and ICP footer are page chrome (the breadcrumb is not the title); ``一、`` sections
    hold ``1.`` items numbered continuously, one paragraph per line, ``标题。正文``; the
    unnumbered 总体要求 paragraph is not an item; the title year resolves ``年内``."""
    doc = _doc(data_dir, "gen_moe_work_points.txt")
    assert _meta(doc) == ("教育部2025年工作要点", "教育部", "", dt.date(2025, 2, 10))
    assert _rows(doc) == [
        (
            "一、",
            "一",
            "坚持用习近平新时代中国特色社会主义思想铸魂育人",
            False,
            [],
            [],
            [],
        ),
        ("1.", "一/1", "深入学习贯彻党的创新理论", True, [], [], []),
        ("2.", "一/2", "推进大中小学思想政治教育一体化建设", True, [], [], []),
        ("3.", "一/3", "加强新时代学校思想政治工作", True, [], [], []),
        ("二、", "二", "加快推进教育强国建设", False, [], [], []),
        (
            "4.",
            "二/4",
            "编制实施教育强国建设三年行动计划",
            True,
            [],
            [],
            ["2025-06-30"],
        ),
        ("5.", "二/5", "推进教育综合改革试点", True, [], [], []),
        ("6.", "二/6", "深化教育评价改革", True, [], [], []),
        ("三、", "三", "推动基础教育扩优提质", False, [], [], []),
        ("7.", "三/7", "实施基础教育扩优提质行动计划", True, [], [], []),
        ("8.", "三/8", "深入推进“双减”工作", True, [], [], []),
        ("9.", "三/9", "加强学前教育普及普惠", True, [], [], ["2025-09-01"]),
        ("四、", "四", "加快建设高质量高等教育体系", False, [], [], []),
        ("10.", "四/10", "分类推进高校改革发展", True, [], [], []),
        ("11.", "四/11", "优化学科专业结构", True, [], [], ["2025-12-31"]),
        ("12.", "四/12", "加强拔尖创新人才自主培养", True, [], [], []),
        ("五、", "五", "加强教师队伍建设", False, [], [], []),
        ("13.", "五/13", "加强师德师风建设", True, [], [], []),
        ("14.", "五/14", "提升教师专业素质能力", True, [], [], ["yearly"]),
    ]
    assert all("打印" not in it.text and "ICP" not in it.text for it in doc.items)


def test_regulation_with_ideographic_space_and_duty_lists(data_dir):
    """办法 with ``第一章　总则`` (U+3000), a bracketed 审议通过 date under the title, and
    ``（一）…`` duty lists on their own lines: one row per article, the lists stay inside."""
    doc = _doc(data_dir, "gen_regulation_fullwidth.txt")
    assert _meta(doc) == ("某某市学校安全管理办法", "", "", dt.date(2024, 12, 20))
    assert _rows(doc) == [
        ("第一章", "第一章", "总则", False, [], [], []),
        ("第一条", "第一章/第一条", "", True, [], [], []),
        ("第二条", "第一章/第二条", "", True, [], [], []),
        ("第三条", "第一章/第三条", "", True, [], [], []),
        ("第二章", "第二章", "职责分工", False, [], [], []),
        ("第四条", "第二章/第四条", "", True, [], [], []),
        ("（一）", "第二章/第四条/（一）", "", False, [], [], []),
        ("（二）", "第二章/第四条/（二）", "", False, [], [], []),
        ("（三）", "第二章/第四条/（三）", "", False, [], [], []),
        ("（四）", "第二章/第四条/（四）", "", False, [], [], []),
        ("第五条", "第二章/第五条", "", True, [], [], []),
        ("第六条", "第二章/第六条", "", True, [], [], []),
        ("第三章", "第三章", "日常管理", False, [], [], []),
        ("第七条", "第三章/第七条", "", True, [], [], []),
        ("（一）", "第三章/第七条/（一）", "", False, [], [], []),
        ("（二）", "第三章/第七条/（二）", "", False, [], [], []),
        ("（三）", "第三章/第七条/（三）", "", False, [], [], []),
        ("（四）", "第三章/第七条/（四）", "", False, [], [], []),
        ("（五）", "第三章/第七条/（五）", "", False, [], [], []),
        ("第八条", "第三章/第八条", "", True, [], [], ["semester"]),
        ("第九条", "第三章/第九条", "", True, [], [], ["2024-03-31"]),
        ("第四章", "第四章", "应急处置", False, [], [], []),
        ("第十条", "第四章/第十条", "", True, [], [], ["1小时内"]),
        ("第十一条", "第四章/第十一条", "", True, [], [], []),
        ("第五章", "第五章", "附则", False, [], [], []),
        ("第十二条", "第五章/第十二条", "", True, [], [], ["2025-03-01"]),
    ]
    assert doc.items[5].text == "市、区教育行政部门履行下列职责："


def test_provincial_plan_with_paren_top_level_and_task_table(data_dir):
    """实施方案 whose top level is ``（一）`` (no ``一、``), ``1.`` items with ``（责任单位：…）``,
    and a closing ``附件：重点任务分工表`` followed by the flattened table: the table rows are
    neither items nor part of the last item's text."""
    doc = _doc(data_dir, "gen_provincial_plan_table.txt")
    assert _meta(doc) == ("某某省推进职业教育产教融合实施方案", "", "", None)
    assert _rows(doc) == [
        ("（一）", "（一）", "建设市域产教联合体", False, [], [], []),
        (
            "1.",
            "（一）/1",
            "遴选建设省级市域产教联合体",
            True,
            ["省教育厅"],
            ["省发展改革委"],
            ["2025-12-31"],
        ),
        ("2.", "（一）/2", "完善联合体运行机制", True, ["各设区市人民政府"], [], []),
        ("（二）", "（二）", "打造行业产教融合共同体", False, [], [], []),
        (
            "3.",
            "（二）/3",
            "组建行业产教融合共同体",
            True,
            ["省工业和信息化厅"],
            ["省教育厅"],
            [],
        ),
        (
            "4.",
            "（二）/4",
            "推动校企共建实践中心",
            True,
            ["省教育厅"],
            ["省财政厅"],
            ["2026-06-30"],
        ),
        ("（三）", "（三）", "强化保障措施", False, [], [], []),
        ("5.", "（三）/5", "加大经费投入", True, ["省财政厅"], [], []),
        (
            "6.",
            "（三）/6",
            "加强督导评估",
            True,
            ["省政府教育督导委员会办公室"],
            [],
            [],
        ),
    ]
    last = doc.items[-1].text
    assert "序号" not in last and "分工表" not in last and "持续推进" not in last


def test_rectification_plan_with_labelled_fields(data_dir):
    """整改方案: each ``1.`` problem block carries ``问题1：`` / ``整改措施：`` text and
    ``责任单位：`` / ``配合单位：`` / ``完成时限：`` lines that feed its units and deadlines."""
    doc = _doc(data_dir, "gen_rectification_plan.txt")
    assert _meta(doc) == (
        "某某大学关于巡视反馈意见的整改方案",
        "中共某某大学委员会",
        "",
        dt.date(2024, 10, 15),
    )
    assert _rows(doc) == [
        ("一、", "一", "整改工作要求", True, [], [], []),
        ("二、", "二", "问题清单及整改措施", False, [], [], []),
        (
            "1.",
            "二/1",
            "落实全面从严治党主体责任不够有力",
            True,
            ["纪委办公室"],
            ["党委组织部", "党委办公室"],
            ["semester", "2024-12-31"],
        ),
        (
            "2.",
            "二/2",
            "选人用人工作不够规范",
            True,
            ["党委组织部"],
            [],
            ["2025-03-31"],
        ),
        (
            "3.",
            "二/3",
            "科研经费管理存在薄弱环节",
            True,
            ["科研院"],
            ["财务处", "审计处"],
            ["2025-06-30"],
        ),
        ("4.", "二/4", "意识形态阵地管理有待加强", True, ["党委宣传部"], [], []),
        ("三、", "三", "保障措施", False, [], [], []),
        ("（一）", "三/（一）", "加强组织领导", True, [], [], []),
        ("（二）", "三/（二）", "强化督促检查", True, [], [], ["monthly"]),
    ]
    assert "整改措施：" in doc.items[2].text


def test_rectification_plan_with_measures_list_and_trailing_fields(data_dir):
    """``（一）问题`` / ``整改措施：`` / ``1.… 2.…`` / ``责任单位：…`` / ``完成时限：…``: the
    measures are the problem's checklist, so the problem is the row and the field lines after
    the list belong to it, not to the last measure.  ``整改目标`` is context."""
    doc = _doc(data_dir, "gen_rectification_nested.txt")
    assert _meta(doc) == (
        "某某学院本科教育教学审核评估整改工作方案",
        "某某学院",
        "",
        dt.date(2025, 3, 10),
    )
    assert _rows(doc) == [
        ("一、", "一", "整改目标", False, [], [], []),
        ("二、", "二", "整改任务", False, [], [], []),
        (
            "（一）",
            "二/（一）",
            "人才培养方案修订不够及时",
            True,
            ["教务处"],
            ["各二级学院"],
            ["2025-08-31"],
        ),
        ("1.", "二/（一）/1", "", False, [], [], ["每四年"]),
        ("2.", "二/（一）/2", "", False, [], [], []),
        (
            "（二）",
            "二/（二）",
            "实践教学条件保障不足",
            True,
            ["实验室与设备管理处"],
            ["教务处", "财务处"],
            ["2025-12-31"],
        ),
        ("1.", "二/（二）/1", "", False, [], [], []),
        ("2.", "二/（二）/2", "", False, [], [], []),
        ("3.", "二/（二）/3", "", False, [], [], []),
        (
            "（三）",
            "二/（三）",
            "教学质量监控闭环不完善",
            True,
            ["教学质量监控与评估中心"],
            [],
            ["semester"],
        ),
        ("三、", "三", "保障措施", False, [], [], []),
        ("（一）", "三/（一）", "加强组织领导", True, [], [], []),
        ("（二）", "三/（二）", "严格督查考核", True, [], [], ["monthly"]),
    ]
    assert doc.items[4].text == "组织各专业开展行业企业需求调研，形成专业调研报告。"


def test_notice_numbered_with_arabic_parens_only(data_dir):
    """A short notice whose only level is ``（1）…（5）``: each is a level-1 row."""
    doc = _doc(data_dir, "gen_paren_top_notice.txt")
    assert _meta(doc) == (
        "某某市教育局关于做好2025年中小学暑期安全工作的通知",
        "某某市教育局",
        "",
        dt.date(2025, 6, 20),
    )
    assert _rows(doc) == [
        ("（1）", "（1）", "开展放假前安全教育", True, [], [], ["2025-07-10"]),
        ("（2）", "（2）", "落实家校共同监护责任", True, [], [], []),
        ("（3）", "（3）", "加强校园安全管理", True, [], [], []),
        ("（4）", "（4）", "做好校舍维修改造", True, [], [], ["2025-08-25"]),
        ("（5）", "（5）", "及时报送信息", True, [], [], ["发生安全事故后2小时内"]),
        ("（6）", "（6）", "加强暑期托管服务", True, [], [], []),
        ("（7）", "（7）", "严防学生溺水事故", True, [], [], []),
        ("（8）", "（8）", "做好开学准备工作", True, [], [], ["2025-08-28"]),
    ]


def test_crlf_text_with_red_header_running_header_and_page_footers(data_dir):
    """CRLF line ends; ``××大学文件`` red header repeated as a running header; ``- 2 -`` page
    footers, one inside a wrapped paragraph; a 文号 with ``××``."""
    doc = _doc(data_dir, "gen_crlf_running_header.txt")
    assert _meta(doc) == (
        "××大学关于加强本科教学质量保障体系建设的实施意见",
        "××大学",
        "××大校发〔2024〕18号",
        dt.date(2024, 6, 12),
    )
    assert _rows(doc) == [
        ("一、", "一", "指导思想", False, [], [], []),
        ("二、", "二", "主要任务", False, [], [], []),
        ("（一）", "二/（一）", "完善质量标准体系", True, [], [], ["2024-09-30"]),
        ("（二）", "二/（二）", "健全教学督导制度", True, [], [], ["semester"]),
        (
            "（三）",
            "二/（三）",
            "加强课堂教学质量监控",
            True,
            [],
            [],
            ["semester", "semester"],
        ),
        ("（四）", "二/（四）", "开展专业认证与评估", True, [], [], []),
        ("（五）", "二/（五）", "发布本科教学质量报告", True, [], [], ["2024-11-30"]),
        ("三、", "三", "组织保障", False, [], [], []),
        ("（一）", "三/（一）", "加强组织领导", True, [], [], []),
        ("（二）", "三/（二）", "强化结果运用", True, [], [], []),
    ]
    text = "\n".join(it.text for it in doc.items)
    assert "××大学文件" not in text and "- 3 -" not in text and "\r" not in text
    assert "资源配置挂钩" in text


def test_ordinal_paragraph_starts_are_not_items(data_dir):
    """``第一，…`` / ``第二，…`` paragraphs inside a ``（一）`` stay in its text; 重要意义 is
    context."""
    doc = _doc(data_dir, "gen_ordinal_paragraphs.txt")
    assert _meta(doc) == (
        "某某省教育厅关于进一步加强中小学生心理健康工作的意见",
        "某某省教育厅",
        "",
        dt.date(2024, 11, 8),
    )
    assert _rows(doc) == [
        ("一、", "一", "充分认识加强学生心理健康工作的重要意义", False, [], [], []),
        ("二、", "二", "重点任务", False, [], [], []),
        (
            "（一）",
            "二/（一）",
            "健全心理健康教育课程体系",
            True,
            [],
            [],
            ["2024-05-31"],
        ),
        (
            "（二）",
            "二/（二）",
            "强化心理健康监测预警",
            True,
            [],
            [],
            ["yearly"],
        ),
        (
            "（三）",
            "二/（三）",
            "加强心理健康教师队伍建设",
            True,
            [],
            [],
            ["2025-12-31"],
        ),
        ("三、", "三", "保障措施", True, [], [], []),
    ]
    assert "第二，加强学科教学渗透" in doc.items[2].text


def test_fullwidth_dot_items_with_bracketed_headings(data_dir):
    """``1．【加强党的领导】…``: the bracketed words are the heading, also when the item ends
    with a ``（责任单位：…）`` annotation; the closing paragraph after item 16, set off by a
    blank line, is the document's, not item 16's (its deadline stays off the item)."""
    doc = _doc(data_dir, "gen_bracket_headings.txt")
    assert _meta(doc) == (
        "某某学院2025年党建工作计划",
        "中共某某学院委员会",
        "",
        dt.date(2025, 1, 15),
    )
    assert _rows(doc) == [
        ("一、", "一", "强化政治引领", False, [], [], []),
        ("1．", "一/1", "加强党的领导", True, [], [], ["2025-03-31"]),
        ("2．", "一/2", "深化理论武装", True, ["党委宣传部"], [], []),
        ("3．", "一/3", "落实意识形态工作责任制", True, [], [], ["semester"]),
        ("二、", "二", "夯实基层基础", False, [], [], []),
        (
            "4．",
            "二/4",
            "推进党支部标准化规范化建设",
            True,
            ["党委组织部"],
            [],
            ["2025-11-30"],
        ),
        ("5．", "二/5", "加强党员教育管理", True, [], [], []),
        ("6．", "二/6", "做好发展党员工作", True, [], [], []),
        ("三、", "三", "持续正风肃纪", False, [], [], []),
        ("7．", "三/7", "加强廉洁文化建设", True, ["纪委办公室"], [], ["quarterly"]),
        ("8．", "三/8", "强化监督执纪问责", True, [], [], []),
        ("四、", "四", "加强干部人才队伍建设", False, [], [], []),
        ("9．", "四/9", "优化干部队伍结构", True, ["党委组织部"], [], ["2025-07-31"]),
        ("10．", "四/10", "加强年轻干部培养", True, [], [], []),
        ("11．", "四/11", "完善人才引育机制", True, ["人事处"], [], []),
        ("五、", "五", "推进党建与业务深度融合", False, [], [], []),
        ("12．", "五/12", "开展“党建+”示范创建", True, [], [], ["2025-10-31"]),
        ("13．", "五/13", "强化基层党组织战斗堡垒作用", True, [], [], []),
        ("14．", "五/14", "加强统一战线工作", True, ["党委统战部"], [], []),
        ("六、", "六", "加强组织保障", False, [], [], []),
        ("15．", "六/15", "压实党建工作责任", True, [], [], []),
        ("16．", "六/16", "健全考核评价机制", True, [], [], []),
    ]


def test_notice_with_inline_ordinals_contact_and_attachment_list(data_dir):
    """``一是…二是…`` inline stays in the item; ``联系人：…，电话：…`` is not item text;
    the ``附件：1.… / 2.…`` list yields no items."""
    doc = _doc(data_dir, "gen_notice_attachments.txt")
    assert _meta(doc) == (
        "教育部办公厅关于开展2025年度高校毕业生就业创业典型案例征集工作的通知",
        "教育部办公厅",
        "教高厅函〔2025〕12号",
        dt.date(2025, 3, 20),
    )
    assert _rows(doc) == [
        ("一、", "一", "征集内容", True, [], [], []),
        ("二、", "二", "报送要求", True, [], [], ["2025-05-31"]),
        ("三、", "三", "工作要求", True, [], [], []),
    ]
    last = doc.items[-1].text
    assert "010-12345678" not in last and "张三" not in last and "汇总表" not in last


# --------------------------------------------------------------------------- Word numbering


def _abstract(aid: int, fmt: str, text: str):
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    )


def _num(nid: int, aid: int, *, restart: bool = False):
    over = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    return parse_xml(f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{over}</w:num>')


# (numId, text): 91 = "一、" list; 92 = "（一）" list; 93 = the same "（一）" list restarted.
WORD_LINES = [
    (None, "某某大学关于开展2025年度实验室安全检查工作的通知"),
    (None, "各学院、各有关单位："),
    (
        None,
        (
            "为切实加强实验室安全管理，有效防范实验室安全事故，学校决定开展2025年度实验室"
            "安全检查工作。现将有关事项通知如下。"
        ),
    ),
    (91, "检查范围"),
    (None, "学校所有开展教学、科研活动的实验室、实验场所及危险化学品储存场所。"),
    (91, "检查内容"),
    (
        92,
        "安全责任体系。检查各单位实验室安全责任制落实情况，安全管理制度建设和执行情况。",
    ),
    (
        92,
        "危险化学品管理。检查危险化学品采购、储存、使用和废弃物处置情况，建立危险化学品台账。",
    ),
    (92, "仪器设备安全。重点检查特种设备、高温高压设备的使用和维护保养情况。"),
    (91, "工作安排"),
    (
        93,
        "自查阶段。各学院于2025年4月30日前完成自查，形成自查报告报实验室与设备管理处。",
    ),
    (93, "抽查阶段。学校于2025年5月组织专家组进行抽查，对发现的问题下达整改通知书。"),
    (93, "整改阶段。各单位要在收到整改通知书后15个工作日内完成整改并报送整改情况。"),
    (None, "附件：实验室安全检查重点项目表"),
    (None, "某某大学"),
    (None, "2025年3月15日"),
]


def _word_numbered_docx() -> bytes:
    doc = Document()
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for el in (
        _abstract(91, "chineseCounting", "%1、"),
        _abstract(92, "chineseCounting", "（%1）"),
    ):
        if first_num is not None:
            first_num.addprevious(el)  # abstractNum elements precede num elements
        else:
            numbering.append(el)
    for el in (_num(91, 91), _num(92, 92), _num(93, 92, restart=True)):
        numbering.append(el)
    for num_id, text in WORD_LINES:
        p = doc.add_paragraph(text)
        if num_id:
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    table = doc.add_table(rows=3, cols=3)
    cells = [
        ("序号", "检查项目", "责任单位"),
        ("1", "危险化学品", "实验室与设备管理处"),
        ("2", "特种设备", "保卫处"),
    ]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_with_word_automatic_numbering():
    """``一、`` and ``（一）`` come from Word numbering (numPr → numbering.xml), with the
    ``（一）`` list restarted by a second w:num (startOverride); the Word table is no item."""
    result = parse_file(_word_numbered_docx(), "通知.docx")
    (doc,) = result.documents
    assert _meta(doc) == (
        "某某大学关于开展2025年度实验室安全检查工作的通知",
        "某某大学",
        "",
        dt.date(2025, 3, 15),
    )
    assert _rows(doc) == [
        ("一、", "一", "检查范围", True, [], [], []),
        ("二、", "二", "检查内容", False, [], [], []),
        ("（一）", "二/（一）", "安全责任体系", True, [], [], []),
        ("（二）", "二/（二）", "危险化学品管理", True, [], [], []),
        ("（三）", "二/（三）", "仪器设备安全", True, [], [], []),
        ("三、", "三", "工作安排", False, [], [], []),
        ("（一）", "三/（一）", "自查阶段", True, [], [], ["2025-04-30"]),
        ("（二）", "三/（二）", "抽查阶段", True, [], [], ["2025-05-31"]),
        (
            "（三）",
            "三/（三）",
            "整改阶段",
            True,
            [],
            [],
            ["收到整改通知书后15个工作日内"],
        ),
    ]


def test_unnumbered_notice_rows_are_actionable_paragraphs(data_dir):
    """A notice without any numbering: each paragraph naming an actor with a modal verb or a
    deadline is a row (label ``""``, path ``¶N``); the lead-in, an informative sentence,
    boilerplate, contact and attachment lines are not."""
    doc = _doc(data_dir, "gen_unnumbered_notice.txt")
    assert _meta(doc) == (
        "某某大学关于做好2025年寒假学生离校返乡工作的通知",
        "学生工作部",
        "校学〔2025〕2号",
        dt.date(2025, 1, 6),
    )
    assert _rows(doc) == [
        ("", "¶1", "", True, [], [], ["2025-01-10"]),
        ("", "¶2", "", True, [], [], []),
        ("", "¶3", "", True, [], [], ["2025-01-22"]),
    ]
    assert doc.items[1].text.startswith("学生离校前须办理")


def test_notice_with_cell_per_line_table_inside_an_item(data_dir):
    """A table flattened one cell per line inside item 3 (``序号`` / ``任务`` / … / ``1`` /
    ``优质均衡创建`` …) neither turns the notice into a "table" block nor leaks into the item;
    the prose after the table is the item's text again."""
    doc = _doc(data_dir, "gen_cell_table_notice.txt")
    assert _meta(doc) == (
        "某某市教育局关于印发2025年教育督导工作要点的通知",
        "某某市教育局",
        "",
        dt.date(2025, 2, 20),
    )
    assert _rows(doc) == [
        ("一、", "一", "加强督导体制机制建设", False, [], [], []),
        ("1.", "一/1", "完善督导机构设置", True, [], [], ["2025-06-30"]),
        ("2.", "一/2", "健全督导问责机制", True, [], [], []),
        ("二、", "二", "开展重点领域督导", False, [], [], []),
        ("3.", "二/3", "开展义务教育优质均衡督导评估", True, [], [], ["2025-11-15"]),
        ("4.", "二/4", "开展校外培训机构专项督导", True, [], [], []),
        ("三、", "三", "强化督导结果运用", False, [], [], []),
        ("5.", "三/5", "及时公开督导报告", True, [], [], ["督导报告形成后30日内"]),
        ("6.", "三/6", "强化整改复查", True, [], [], ["quarterly"]),
    ]
    assert doc.items[4].text == (
        "开展义务教育优质均衡督导评估。重点任务如下表：\n"
        "各区要对照上表抓好落实，确保按时完成创建任务，相关材料于11月15日前报市教育督导室。"
    )


def test_run_in_titles_set_off_by_a_space(data_dir):
    """``1.加强干部队伍建设 修订…，…。（责任单位：…）``: a bold run-in title whose formatting
    was lost, separated from the body by a space, is the heading."""
    doc = _doc(data_dir, "gen_runin_titles.txt")
    assert _meta(doc) == ("某某大学2025年工作要点", "某某大学", "", None)
    assert _rows(doc) == [
        ("一、", "一", "全面加强党的建设", False, [], [], []),
        (
            "1.",
            "一/1",
            "深入学习贯彻党的二十届三中全会精神",
            True,
            ["党委宣传部"],
            [],
            [],
        ),
        ("2.", "一/2", "加强干部队伍建设", True, ["党委组织部"], [], ["2025-06-30"]),
        ("3.", "一/3", "持之以恒正风肃纪", True, ["纪委办公室"], [], []),
        ("二、", "二", "提高人才培养质量", False, [], [], []),
        ("4.", "二/4", "深化本科教育教学改革", True, ["教务处"], [], ["2025-12-31"]),
        (
            "5.",
            "二/5",
            "推进研究生教育综合改革",
            True,
            ["研究生院"],
            [],
            ["2025-09-30"],
        ),
        ("三、", "三", "增强科技创新能力", False, [], [], []),
        (
            "6.",
            "三/6",
            "加强重大科研平台建设",
            True,
            ["科学技术研究院"],
            ["发展规划处"],
            [],
        ),
    ]


def test_red_masthead_is_not_the_title(data_dir):
    """``某某省教育厅文件`` above the 文号 is the masthead (版头) of a one-page notice: the
    title is the ``关于…的通知`` line."""
    doc = _doc(data_dir, "gen_masthead_notice.txt")
    assert _meta(doc) == (
        "某某省教育厅关于开展2025年本科教学工作检查的通知",
        "某某省教育厅",
        "某教高〔2025〕3号",
        dt.date(2025, 4, 1),
    )
    assert _rows(doc) == [
        ("一、", "一", "检查内容", True, [], [], ["2025-05-31"]),
        ("二、", "二", "检查方式", True, [], [], ["2025-06-30"]),
        ("三、", "三", "有关要求", True, [], [], ["结束后1个月内"]),
    ]
    assert "王老师" not in doc.items[-1].text


def test_short_titles_closed_by_a_colon(data_dir):
    """``（一）全面覆盖：各学校要…``: the words before the colon are the heading when a body
    sentence follows; a lead-in ``主要措施如下：`` keeps its ``1.`` list as a checklist; the
    signature date is written in Chinese numerals."""
    doc = _doc(data_dir, "gen_colon_titles.txt")
    assert _meta(doc) == (
        "某某市教育局关于加强中小学课后服务工作的通知",
        "某某市教育局",
        "",
        dt.date(2025, 3, 10),
    )
    assert _rows(doc) == [
        ("一、", "一", "工作要求", False, [], [], []),
        ("（一）", "一/（一）", "全面覆盖", True, [], [], []),
        ("（二）", "一/（二）", "保证时长", True, [], [], ["2025-09-01"]),
        ("（三）", "一/（三）", "丰富内容", True, [], [], []),
        ("二、", "二", "保障措施", False, [], [], []),
        ("（一）", "二/（一）", "经费保障", True, [], [], []),
        ("（二）", "二/（二）", "督导检查", True, [], [], []),
        ("（三）", "二/（三）", "", True, [], [], []),
        ("1.", "二/（三）/1", "", False, [], [], []),
        ("2.", "二/（三）/2", "", False, [], [], []),
    ]


def test_plan_with_chapters_sections_and_prose_sections(data_dir):
    """规划: 第X章 > 第X节 > 一、; 发展基础/主要成就/面临形势/总体要求 are context; a 节
    written as prose without numbered items is itself a row."""
    doc = _doc(data_dir, "gen_plan_chapters.txt")
    assert _meta(doc) == ("某某省“十五五”教育发展规划", "", "", None)
    assert _rows(doc) == [
        ("第一章", "第一章", "发展基础", False, [], [], []),
        ("第一节", "第一章/第一节", "主要成就", False, [], [], []),
        ("第二节", "第一章/第二节", "面临形势", False, [], [], []),
        ("第二章", "第二章", "总体要求", False, [], [], []),
        ("第一节", "第二章/第一节", "指导思想", False, [], [], []),
        ("第二节", "第二章/第二节", "主要目标", False, [], [], ["2030-12-31"]),
        ("第三章", "第三章", "重点任务", False, [], [], []),
        ("第一节", "第三章/第一节", "推进基础教育扩优提质", False, [], [], []),
        (
            "一、",
            "第三章/第一节/一",
            "扩大优质学前教育资源",
            True,
            [],
            [],
            ["2027-12-31"],
        ),
        ("二、", "第三章/第一节/二", "推进义务教育优质均衡", True, [], [], ["yearly"]),
        ("第二节", "第三章/第二节", "建设高质量高等教育体系", False, [], [], []),
        ("一、", "第三章/第二节/一", "推进“双一流”建设", True, [], [], []),
        ("二、", "第三章/第二节/二", "优化高校布局结构", True, [], [], ["2028-12-31"]),
        (
            "第三节",
            "第三章/第三节",
            "建设高素质专业化教师队伍",
            True,
            [],
            [],
            ["2028-12-31"],
        ),
        ("第四章", "第四章", "保障措施", False, [], [], []),
        ("一、", "第四章/一", "加强党的领导", True, [], [], []),
        ("二、", "第四章/二", "加大经费投入", True, [], [], []),
    ]
    prose = doc.items[13]
    assert prose.text.startswith("建设高素质专业化教师队伍\n实施新时代强师工程")


def test_state_council_opinion_with_prose_responsibility_brackets(data_dir):
    """国办 意见 copied from the web (paragraphs indented with U+3000, right-aligned
    signature): continuous ``（一）…（七）`` across sections, 总体要求 items are context, and
    ``（X牵头，Y等按职责分工负责）`` / ``（X、Y按职责分工负责）`` brackets are the units."""
    doc = _doc(data_dir, "gen_state_council_opinion.txt")
    assert _meta(doc) == (
        "国务院办公厅关于进一步加强高校毕业生就业工作的意见",
        "国务院办公厅",
        "国办发〔2025〕9号",
        dt.date(2025, 3, 5),
    )
    assert _rows(doc) == [
        ("一、", "一", "总体要求", False, [], [], []),
        ("（一）", "一/（一）", "指导思想", False, [], [], []),
        ("（二）", "一/（二）", "基本原则", False, [], [], []),
        ("二、", "二", "拓宽就业渠道", False, [], [], []),
        (
            "（三）",
            "二/（三）",
            "扩大企业吸纳就业规模",
            True,
            ["人力资源社会保障部"],
            ["教育部"],
            ["2025-08-31"],
        ),
        (
            "（四）",
            "二/（四）",
            "稳定公共部门岗位规模",
            True,
            ["中央组织部", "人力资源社会保障部"],
            ["各省级人民政府"],
            [],
        ),
        ("三、", "三", "强化就业服务", False, [], [], []),
        (
            "（五）",
            "三/（五）",
            "加强就业指导",
            True,
            ["教育部"],
            ["人力资源社会保障部"],
            ["yearly"],
        ),
        (
            "（六）",
            "三/（六）",
            "做好困难群体帮扶",
            True,
            ["民政部"],
            ["教育部", "人力资源社会保障部"],
            [],
        ),
        ("四、", "四", "加强组织保障", False, [], [], []),
        (
            "（七）",
            "四/（七）",
            "压实工作责任",
            True,
            ["人力资源社会保障部"],
            ["教育部"],
            [],
        ),
    ]
    assert doc.items[-1].text == "压实工作责任。各地区各部门要把高校毕业生就业作为“一把手”工程。"


def test_label_variants_with_trailing_separators(data_dir):
    """``一、 标题`` (space after the label), ``（一）、标题`` (a stray 、 after the bracket) and
    ``1、``: the separator belongs to the label, not to the heading."""
    doc = _doc(data_dir, "gen_label_variants.txt")
    assert _meta(doc) == (
        "某某区教育局关于加强校园食品安全管理的通知",
        "某某区教育局",
        "",
        dt.date(2025, 2, 18),
    )
    assert _rows(doc) == [
        ("一、", "一", "落实主体责任", False, [], [], []),
        ("（一）、", "一/（一）", "严格校长负责制", True, [], [], ["monthly"]),
        ("（二）、", "一/（二）", "建立食品安全员制度", True, [], [], []),
        ("二、", "二", "加强过程管控", False, [], [], []),
        ("1、", "二/1", "严格原料采购", True, [], [], []),
        ("2、", "二/2", "规范加工制作", True, [], [], ["daily"]),
        ("3、", "二/3", "做好留样工作", True, [], [], []),
        ("三、", "三", "强化监督检查", True, [], [], ["semester"]),
    ]


def test_rectification_plan_with_problem_blocks(data_dir):
    """``问题一：…`` / ``整改措施：…`` / ``责任单位：…`` / ``完成时限：…`` blocks without any
    ``1.`` numbering: each 问题 is a row (label kind ``block``) with its own units and
    deadlines.  (Under a ``1.`` item, ``问题1：`` restating the item's number stays text — see
    the other rectification tests.)"""
    doc = _doc(data_dir, "gen_rectification_blocks.txt")
    assert _meta(doc) == (
        "某某大学关于审计反馈问题的整改方案",
        "中共某某大学委员会",
        "",
        dt.date(2024, 12, 20),
    )
    assert _rows(doc) == [
        ("一、", "一", "整改任务", False, [], [], []),
        (
            "问题一：",
            "一/问题一",
            "部分基建项目结算审核不及时，存在超概算现象",
            True,
            ["基建处"],
            ["审计处", "财务处"],
            ["2025-06-30"],
        ),
        (
            "问题二：",
            "一/问题二",
            "个别二级单位公务接待管理不规范",
            True,
            ["党委办公室"],
            ["校长办公室"],
            ["quarterly", "2025-03-31"],
        ),
        (
            "问题三：",
            "一/问题三",
            "国有资产管理存在账实不符情况",
            True,
            ["国有资产管理处"],
            [],
            ["2025-09-30"],
        ),
        ("二、", "二", "保障措施", True, [], [], []),
    ]


# --------------------------------------------------------------------------- hard wraps

# A wrap at a fixed width loses the space that sets off a run-in title.
_WRAP_LOSES_SPACE = {"gen_runin_titles.txt"}


def _wrap(line: str, width: int) -> list[str]:
    out, cur, w = [], "", 0
    for ch in line:
        cw = 1 if ch.isascii() else 2
        if w + cw > width:
            out.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    return [*out, cur] if cur else [""]


def _summary(result) -> list:
    return [(d.title, d.doc_number, _rows(d)) for d in result.documents]


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (Path(__file__).parent / "data").glob("gen_*.txt") if p.name not in _WRAP_LOSES_SPACE),
)
def test_hard_wrapped_text_and_pdf_give_the_same_items(data_dir, name):
    """The same document hard-wrapped at 20 characters — as plain text and as a PDF with
    page breaks every 14 lines — gives the same documents and items."""
    text = (data_dir / name).read_text(encoding="utf-8").replace("\r\n", "\n")
    reference = _summary(parse_text(text))
    lines = [part for line in text.splitlines() for part in _wrap(line, 40)]
    assert _summary(parse_text("\n".join(lines))) == reference
    pdf = make_text_pdf(lines, lines_per_page=14)
    assert _summary(parse_file(pdf, name.replace(".txt", ".pdf"))) == reference


# --------------------------------------------------------------------------- web pages


def test_government_site_html_page_gives_the_same_items(data_dir):
    """A gov.cn-style HTML page: <head> title with the site name, breadcrumb, the information
    box table (索引号 / 发文机关 / 标题 / 发文字号 …), paragraphs in <p>, ICP footer — the
    same document and items as the plain text."""
    text = (data_dir / "gen_state_council_opinion.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    paras = "\n".join(f'<p style="text-indent:2em">{ln}</p>' for ln in lines[1:] if ln)
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{lines[0]}_国务院文件_中国政府网</title>"
        '<script>var s = "一、不是条目";</script></head><body>'
        '<div class="nav"><a href="/">首页</a> &gt; <a>政策</a> &gt; <a>国务院文件</a></div>'
        "<table><tr><td>索 引 号：</td><td>000014349/2025-00012</td>"
        "<td>主题分类：</td><td>劳动、人事、监察\\就业</td></tr>"
        "<tr><td>发文机关：</td><td>国务院办公厅</td>"
        "<td>成文日期：</td><td>2025年03月05日</td></tr>"
        f"<tr><td>标  题：</td><td>{lines[0]}</td></tr>"
        "<tr><td>发文字号：</td><td>国办发〔2025〕9号</td>"
        "<td>发布日期：</td><td>2025年03月08日</td></tr></table>"
        f"<h1>{lines[0]}</h1>{paras}"
        '<div class="footer">版权所有：中国政府网 &nbsp; 京ICP备05070218号</div>'
        "</body></html>"
    )
    got = parse_file(html.encode("utf-8"), "content.html")
    assert _summary(got) == _summary(parse_text(text))


def test_numbered_attachment_lines_are_not_item_text(data_dir):
    """``附件1：… / 附件2：… / 附件3：…`` after the last item are the attachment list."""
    doc = _doc(data_dir, "gen_numbered_attachment_lines.txt")
    assert _meta(doc) == (
        "某某省教育厅关于组织申报2025年省级教学成果奖的通知",
        "某某省教育厅",
        "",
        dt.date(2025, 4, 10),
    )
    assert _rows(doc) == [
        ("一、", "一", "申报范围", True, [], [], []),
        ("二、", "二", "申报材料", True, [], [], ["2025-05-20"]),
    ]
    assert doc.items[-1].text.endswith("报送省教育厅高教处。")


def test_closing_paragraph_is_not_the_last_items_text(data_dir):
    doc = _doc(data_dir, "gen_bracket_headings.txt")
    assert doc.items[-1].text == ("【健全考核评价机制】将党建工作考核结果作为领导班子和领导干部年度考核的重要依据。")
    assert "于2025年2月28日前报党委组织部" in doc.body
