"""Official documents as text: titles, 公文 elements, regulations, notices that publish a text,
and what the parser leaves out.  No database.

Every ``data/gen_*`` document here was written for these tests (invented organisations,
realistic layout).  Item lists are ``(label, path, heading, is_requirement, lead_units,
co_units, deadlines)`` where a deadline is its ISO date, else its recurrence, else its text.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from compliance.parsing import parse_file, parse_text
from compliance.parsing.numerals import int_to_cn
from compliance.parsing.pipeline import SKIP_REASONS, quote_title, skipped_to_document


def _result(data_dir: Path, name: str):
    path = data_dir / name
    return parse_file(path.read_bytes(), path.name)


def _doc(data_dir: Path, name: str):
    (doc,) = _result(data_dir, name).documents
    return doc


def _deadline(d) -> str:
    return d.date.isoformat() if d.date else (d.recurrence or d.text)


def _rows(doc) -> list[tuple]:
    return [
        (
            it.label,
            "/".join(it.path),
            it.heading,
            it.is_requirement,
            it.lead_units,
            it.co_units,
            [_deadline(d) for d in it.deadlines],
        )
        for it in doc.items
    ]


def _meta(doc) -> tuple:
    return (doc.title, doc.issuer, doc.doc_number, doc.date)


# --------------------------------------------------------------------------- 公文 elements


def test_every_printed_gongwen_element_is_read_into_meta(data_dir):
    """份号, 密级, 紧急程度, 发文机关标志, 文号, 签发人, 标题, 主送机关, 附件说明, 发文机关署名,
    成文日期, 附注, 抄送 and 印发机关和印发日期: none of them is the title or an item."""
    result = _result(data_dir, "gen_gongwen_elements.txt")
    (doc,) = result.documents
    assert _meta(doc) == (
        "东方省教育厅关于加强高校实验室安全管理工作的通知",
        "东方省教育厅",
        "东教高〔2024〕12号",
        dt.date(2024, 3, 15),
    )
    assert doc.meta == {
        "copy_number": "000123",
        "classification": "机密",
        "classification_mark": "机密★1年",
        "urgency": "特急",
        "issuer_mark": "东方省教育厅文件",
        "doc_number": "东教高〔2024〕12号",
        "signers": ["王明"],
        "title": "东方省教育厅关于加强高校实验室安全管理工作的通知",
        "addressees": "各普通高等学校",
        "attachments": ["实验室安全责任清单模板", "隐患排查记录表"],
        "signature": "东方省教育厅",
        "date": "2024-03-15",
        "note": "此件不公开",
        "cc": "教育部科学技术与信息化司",
        "printer": "东方省教育厅办公室",
        "print_date": "2024-03-18",
    }
    assert _rows(doc) == [
        ("一、", "一", "压实安全责任", True, [], [], ["2024-06-30"]),
        ("二、", "二", "开展隐患排查", True, [], [], ["quarterly"]),
        ("三、", "三", "加强教育培训", True, [], [], ["上岗前"]),
    ]


def test_a_classified_document_is_recognisable_and_warned_about(data_dir):
    """A document marked 秘密/机密/绝密 carries meta ``classification`` and a warning."""
    result = _result(data_dir, "gen_gongwen_elements.txt")
    assert result.documents[0].meta["classification"] == "机密"
    assert result.warnings == [
        "《东方省教育厅关于加强高校实验室安全管理工作的通知》标有密级“机密”：涉密文件不得导入本系统，请确认后再导入。"
    ]
    assert result.as_json()["documents"][0]["meta"]["classification"] == "机密"


@pytest.mark.parametrize(
    ("line", "meta"),
    [
        ("秘密", {"classification": "秘密", "classification_mark": "秘密"}),
        ("绝密★长期", {"classification": "绝密", "classification_mark": "绝密★长期"}),
        ("密级：秘密★1年", {"classification": "秘密", "classification_mark": "密级：秘密★1年"}),
        ("机密★5年 加急", {"classification": "机密", "classification_mark": "机密★5年", "urgency": "加急"}),
    ],
)
def test_classification_lines_in_their_printed_forms(line, meta):
    """The 密级 line above the masthead, with or without its period and urgency."""
    text = f"{line}\n东方大学文件\n东大发〔2025〕1号\n东方大学关于做好保密工作的通知\n各单位：\n一、加强涉密载体管理。\n二、开展保密自查。\n"
    (doc,) = parse_text(text).documents
    assert {k: doc.meta[k] for k in meta} == meta
    assert doc.title == "东方大学关于做好保密工作的通知"


# --------------------------------------------------------------------------- titles of regulations


def test_law_with_adoption_note_and_contents(data_dir):
    """A law's title, then its adoption and amendment note in brackets, then a 目录 without page
    numbers: the note is meta (not the title), the contents are not chapters."""
    doc = _doc(data_dir, "gen_reg_law_with_toc.txt")
    assert _meta(doc) == ("中华人民共和国学位条例实施办法", "", "", dt.date(2004, 8, 28))
    assert doc.meta["adoption"].startswith("2004年8月28日第十届全国人民代表大会常务委员会第十一次会议通过")
    assert doc.meta["adoption"].endswith("修正")
    assert _rows(doc) == [
        ("第一章", "第一章", "总则", False, [], [], []),
        ("第一条", "第一章/第一条", "", True, [], [], []),
        ("第二条", "第一章/第二条", "", True, [], [], []),
        ("第三条", "第一章/第三条", "", True, [], [], []),
        ("第二章", "第二章", "学位授予", False, [], [], []),
        ("第四条", "第二章/第四条", "", True, [], [], ["yearly"]),  # 每学年结束后三十日内
        ("第五条", "第二章/第五条", "", True, [], [], []),
        ("（一）", "第二章/第五条/（一）", "", False, [], [], []),
        ("（二）", "第二章/第五条/（二）", "", False, [], [], []),
        ("（三）", "第二章/第五条/（三）", "", False, [], [], []),
        ("第三章", "第三章", "监督管理", False, [], [], []),
        ("第六条", "第三章/第六条", "", True, [], [], ["每五年"]),
        ("第七条", "第三章/第七条", "", True, [], [], ["期限为一年"]),
        ("第四章", "第四章", "附则", False, [], [], []),
        ("第八条", "第四章/第八条", "", True, [], [], ["2019-01-01"]),
    ]


def test_ministry_decree_publication_note(data_dir):
    """``（2020年3月1日教育部令第48号公布　自2020年9月1日起施行）`` under the title: the decree
    number is the 文号, 教育部 the issuer, the effective date is meta."""
    doc = _doc(data_dir, "gen_reg_ministry_decree.txt")
    assert _meta(doc) == ("普通高等学校学生宿舍管理暂行规定", "教育部", "教育部令第48号", dt.date(2020, 3, 1))
    assert doc.meta["effective_date"] == "2020-09-01"
    assert [it.label for it in doc.items] == [
        "第一章", "第一条", "第二条", "第二章", "第三条", "第四条", "第三章", "第五条",
    ]  # fmt: skip


def test_adoption_line_before_the_title_is_not_the_title(data_dir):
    """``2007年5月18日国务院第177次常务会议通过`` printed first: the title is the next line."""
    doc = _doc(data_dir, "gen_reg_adoption_line_first.txt")
    assert _meta(doc) == ("教育督导暂行条例", "", "", dt.date(2007, 5, 18))
    assert _rows(doc) == [
        ("第一章", "第一章", "总则", False, [], [], []),
        ("第一条", "第一章/第一条", "", True, [], [], []),
        ("第二条", "第一章/第二条", "", True, [], [], []),
        ("第二章", "第二章", "督导机构", False, [], [], []),
        ("第三条", "第二章/第三条", "", True, [], [], []),
        ("第四条", "第二章/第四条", "", True, [], [], ["2008-12-31"]),
    ]


def test_lost_first_chapter_line_later_chapters_are_still_chapters(data_dir):
    """The ``第一章`` line was lost in copying: 第一条–第三条 stand at the top, and 第二章 and
    第三章 are still chapters holding their articles."""
    doc = _doc(data_dir, "gen_reg_first_chapter_lost.txt")
    assert doc.title == "高等学校实验室安全管理办法"
    assert _rows(doc) == [
        ("第一条", "第一条", "", True, [], [], []),
        ("第二条", "第二条", "", True, [], [], []),
        ("第三条", "第三条", "", True, [], [], []),
        ("第二章", "第二章", "安全责任", False, [], [], []),
        ("第四条", "第二章/第四条", "", True, [], [], []),
        ("第五条", "第二章/第五条", "", True, [], [], ["monthly"]),
        ("第三章", "第三章", "附则", False, [], [], []),
        ("第六条", "第三章/第六条", "", True, [], [], ["自发布之日起施行"]),
    ]


@pytest.mark.parametrize(
    ("header", "title"),
    [
        (["（2024年3月1日国务院第30次常务会议通过）", "东方省高等学校章程管理办法"], "东方省高等学校章程管理办法"),
        (["东方省高等学校章程管理办法", "2024年3月1日起施行"], "东方省高等学校章程管理办法"),
        (["东方省人民政府令", "第12号", "东方省高等学校章程管理办法"], "东方省高等学校章程管理办法"),
        (["东方省高等学校", "章程管理办法"], "东方省高等学校章程管理办法"),
        (["东方省教育厅　东方省财政厅", "关于印发东方省高等学校章程", "管理办法的通知"], "东方省教育厅 东方省财政厅关于印发东方省高等学校章程管理办法的通知"),
    ],
)  # fmt: skip
def test_title_lines_and_what_is_never_the_title(header, title):
    """Date and adoption lines, 章 headings and decree headers are never the title; a title may
    span two or three lines (joined)."""
    body = ["第一章　总则", "第一条　为规范高等学校章程管理，制定本办法。", "第二条　高等学校应当依照章程自主管理。"]
    (doc,) = parse_text("\n".join(header + body)).documents
    assert doc.title == title
    assert [it.label for it in doc.items] == ["第一章", "第一条", "第二条"]


# --------------------------------------------------------------------------- never news


def _interim_rules(byline: list[str]) -> list[str]:
    sections = ["拓宽就业渠道", "强化就业服务", "支持创新创业", "加强权益保障", "强化组织实施"]
    topics = ["扩大企业吸纳规模", "稳定公共部门岗位", "拓展基层就业空间", "支持参军入伍", "开发科研助理岗位",
              "鼓励灵活就业", "加强就业见习", "促进困难群体就业"]  # fmt: skip
    lines = ["国务院关于进一步做好高校毕业生就业创业工作的暂行规定", *byline]
    for s, section in enumerate(sections, start=1):
        lines.append(f"{int_to_cn(s)}、{section}")
        for i, topic in enumerate(topics, start=1):
            lines.append(f"（{int_to_cn(i)}）{topic}。各地区、各有关部门要结合实际制定具体办法，明确责任分工。")
    return lines


@pytest.mark.parametrize(
    "byline",
    [
        [],
        ["发布时间：2024-03-05 来源：中国政府网"],
        ["2024-03-05 16:20 来源： 中国政府网"],
        ["来源：国务院办公厅", "作者：国务院"],
        ["新华社北京3月5日电 国务院日前印发《暂行规定》，全文如下："],
        ["2024年3月1日，国务院常务会议审议通过本规定，现予公布："],
    ],
)
@pytest.mark.parametrize("layout", ["lines", "pdf-wrap"])
def test_a_state_council_interim_regulation_is_never_news(byline, layout):
    """A 暂行规定 with 一、/（一）, 40 items, copied from a web page or a PDF (every line wrapped
    at 28 characters, a blank line after each): one document with all its items, whatever
    byline or lead the copy carries."""
    lines = _interim_rules(byline)
    if layout == "pdf-wrap":
        lines = [part for line in lines for part in (textwrap.wrap(line, 28) or [""])]
        text = "\n\n".join(lines)
    else:
        text = "\n".join(lines)
    result = parse_text(text)
    assert result.skipped == []
    (doc,) = result.documents
    assert doc.title == "国务院关于进一步做好高校毕业生就业创业工作的暂行规定"
    assert sum(it.is_requirement for it in doc.items) == 40
    assert [it.path for it in doc.items[:3]] == [["一"], ["一", "（一）"], ["一", "（二）"]]


def test_state_council_rules_with_number_and_signature(data_dir):
    doc = _doc(data_dir, "gen_state_council_interim_rules.txt")
    assert _meta(doc) == (
        "国务院关于进一步加强高校毕业生就业创业工作的暂行规定",
        "国务院",
        "国发〔2024〕3号",
        dt.date(2024, 3, 1),
    )
    assert doc.meta["addressees"] == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert _rows(doc) == [
        ("一、", "一", "拓宽就业渠道", False, [], [], []),
        ("（一）", "一/（一）", "扩大企业吸纳规模", True, [], [], []),
        ("（二）", "一/（二）", "稳定公共部门岗位", True, [], [], ["2024-06-30"]),
        ("二、", "二", "强化就业服务", False, [], [], []),
        ("（一）", "二/（一）", "开展精准帮扶", True, [], [], []),
        ("（二）", "二/（二）", "加强就业指导", True, [], [], ["yearly"]),
        ("三、", "三", "加强组织实施", True, [], [], []),
    ]


def test_web_copy_takes_the_signature_date_not_the_page_date(data_dir):
    """The page's ``2024-03-05 16:20 来源：…`` byline is not the document's date; its 文号
    after the byline is still read."""
    doc = _doc(data_dir, "gen_state_council_web_copy.txt")
    assert _meta(doc) == (
        "国务院关于进一步加强高校毕业生就业创业工作的暂行规定",
        "国务院",
        "国发〔2024〕3号",
        dt.date(2024, 3, 1),
    )


# --------------------------------------------------------------------------- structure


def test_numbering_sequence_beats_a_numeral_list(data_dir):
    """``…口岸机构。`` / ``四、两类口岸的具体划分：`` — 三 → 四 is the next section (``两类`` is
    not "四、二" as in ``一、二年级``); its children stay under 四."""
    doc = _doc(data_dir, "gen_section_after_sentence.txt")
    assert _rows(doc) == [
        ("一、", "一", "总体要求", False, [], [], []),
        ("二、", "二", "主要任务", False, [], [], []),
        ("（一）", "二/（一）", "整合口岸资源", True, [], [], []),
        ("三、", "三", "口岸分类", True, [], [], []),
        ("四、", "四", "两类口岸的具体划分", False, [], [], []),
        ("（一）", "四/（一）", "一类口岸", True, [], [], []),
        ("（二）", "四/（二）", "二类口岸", True, [], [], []),
        ("五、", "五", "保障措施", False, [], [], []),
        ("（一）", "五/（一）", "加强组织领导", True, [], [], []),
    ]


def test_an_item_that_starts_with_a_date_is_an_item(data_dir):
    """``2. 2027年3月31日前完成…`` after ``1.`` is item 2, not the decimal ``2.2027``."""
    doc = _doc(data_dir, "gen_item_starting_with_date.txt")
    assert _rows(doc) == [
        ("一、", "一", "工作安排", False, [], [], []),
        ("1.", "一/1", "", True, [], [], []),
        ("2.", "一/2", "", True, [], [], ["2027-03-31"]),
        ("3.", "一/3", "", True, [], [], ["2027-05-31"]),
        ("二、", "二", "工作要求", True, [], [], []),
    ]
    assert doc.items[2].text == "2027年3月31日前完成自评报告初稿。"


# --------------------------------------------------------------------------- forwarding notices


def test_notice_publishing_a_plan_after_an_attachment_marker_is_one_document(data_dir):
    """``关于印发X的通知`` / 附件 / X: one document, X, with the notice's 文号, date, issuer and
    elements; the notice's title is meta ``notice_title``."""
    doc = _doc(data_dir, "gen_forwarding_notice_marker.txt")
    assert _meta(doc) == (
        "东方省职业教育提质培优行动计划（2024—2026年）",
        "东方省人民政府办公厅",
        "东政办发〔2024〕8号",
        dt.date(2024, 2, 20),
    )
    assert doc.kind == "normative"
    assert doc.meta["notice_title"] == (
        "东方省人民政府办公厅关于印发东方省职业教育提质培优行动计划（2024—2026年）的通知"
    )
    assert doc.meta["addressees"] == "各市人民政府，省政府各部门"
    assert _rows(doc) == [
        ("一、", "一", "总体要求", False, [], [], ["2026-12-31"]),
        ("二、", "二", "重点任务", False, [], [], []),
        ("（一）", "二/（一）", "优化专业布局", True, ["省教育厅"], ["省人力资源社会保障厅"], ["2025-12-31"]),
        ("（二）", "二/（二）", "深化产教融合", True, ["省发展改革委"], ["省教育厅"], ["yearly"]),
        ("三、", "三", "保障措施", False, [], [], []),
        ("（一）", "三/（一）", "加强组织领导", True, [], [], ["semester"]),
    ]


