"""Document shapes that the five seeds do not have (files in ``data/``, written for these tests).

Each test asserts the full item list: label, path, heading and requirement flag, plus the
units and deadlines where the shape is about them.
"""

from __future__ import annotations

from pathlib import Path

from compliance.parsing import parse_file


def _parse(data_dir: Path, name: str):
    path = data_dir / name
    return parse_file(path.read_bytes(), path.name)


def _rows(doc) -> list[tuple[str, list[str], str, bool]]:
    return [(it.label, it.path, it.heading, it.is_requirement) for it in doc.items]


def test_university_work_points_with_arabic_top_level(data_dir):
    """年度工作要点 whose top level is ``1.`` with ``（1）`` children; the unnumbered
    总体思路 paragraph is not an item; ``4.`` without children is itself a row."""
    result = _parse(data_dir, "univ_work_points.txt")
    (doc,) = result.documents
    assert (doc.title, doc.issuer, doc.date) == (
        "华东某某大学2024年工作要点",
        "华东某某大学",
        None,
    )
    assert _rows(doc) == [
        ("1.", ["1"], "全面加强党的建设", False),
        ("（1）", ["1", "（1）"], "深入学习贯彻党的二十大精神", True),
        ("（2）", ["1", "（2）"], "加强基层党组织建设", True),
        ("（3）", ["1", "（3）"], "持之以恒正风肃纪", True),
        ("2.", ["2"], "提高人才培养质量", False),
        ("（1）", ["2", "（1）"], "深化本科教育教学改革", True),
        ("（2）", ["2", "（2）"], "推进研究生教育改革", True),
        ("3.", ["3"], "增强科技创新能力", False),
        ("（1）", ["3", "（1）"], "加强重大平台建设", True),
        ("（2）", ["3", "（2）"], "促进科技成果转化", True),
        ("（3）", ["3", "（3）"], "繁荣哲学社会科学", True),
        ("4.", ["4"], "深化综合改革", True),
    ]
    units = [(it.lead_units, it.co_units) for it in doc.items if it.is_requirement]
    assert units[0] == (["党委宣传部"], ["党委办公室"])
    assert units[-1] == (["发展规划处"], [])
    # The year of the title resolves deadlines without a year.
    dates = {
        it.path[-1] if it.level == 1 else "/".join(it.path): [d.date.isoformat() for d in it.deadlines if d.date]
        for it in doc.items
        if it.deadlines
    }
    assert dates == {
        "1/（2）": ["2024-03-31"],
        "2/（2）": ["2024-06-30"],
        "4": ["2024-12-31"],
    }
    assert "（责任单位" not in doc.items[1].text


def test_regulation_with_parts_chapters_sections_and_circled_items(data_dir):
    """第X编 > 第X章 > 第X节 > 第X条; ``①②③`` inside an article (inline or one per line)
    stay with the article; a 第一节 first seen after 第一条 still ranks above the articles."""
    (doc,) = _parse(data_dir, "regulation_book.txt").documents
    assert doc.title == "某某大学学术委员会章程实施细则"
    assert _rows(doc) == [
        ("第一编", ["第一编"], "总则", False),
        ("第一章", ["第一编", "第一章"], "一般规定", False),
        ("第一条", ["第一编", "第一章", "第一条"], "", True),
        ("第二条", ["第一编", "第一章", "第二条"], "", True),
        ("第二章", ["第一编", "第二章"], "基本原则", False),
        # An article is a row even in a chapter called 基本原则.
        ("第三条", ["第一编", "第二章", "第三条"], "", True),
        ("第二编", ["第二编"], "组织与职责", False),
        ("第三章", ["第二编", "第三章"], "组成", False),
        ("第一节", ["第二编", "第三章", "第一节"], "委员", False),
        ("第四条", ["第二编", "第三章", "第一节", "第四条"], "", True),
        ("第五条", ["第二编", "第三章", "第一节", "第五条"], "", True),
        ("①", ["第二编", "第三章", "第一节", "第五条", "①"], "", False),
        ("②", ["第二编", "第三章", "第一节", "第五条", "②"], "", False),
        ("③", ["第二编", "第三章", "第一节", "第五条", "③"], "", False),
        ("第二节", ["第二编", "第三章", "第二节"], "主任委员", False),
        ("第六条", ["第二编", "第三章", "第二节", "第六条"], "", True),
        ("第四章", ["第二编", "第四章"], "职责", False),
        ("第七条", ["第二编", "第四章", "第七条"], "", True),
        ("（一）", ["第二编", "第四章", "第七条", "（一）"], "", False),
        ("（二）", ["第二编", "第四章", "第七条", "（二）"], "", False),
        ("（三）", ["第二编", "第四章", "第七条", "（三）"], "", False),
        ("第八条", ["第二编", "第四章", "第八条"], "", True),
        ("第三编", ["第三编"], "附则", False),
        ("第九条", ["第三编", "第九条"], "", True),
        ("第十条", ["第三编", "第十条"], "", True),
    ]
    third = doc.items[5]
    assert "①坚持学术自由与学术规范相统一；②坚持民主集中制；③" in third.text
    assert [d.date.isoformat() for d in doc.items[-1].deadlines] == ["2024-09-01"]


