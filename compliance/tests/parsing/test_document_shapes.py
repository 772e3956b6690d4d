"""More document shapes as text: university work points, an implementation plan, a notice with
two attachments, an amended law, a decree in a web copy, a ministry order, interim rules with a
web page's header, a trial regulation.  No database.

Item lists are ``(label, path, heading, is_requirement, lead_units, co_units, deadlines)``
where a deadline is its ISO date, else its recurrence, else its text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compliance.parsing import parse_file


def _result(data_dir: Path, name: str):
    path = data_dir / name
    return parse_file(path.read_bytes(), path.name)


def _deadline(d) -> str:
    return d.date.isoformat() if d.date else (d.recurrence or d.text)


def _rows(doc) -> list[tuple]:
    return [
        (it.label, "/".join(it.path), it.heading, it.is_requirement, it.lead_units, it.co_units,
         [_deadline(d) for d in it.deadlines])
        for it in doc.items
    ]  # fmt: skip


def _meta(doc) -> tuple:
    return (doc.title, doc.issuer, doc.doc_number, doc.date)


def test_university_work_points_with_annotations(data_dir):
    """一、 sections with ``1．`` points numbered on, each closed by its units in brackets; the
    title's year dates ``6月底前`` and ``年内``."""
    (doc,) = _result(data_dir, "gen_univ_work_points_annotated.txt").documents
    assert _meta(doc) == ("东方大学2025年工作要点", "东方大学", "", None)
    assert _rows(doc) == [
        ("一、", "一", "坚持党的全面领导，加强政治建设", False, [], [], []),
        ("1．", "一/1", "深入学习贯彻党的二十大精神", True, ["党委宣传部"], ["党委组织部"], ["quarterly"]),
        ("2．", "一/2", "压实全面从严治党主体责任", True, ["党委办公室"], ["纪委办公室"], ["2025-06-30"]),
        ("二、", "二", "深化教育教学改革，提高人才培养质量", False, [], [], []),
        ("3．", "二/3", "推进一流本科专业建设", True, ["教务处"], [], []),
        ("4．", "二/4", "深化研究生培养模式改革", True, ["研究生院"], [], ["2025-09-30"]),
        ("5．", "二/5", "加强创新创业教育", True, ["创新创业学院"], ["团委", "各学院"], []),
        ("三、", "三", "加强师资队伍建设", False, [], [], []),
        ("6．", "三/6", "实施高层次人才引育计划", True, ["人事处"], [], []),
        ("7．", "三/7", "完善教师评价制度", True, ["人事处"], ["教务处", "科研处"], ["2025-12-31"]),
    ]
    assert "（牵头单位" not in "".join(it.text for it in doc.items)


def test_implementation_plan_four_levels_and_a_list_owner_annotation(data_dir):
    """一、 > （一） > 1. > （1）; 总体要求 is context; ``（责任单位：…）`` on its own line after the
    （1）（2） list names the owner of the list, item 4."""
    (doc,) = _result(data_dir, "gen_evaluation_reform_plan.txt").documents
    assert doc.title == "东方大学深化新时代教育评价改革实施方案"
    assert _rows(doc) == [
        ("一、", "一", "总体要求", False, [], [], []),
        ("（一）", "一/（一）", "指导思想", False, [], [], []),
        ("（二）", "一/（二）", "主要目标", False, [], [], ["2025-12-31"]),
        ("二、", "二", "重点任务", False, [], [], []),
        ("（一）", "二/（一）", "改革学院评价", False, [], [], []),
        ("1.", "二/（一）/1", "完善学院绩效考核办法", True, ["发展规划处"], [], []),
        ("2.", "二/（一）/2", "建立学院年度发展报告制度", True, ["发展规划处"], ["各学院"], ["yearly"]),
        ("（二）", "二/（二）", "改革教师评价", False, [], [], []),
        ("3.", "二/（二）/3", "坚持把师德师风作为第一标准", True, ["党委教师工作部"], [], []),
        ("4.", "二/（二）/4", "突出教育教学实绩", False, ["教务处"], ["人事处"], []),
        ("（1）", "二/（二）/4/（1）", "", True, [], [], ["yearly"]),
        ("（2）", "二/（二）/4/（2）", "", True, [], [], []),
        ("（三）", "二/（三）", "改革学生评价", False, [], [], []),
        ("5.", "二/（三）/5", "完善德育评价", True, ["学生工作部"], [], []),
        ("三、", "三", "组织实施", False, [], [], []),
        ("（一）", "三/（一）", "加强组织领导", True, [], [], []),
        ("（二）", "三/（二）", "强化督促落实", True, [], [], ["semester"]),
    ]