def test_notice_publishing_two_texts_gives_two_documents():
    """``印发《A》《B》的通知``: A and B, each with the notice's 文号."""
    text = (
        "东方大学关于印发《科研项目管理办法》《科研经费管理办法》的通知\n"
        "东大科〔2025〕2号\n"
        "各学院：\n"
        "现将《科研项目管理办法》《科研经费管理办法》印发给你们，请遵照执行。\n"
        "东方大学\n"
        "2025年1月10日\n"
        "科研项目管理办法\n"
        "第一条 为规范科研项目管理，制定本办法。\n"
        "第二条 项目负责人对项目实施负直接责任。\n"
        "科研经费管理办法\n"
        "第一条 为规范科研经费使用，制定本办法。\n"
        "第二条 经费使用实行预算管理。\n"
    )
    result = parse_text(text)
    assert [(d.title, d.doc_number, d.date, len(d.items)) for d in result.documents] == [
        ("科研项目管理办法", "东大科〔2025〕2号", dt.date(2025, 1, 10), 2),
        ("科研经费管理办法", "东大科〔2025〕2号", dt.date(2025, 1, 10), 2),
    ]


# --------------------------------------------------------------------------- nothing dropped silently


def test_skipped_blocks_are_listed_with_reason_label_and_excerpt(data_dir):
    """News, Q&A and duplicate copies are listed with a reason code, its Chinese label and the
    first lines, and one warning sums them up."""
    result = _result(data_dir, "compilation.txt")
    reasons = {s["reason"]: s for s in result.skipped}
    assert set(reasons) == {"duplicate", "qa"}
    for entry in result.skipped:
        assert entry["reason_label"] == SKIP_REASONS[entry["reason"]]
        assert entry["reason_label"] not in {"news", "qa", "duplicate"}
        assert entry["excerpt"].split("\n")[0] == entry["text"].split("\n")[0][:80]
        assert len(entry["excerpt"].split("\n")) <= 3
    assert reasons["duplicate"]["duplicate_of"] == "教育部关于做好2021年高校毕业生就业工作的通知"
    assert "重复副本 1 段" in result.warnings[-1] and "问答解读 1 段" in result.warnings[-1]