def test_inline_yishi_ershi_enumeration_gives_no_rows(data_dir):
    """``一是…二是…三是`` inside a section paragraph: one row per section, nothing more."""
    (doc,) = _parse(data_dir, "inline_enumeration_notice.txt").documents
    assert (doc.issuer, doc.doc_number, doc.date.isoformat()) == (
        "某某省教育厅",
        "某教办〔2024〕18号",
        "2024-08-15",
    )
    assert _rows(doc) == [
        ("一、", ["一"], "切实做好校园安全工作", True),
        ("二、", ["二"], "扎实做好新生入学工作", True),
        ("三、", ["三"], "着力做好家庭经济困难学生资助工作", True),
        ("四、", ["四"], "加强组织领导", True),
    ]
    first = doc.items[0]
    assert "一是开展安全隐患排查" in first.text and "三是严格校园出入管理" in first.text
    assert [d.date.isoformat() for d in first.deadlines] == ["2024-08-25"]


def test_plan_with_flattened_task_table_gives_no_garbage(data_dir):
    """A notice, its plan (linked by the quoted title) and a 任务分解表 flattened one cell
    per line: notice and plan are one document (the plan, with the notice's 文号); the table
    is skipped and listed, its month-only 完成时限 cells open no documents."""
    result = _parse(data_dir, "plan_with_task_table.txt")
    (plan,) = result.documents
    assert (plan.title, plan.kind, plan.issuer, plan.doc_number) == (
        "一流学科建设实施方案",
        "normative",
        "某某学院",
        "某院发〔2024〕5号",
    )
    assert _rows(plan) == [
        ("一、", ["一"], "建设目标", False),
        ("二、", ["二"], "主要任务", False),
        ("（一）", ["二", "（一）"], "加强学科队伍建设", True),
        ("（二）", ["二", "（二）"], "提升科学研究水平", True),
        ("（三）", ["二", "（三）"], "提高人才培养质量", True),
        ("三、", ["三"], "保障措施", False),
        ("（一）", ["三", "（一）"], "加强组织领导", True),
        ("（二）", ["三", "（二）"], "加大经费投入", True),
    ]
    assert [(s["title"], s["reason"], s["reason_label"]) for s in result.skipped] == [
        ("一流学科建设任务分解表", "table", "表格")
    ]
    assert "人事处" not in " ".join(it.text for it in plan.items)


