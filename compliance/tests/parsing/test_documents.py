"""Splitting a compilation into documents: metadata, attachments, duplicates, Q&A and news."""

from __future__ import annotations

import datetime as dt

from compliance.parsing import parse_text
from compliance.parsing.dates import parse_date
from compliance.parsing.documents import split_blocks
from compliance.parsing.normalize import build_paragraphs


def _blocks(text: str):
    return split_blocks(build_paragraphs(text))


def test_compilation_is_split_with_metadata(data_dir):
    """Notice, its attachment, a second notice, a duplicate copy and a Q&A are told apart."""
    text = (data_dir / "compilation.txt").read_text(encoding="utf-8")
    result = parse_text(text, source_name="compilation.txt")
    docs = result.documents
    assert [d.title for d in docs] == [
        "教育部关于做好2021年高校毕业生就业工作的通知",
        "2021年高校毕业生就业工作实施细则",
        "教育部办公厅关于开展高校安全检查的通知",
    ]
    assert [d.kind for d in docs] == ["normative", "attachment", "normative"]
    first = docs[0]
    assert (first.issuer, first.doc_number, first.date.isoformat()) == (
        "教育部",
        "教学〔2021〕1号",
        "2021-01-20",
    )
    assert [it.label for it in first.items] == [
        "一、",
        "（一）",
        "（二）",
        "二、",
        "（三）",
    ]
    kinds = sorted(s["kind"] for s in result.skipped)
    assert kinds == ["duplicate", "qa"]


def test_attachment_list_is_not_items(data_dir):
    """``附件：1.重点工作清单 / 2.联系人名单`` at the end of a notice produces no items."""
    text = (data_dir / "compilation.txt").read_text(encoding="utf-8")
    doc = parse_text(text).documents[0]
    assert all("清单" not in it.text and "名单" not in it.text for it in doc.items)


def test_regulation_articles_and_their_conditions(data_dir):
    """Articles are requirements; their ``（一）`` conditions are child items but not requirements."""
    text = (data_dir / "compilation.txt").read_text(encoding="utf-8")
    reg = parse_text(text).documents[1]
    got = [(it.label, it.path, it.is_requirement) for it in reg.items]
    assert got == [
        ("第一章", ["第一章"], False),
        ("第一条", ["第一章", "第一条"], True),
        ("第二条", ["第一章", "第二条"], True),
        ("（一）", ["第一章", "第二条", "（一）"], False),
        ("（二）", ["第一章", "第二条", "（二）"], False),
        ("第二章", ["第二章"], False),
        ("第三条", ["第二章", "第三条"], True),
    ]
    assert reg.items[0].heading == "总则"


def test_contact_section_is_not_a_requirement(data_dir):
    """A ``联系方式`` section is kept as an item but is not a requirement."""
    text = (data_dir / "compilation.txt").read_text(encoding="utf-8")
    notice = parse_text(text).documents[2]
    assert [(it.heading, it.is_requirement) for it in notice.items] == [
        ("检查范围", True),
        ("工作要求", True),
        ("联系方式", False),
    ]


def test_title_wrapped_over_lines_and_date_in_brackets():
    """A title over three lines followed by ``（2020年3月20日）`` is one document with that date."""
    text = "中共中央 国务院\n关于全面加强新时代大中小学劳动教育的\n意见\n（2020年3月20日）\n为构建德智体美劳全面培养的教育体系，现就加强新时代大中小学劳动教育提出如下意见。\n一、总体要求\n（一）指导思想。以习近平新时代中国特色社会主义思想为指导。\n二、主要任务\n（二）设置劳动教育课程。整体优化学校课程设置，将劳动教育纳入人才培养全过程。"
    doc = parse_text(text).documents[0]
    assert doc.title == "中共中央 国务院关于全面加强新时代大中小学劳动教育的意见"
    assert doc.date.isoformat() == "2020-03-20"
    assert [(it.path, it.is_requirement) for it in doc.items] == [
        (["一"], False),
        (["一", "（一）"], False),
        (["二"], False),
        (["二", "（二）"], True),
    ]
    assert doc.items[1].heading == "指导思想"


def test_news_item_yields_no_documents():
    """A press item with ``发布时间：… 信息来源：`` is skipped."""
    text = "教育部党组印发通知 部署疫情防控工作\n发布时间：2020-03-02 信息来源：教育部\n为深入贯彻落实重要讲话精神，2月28日，教育部党组印发通知，全面部署有关工作。\n通知指出，各级教育部门和学校要毫不放松抓实抓细疫情防控工作。"
    result = parse_text(text)
    assert result.documents == []
    assert [s["kind"] for s in result.skipped] == ["news"]