def test_a_skipped_block_can_be_imported_anyway(data_dir):
    """The administrator may import a skipped block: it becomes a document with its items."""
    result = _result(data_dir, "compilation.txt")
    (qa,) = [s for s in result.skipped if s["reason"] == "qa"]
    doc = skipped_to_document(qa)
    assert doc.title == qa["title"]
    assert doc.kind == "normative"
    copy = skipped_to_document(next(s for s in result.skipped if s["reason"] == "duplicate"))
    original = next(d for d in result.documents if d.title == copy.title)
    assert [(i.label, i.text) for i in copy.items] == [(i.label, i.text) for i in original.items]


def test_a_document_without_items_is_warned_about():
    result = parse_text(
        "东方大学关于放假安排的通知\n各单位：\n根据国家规定，现将放假安排通知如下。\n东方大学\n2025年1月2日\n"
    )
    (doc,) = result.documents
    assert doc.items == []
    assert result.warnings == ["《东方大学关于放假安排的通知》没有识别出任何条目，请核对原文的编号格式。"]


def test_titles_in_messages_never_get_doubled_brackets():
    assert quote_title("关于印发《实施方案》的通知") == "《关于印发〈实施方案〉的通知》"
    assert quote_title("") == "（无标题）"
    (doc,) = parse_text("《东方大学科研管理办法》\n第一条 为规范科研管理，制定本办法。\n").documents
    assert doc.title == "东方大学科研管理办法"