def test_notice_with_items_and_two_listed_attachments(data_dir):
    """A notice with items of its own stays a document; its two attachments (附件1, 附件2, both
    listed under ``附件：``) take its 文号, date and issuer; the contact line is no item text."""
    docs = _result(data_dir, "gen_notice_two_attachments.txt").documents
    assert [_meta(d) for d in docs] == [
        ("东方省教育厅办公室关于开展2025年高校毕业生就业工作专项督查的通知", "东方省教育厅办公室",
         "东教办函〔2025〕21号", dt.date(2025, 4, 20)),
        ("专项督查工作方案", "东方省教育厅办公室", "东教办函〔2025〕21号", dt.date(2025, 4, 20)),
        ("高校自查报告提纲", "东方省教育厅办公室", "东教办函〔2025〕21号", dt.date(2025, 4, 20)),
    ]  # fmt: skip
    notice, plan, outline = docs
    assert notice.meta["attachments"] == ["专项督查工作方案", "高校自查报告提纲"]
    assert [d.kind for d in docs] == ["normative", "attachment", "attachment"]
    assert _rows(notice) == [
        ("一、", "一", "督查内容", True, [], [], []),
        ("二、", "二", "时间安排", False, [], [], []),
        ("（一）", "二/（一）", "自查阶段", True, [], [], ["2025-05-15"]),
        ("（二）", "二/（二）", "督查阶段", True, [], [], ["2025-06-10"]),
        ("三、", "三", "工作要求", True, [], [], []),
    ]
    assert "联系人" not in notice.items[-1].text
    assert [it.heading for it in plan.items] == ["督查方式", "督查组组成"]
    assert not any(it.is_requirement for it in outline.items)


def test_amended_law_with_contents(data_dir):
    (doc,) = _result(data_dir, "gen_reg_law_amended.txt").documents
    assert _meta(doc) == ("中华人民共和国教育促进法", "", "", dt.date(1995, 3, 18))
    assert doc.meta["adoption"].endswith("第二次修正")
    assert [(it.label, "/".join(it.path)) for it in doc.items] == [
        ("第一章", "第一章"), ("第一条", "第一章/第一条"), ("第二条", "第一章/第二条"),
        ("第二章", "第二章"), ("第三条", "第二章/第三条"), ("第四条", "第二章/第四条"),
        ("第三章", "第三章"), ("第五条", "第三章/第五条"), ("第四章", "第四章"), ("第六条", "第四章/第六条"),
    ]  # fmt: skip
    assert doc.items[5].text == "国家实行九年制义务教育制度。\n各级人民政府采取各种措施保障适龄儿童、少年就学。"


def test_decree_in_a_web_copy_under_the_regulation_title(data_dir):
    """Page title, byline, ``中华人民共和国国务院令 / 第676号``, the decree, the signer, then the
    regulation under the same title: one document numbered by the decree."""
    result = _result(data_dir, "gen_reg_decree_web_copy.txt")
    (doc,) = result.documents
    assert _meta(doc) == (
        "学校卫生工作条例",
        "中华人民共和国国务院",
        "中华人民共和国国务院令第676号",
        dt.date(2017, 3, 1),
    )
    assert doc.meta["signers"] == ["李克强"]
    assert "notice_title" not in doc.meta
    assert [it.label for it in doc.items] == [
        "第一章",
        "第一条",
        "第二条",
        "第二章",
        "第三条",
        "第四条",
        "第三章",
        "第五条",
    ]
    assert result.warnings == []


def test_ministry_order_promulgating_rules(data_dir):
    (doc,) = _result(data_dir, "gen_reg_ministry_order.txt").documents
    assert _meta(doc) == ("普通高等学校学生管理规定", "教育部", "教育部令第41号", dt.date(2017, 2, 4))
    assert doc.meta["signers"] == ["陈宝生"]
    assert _rows(doc) == [
        ("第一章", "第一章", "总则", False, [], [], []),
        ("第一条", "第一章/第一条", "", True, [], [], []),
        ("第二条", "第一章/第二条", "", True, [], [], []),
        ("第二章", "第二章", "学生的权利与义务", False, [], [], []),
        ("第三条", "第二章/第三条", "", True, [], [], []),
        ("（一）", "第二章/第三条/（一）", "", False, [], [], []),
        ("（二）", "第二章/第三条/（二）", "", False, [], [], []),
        ("（三）", "第二章/第三条/（三）", "", False, [], [], []),
        ("第三章", "第三章", "附则", False, [], [], []),
        ("第四条", "第三章/第四条", "", True, [], [], ["2017-09-01"]),
    ]


def test_interim_rules_with_a_web_page_header(data_dir):
    """Title, 文号, the page's date and source, a font-size switch: one document, its 文号 kept."""
    result = _result(data_dir, "gen_interim_rules_web_header.txt")
    assert result.skipped == []
    (doc,) = result.documents
    assert _meta(doc) == ("国务院关于加强高等学校安全管理的暂行规定", "国务院", "国发〔2023〕12号", dt.date(2023, 5, 8))
    assert _rows(doc) == [
        ("一、", "一", "落实安全责任", False, [], [], []),
        ("（一）", "一/（一）", "", True, [], [], []),
        ("（二）", "一/（二）", "", True, [], [], []),
        ("二、", "二", "加强隐患排查", False, [], [], []),
        ("（一）", "二/（一）", "", True, [], [], ["monthly"]),
        ("（二）", "二/（二）", "", True, [], [], ["30日内"]),
    ]


def test_trial_regulation_title_over_three_lines(data_dir):
    (doc,) = _result(data_dir, "gen_reg_trial_title.txt").documents
    assert doc.title == "东方省普通高等学校学生资助管理办法（试行）"
    assert _rows(doc) == [
        ("第一条", "第一条", "", True, [], [], []),
        ("第二条", "第二条", "", True, [], [], []),
        ("第三条", "第三条", "", True, [], [], ["yearly"]),
        ("第四条", "第四条", "", True, [], [], ["2024-09-01", "试行期两年"]),
    ]