def test_parts_as_top_level(data_dir):
    """``第一部分 …`` sections with ``一、`` items; 第一部分 (现状) has no rows."""
    (doc,) = _parse(data_dir, "parts_top_level.txt").documents
    assert doc.title == "某某大学“十四五”校园建设规划"
    assert _rows(doc) == [
        ("第一部分", ["第一部分"], "发展基础", False),
        ("第二部分", ["第二部分"], "主要任务", False),
        ("一、", ["第二部分", "一"], "完善校园功能布局", True),
        ("二、", ["第二部分", "二"], "加快重点项目建设", True),
        ("三、", ["第二部分", "三"], "推进智慧校园建设", True),
        ("第三部分", ["第三部分"], "保障措施", False),
        ("一、", ["第三部分", "一"], "加强组织保障", True),
        ("二、", ["第三部分", "二"], "强化资金保障", True),
    ]
    assert doc.items[0].text.startswith("发展基础")


def test_pdf_text_with_page_numbers_and_running_header(data_dir):
    """Hard-wrapped PDF text, ``— 1 —`` footers and a running header on every later page
    (one page break falls inside an item's unit annotation)."""
    (doc,) = _parse(data_dir, "pdf_page_furniture.txt").documents
    assert (doc.title, doc.issuer, doc.doc_number, doc.date.isoformat()) == (
        "某某市人民政府办公厅关于进一步加强城市内涝治理工作的实施意见",
        "某某市人民政府办公厅",
        "某府办发〔2023〕21号",
        "2023-06-12",
    )
    assert _rows(doc) == [
        ("一、", ["一"], "总体要求", False),
        ("二、", ["二"], "重点任务", False),
        ("（一）", ["二", "（一）"], "实施河湖水系和生态空间治理", True),
        ("（二）", ["二", "（二）"], "实施排水管网和泵站建设", True),
        ("（三）", ["二", "（三）"], "加强排涝通道建设", True),
        ("（四）", ["二", "（四）"], "提升应急管理能力", True),
        ("三、", ["三"], "保障措施", False),
        ("（一）", ["三", "（一）"], "加强组织领导", True),
        ("（二）", ["三", "（二）"], "加大资金支持", True),
    ]
    units = [(it.lead_units, it.co_units) for it in doc.items if it.is_requirement]
    assert units[:4] == [
        (["市水利局"], ["市规划自然资源局", "各区县政府"]),
        (["市住房城乡建委"], ["各区县政府"]),
        (["市城市管理局"], []),
        (["市应急局"], ["市气象局"]),
    ]
    text = "".join(it.text for it in doc.items)
    assert "文件" not in text and "—" not in text
    assert "明确时间表、路线图" in doc.items[7].text  # wrap joined across the break


def test_docx_with_a_word_table_inside_an_item(data_dir):
    """A real Word table of tasks under ``具体安排如下表：`` (阶段 | 工作内容 | 完成时限): one item
    per row under the item that introduces it, its 完成时限 cell the row's deadline; cells
    such as ``1.各学院…`` make no items of their own."""
    (doc,) = _parse(data_dir, "notice_with_word_table.docx").documents
    assert (doc.title, doc.issuer, doc.doc_number, doc.date.isoformat()) == (
        "某某大学关于开展2024年实验室安全专项检查的通知",
        "某某大学",
        "校发〔2024〕12号",
        "2024-05-08",
    )
    assert _rows(doc) == [
        ("一、", ["一"], "检查范围", True),
        ("二、", ["二"], "检查安排", False),
        ("1", ["二", "1"], "自查阶段", True),
        ("2", ["二", "2"], "抽查阶段", True),
        ("3", ["二", "3"], "整改阶段", True),
        ("三、", ["三"], "工作要求", False),
        ("（一）", ["三", "（一）"], "高度重视", True),
        ("（二）", ["三", "（二）"], "认真整改", True),
    ]
    assert doc.items[1].text == "检查安排\n检查分三个阶段进行，具体安排如下表："
    assert doc.items[2].text == "1.各学院对照检查清单开展自查；2.建立问题台账。"
    assert [[d.date.isoformat() for d in it.deadlines] for it in doc.items[2:5]] == [
        ["2024-05-31"],
        ["2024-06-30"],
        ["2024-07-15"],
    ]