def test_decree_and_the_regulation_it_promulgates_are_one_document(data_dir):
    """``中华人民共和国国务院令`` / ``第799号`` / "《X》已经…通过，现予公布" / ``总理　张三`` / date,
    then X: one document, X, numbered 国务院令第799号 and dated by the decree."""
    doc = _doc(data_dir, "gen_reg_state_council_decree.txt")
    assert _meta(doc) == (
        "高等学校教学督导条例",
        "中华人民共和国国务院",
        "中华人民共和国国务院令第799号",
        dt.date(2024, 3, 10),
    )
    assert doc.meta["signers"] == ["张三"]
    assert [it.label for it in doc.items][:5] == ["第一章", "第一条", "第二条", "第三条", "第二章"]
    assert len(doc.items) == 10


def test_item_body_never_repeats_the_heading():
    """``第一章 总则`` has the heading 总则 and no body; ``（一）指导思想。以…`` has the body after
    the heading (a preview printing heading then body never shows ``总则 总则``)."""
    text = (
        "东方大学管理办法\n第一章 总则\n第一条 为规范管理，制定本办法。\n第二章 附则\n第二条 本办法自发布之日起施行。\n"
    )
    (doc,) = parse_text(text).documents
    chapter = doc.items[0]
    assert (chapter.heading, chapter.text, chapter.body) == ("总则", "总则", "")
    (plan,) = parse_text(
        "东方大学实施方案\n一、总体要求\n（一）指导思想。以立德树人为根本任务。\n（二）基本原则。坚持问题导向。\n"
    ).documents
    assert [(i.heading, i.body) for i in plan.items[1:]] == [
        ("指导思想", "以立德树人为根本任务。"),
        ("基本原则", "坚持问题导向。"),
    ]


def test_an_attachment_printed_before_its_notice_still_takes_its_number():
    """A compilation printed 附件 before the notice listing it (``附件：…工作方案``): the
    attachment takes the notice's 文号, date and issuer."""
    text = (
        "东方大学关于印发年度报告的通知\n东大发〔2025〕1号\n各学院：\n一、请按时报送年度报告。\n东方大学\n2025年1月2日\n"
        "附件\n实验室建设工作方案\n一、建设目标。建成一批示范实验室。\n二、建设任务。每年新建实验室5个。\n"
        "东方大学关于开展实验室建设工作的通知\n东大发〔2025〕9号\n各学院：\n一、请按照《工作方案》开展建设。\n"
        "附件：实验室建设工作方案\n东方大学\n2025年3月6日\n"
    )
    docs = parse_text(text).documents
    plan = next(d for d in docs if d.title == "实验室建设工作方案")
    assert (plan.doc_number, plan.date, plan.issuer) == ("东大发〔2025〕9号", dt.date(2025, 3, 6), "东方大学")