def test_continuous_and_restarting_numbering():
    """``（一）…（四）`` running through sections and ``1.`` restarting per section both nest correctly."""
    text = "关于推进某项工作的实施意见\n一、重点任务\n（一）任务甲。要求甲。\n1.细项一。内容。\n2.细项二。内容。\n（二）任务乙。要求乙。\n1.细项三。内容。\n二、保障措施\n（三）加强领导。内容。\n（四）强化督查。内容。"
    doc = parse_text(text).documents[0]
    assert [it.path for it in doc.items] == [
        ["一"],
        ["一", "（一）"],
        ["一", "（一）", "1"],
        ["一", "（一）", "2"],
        ["一", "（二）"],
        ["一", "（二）", "1"],
        ["二"],
        ["二", "（三）"],
        ["二", "（四）"],
    ]
    assert [it.level for it in doc.items] == [1, 2, 3, 3, 2, 3, 1, 2, 2]


def test_glued_labels_are_split():
    """``二、（一）指导思想。`` opens section 二 and item （一）."""
    text = "某市推动制造业发展专项行动方案\n一、发展现状\n我市制造业发展取得成效。\n二、（一）指导思想。坚持新发展理念。\n（二）主要目标。到2022年实现目标。\n三、重点任务\n（三）推进产业升级。各区县要加快推进。"
    doc = parse_text(text).documents[0]
    assert [it.path for it in doc.items] == [
        ["一"],
        ["二"],
        ["二", "（一）"],
        ["二", "（二）"],
        ["三"],
        ["三", "（三）"],
    ]


def test_inline_enumerations_and_cross_references_stay_in_text():
    """``一是…二是…`` and a wrapped ``第45条`` reference are text of the item, not items."""
    text = "关于加强招生管理的通知\n一、严格资格审查\n各地要严格审查考生资格，同时符合\n第45条、第46条有关情形的，只能选择一项。一是加强审核；二是加强公示。\n二、加强监督\n各地要加强监督。"
    doc = parse_text(text).documents[0]
    assert [it.label for it in doc.items] == ["一、", "二、"]
    assert "第45条、第46条" in doc.items[0].text


def test_parse_date_forms():
    """Dates in arabic, Chinese numerals and ISO form are read; partial dates are not guessed."""
    assert parse_date("2020年2月28日").isoformat() == "2020-02-28"
    assert parse_date("2017年 1月 24日").isoformat() == "2017-01-24"
    assert parse_date("二〇二〇年三月二十日").isoformat() == "2020-03-20"
    assert parse_date("发布时间：2020-03-02").isoformat() == "2020-03-02"
    assert parse_date("2018年2月") is None


def test_month_only_date_gives_the_year_for_deadlines_but_no_date():
    """``2018年2月`` as the document date: the JSON date stays null (no day is invented),
    but deadlines without a year resolve in 2018."""
    result = parse_text(
        "某某大学关于开展实验室安全检查的通知\n"
        "各学院：\n"
        "一、自查。各学院于3月底前完成自查，形成报告。\n"
        "二、抽查。学校于4月30日前组织抽查。\n"
        "某某大学\n"
        "2018年2月\n"
    )
    (doc,) = result.documents
    assert doc.date is None
    assert doc.as_json()["date"] is None
    assert doc.issuer == "某某大学"
    assert [[d.date.isoformat() for d in it.deadlines] for it in doc.items] == [
        ["2018-03-31"],
        ["2018-04-30"],
    ]


def test_parse_year_reads_month_only_and_chinese_dates():
    from compliance.parsing.dates import parse_year

    assert parse_year("2018年2月") == 2018
    assert parse_year("二〇一九年十二月") == 2019
    assert parse_year("2020-03-26来源：教育部") == 2020
    assert parse_year("没有日期") is None


def test_text_published_by_the_preceding_notice_is_one_document_with_it():
    """No 附件 marker: the title quoted in "关于印发《…》的通知" links the two.  The notice
    says nothing of its own, so notice and text are one document: the text, with the
    notice's 文号, date and issuer (the notice's title kept in ``meta``)."""
    result = parse_text(
        "教育部办公厅关于印发\n"
        "《高校实验室安全检查办法》\n"
        "的通知\n"
        "教高厅〔2021〕3号\n"
        "各高等学校：\n"
        "现将《高校实验室安全检查办法》印发给你们，请认真贯彻执行。\n"
        "教育部办公厅\n"
        "2021年3月5日\n"
        "高校实验室安全检查办法\n"
        "第一条 为加强高校实验室安全管理，制定本办法。\n"
        "第二条 高校应每学期开展一次实验室安全检查。\n"
    )
    (rules,) = result.documents
    assert (rules.title, rules.kind, rules.issuer, rules.doc_number, rules.date) == (
        "高校实验室安全检查办法",
        "normative",
        "教育部办公厅",
        "教高厅〔2021〕3号",
        dt.date(2021, 3, 5),
    )
    assert rules.meta["notice_title"] == "教育部办公厅关于印发《高校实验室安全检查办法》的通知"
    assert rules.meta["addressees"] == "各高等学校"
    assert [it.label for it in rules.items] == ["第一条", "第二条"]
    assert [it.label for it in rules.items] == ["第一条", "第二条"]
