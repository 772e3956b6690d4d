"""Hand-checked expectations on the five real seed files.

Skipped when the seeds folder is absent (set DUBAN_SEEDS_DIR to point at it).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from compliance.parsing import parse_file
from compliance.parsing.numbering import int_to_cn

pytestmark = pytest.mark.seeds


@cache
def _parse(path: Path):
    return parse_file(path.read_bytes(), path.name)


def _seed(seeds_dir: Path, prefix: str):
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return _parse(path)


def _doc(result, title_start: str):
    matches = [d for d in result.documents if d.title.startswith(title_start)]
    assert len(matches) == 1, [d.title for d in result.documents]
    return matches[0]


def _sections(doc) -> dict[str, list[str]]:
    """Top-level label → normalised labels of its direct children, in order."""
    out: dict[str, list[str]] = {}
    for it in doc.items:
        if it.level == 1:
            out[it.path[0]] = []
        elif it.level == 2:
            out[it.path[0]].append(it.path[1])
    return out


# --------------------------------------------------------------------------- 000


def test_000_work_points_13_items_numbered_through_sections(seeds_dir):
    """000: one document; 一/二/三 hold arabic items 1–13 numbered continuously."""
    result = _seed(seeds_dir, "000")
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert doc.title == "教育部科技司2019年工作要点"
    assert [(it.label, it.path) for it in doc.items] == (
        [("一、", ["一"])]
        + [(f"{n}.", ["一", str(n)]) for n in range(1, 5)]
        + [("二、", ["二"])]
        + [(f"{n}.", ["二", str(n)]) for n in range(5, 11)]
        + [("三、", ["三"])]
        + [(f"{n}.", ["三", str(n)]) for n in range(11, 14)]
    )
    assert [it.is_requirement for it in doc.items if it.level == 2] == [True] * 13
    assert not any(it.is_requirement for it in doc.items if it.level == 1)
    assert doc.items[0].heading == "加强政治建设，压实政治责任，以优良的工作作风引领高校科技优良学风"
    assert doc.items[6].heading == "深入实施《高等学校基础研究珠峰计划》"
    assert "97%以上" in doc.items[10].text  # item 9, wraps joined, "97%以上" without the space
    assert all("\n\n" not in it.text for it in doc.items)


# --------------------------------------------------------------------------- 001


def test_001_work_points_20_items_under_six_sections(seeds_dir):
    """001: an attachment-style single document, 一–六 with 1.–20. continuous (3+3+5+3+4+2)."""
    result = _seed(seeds_dir, "001")
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert doc.title == "教育部科学技术与信息化司2021年工作要点"
    sizes = {"一": 3, "二": 3, "三": 5, "四": 3, "五": 4, "六": 2}
    expected, n = [], 1
    for sec, size in sizes.items():
        expected.append((["一", "二", "三", "四", "五", "六"].index(sec) and [sec]) or [sec])
        for _ in range(size):
            expected.append([sec, str(n)])
            n += 1
    assert [it.path for it in doc.items] == expected
    reqs = [it for it in doc.items if it.is_requirement]
    assert len(reqs) == 20
    assert reqs[0].heading == "持续加强政治建设"
    assert reqs[-1].heading == "增强教育系统网络安全保障能力"


# --------------------------------------------------------------------------- 002


def test_002_document_inventory(seeds_dir):
    """002: normative documents and attachments kept; duplicates, Q&As, news, forms and tables
    skipped; the nine notices that only publish a text are one document with it."""
    result = _seed(seeds_dir, "002")
    titles = [d.title for d in result.documents]
    assert 44 <= len(titles) <= 50
    assert sum(1 for d in result.documents if "notice_title" in d.meta) >= 9
    assert len(set(titles)) == len(titles)  # no document twice
    kinds = [s["kind"] for s in result.skipped]
    assert kinds.count("qa") == 8
    assert kinds.count("duplicate") >= 4
    skipped_titles = " ".join(s["title"] for s in result.skipped)
    assert "教育部党组印发通知 部署统筹做好" in skipped_titles  # news (#23)
    assert "关于公布实施专科教育高等学校备案名单的函" in skipped_titles  # news brief (#42)
    for must in [
        "中共中央国务院关于全面加强新时代大中小学劳动教育的意见",
        "教育部关于做好2020年普通高校招生工作的通知",
        "新时代高等学校思想政治理论课教师队伍建设规定",
        "工业和信息化部办公厅关于推动工业互联网加快发展的通知",
        "赋予科研人员职务科技成果所有权或长期使用权试点实施方案",
        "中共中央 国务院关于新时代推进西部大开发形成新格局的指导意见",
    ]:
        assert must in titles


def test_002_duplicates_are_dropped(seeds_dir):
    """The copies 10d, 14d, 15d and 22c appear once only."""
    result = _seed(seeds_dir, "002")
    titles = [d.title for d in result.documents] + [str(d.meta.get("notice_title", "")) for d in result.documents]
    for start in [
        "教育部 国家发展改革委 国家能源局关于印发《储能技术",
        "教育部办公厅关于学习宣传和贯彻实施",
        "中共教育部党组关于统筹做好教育系统新冠肺炎疫情防控",
        "储能技术专业学科发展行动计划",
    ]:
        assert sum(t.startswith(start) for t in titles) == 1, start
    assert sum("爱国主义教育实施纲要" in t and t.startswith("中共教育部党组印发") for t in titles) == 1
    dups = [s for s in result.skipped if s["kind"] == "duplicate"]
    assert any("统筹做好教育系统新冠肺炎疫情防控" in s["title"] for s in dups)  # 15d, the variant copy


def test_002_admission_rules_73_articles_under_13_sections(seeds_dir):
    """招生工作规定 (attachment of 教学〔2019〕4号): 1.–73. continuous under 一、–十三、; （1） lists are not rows."""
    doc = _doc(_seed(seeds_dir, "002"), "2020年普通高等学校招生工作规定")
    sizes = [4, 4, 2, 2, 10, 4, 9, 23, 3, 4, 3, 2, 3]
    expected, n = {}, 1
    for i, size in enumerate(sizes, start=1):
        expected[int_to_cn(i)] = [str(k) for k in range(n, n + size)]
        n += size
    assert _sections(doc) == expected
    articles = [it for it in doc.items if it.level == 2]
    assert len(articles) == 73 and all(it.is_requirement for it in articles)
    assert [it.label for it in articles if it.label.endswith("．")] == ["33．", "34．"]
    subs = [it for it in doc.items if it.level == 3]
    assert len(subs) == 44 and not any(it.is_requirement for it in subs)
    assert subs[0].path == ["一", "1", "（1）"]
    by_label = {it.path[-1]: it for it in articles}
    assert any(d.date and d.date.isoformat() == "2020-04-30" for d in by_label["24"].deadlines)


def test_002_notice_17_items_continuous(seeds_dir):
    """教学〔2019〕4号: 一、–五、 with 1.–17. numbered continuously, metadata from the header."""
    doc = _doc(_seed(seeds_dir, "002"), "教育部关于做好2020年普通高校招生工作的通知")
    assert doc.doc_number == "教学〔2019〕4号"
    assert doc.issuer == "教育部"
    assert doc.date.isoformat() == "2019-12-30"
    flat = [x for v in _sections(doc).values() for x in v]
    assert flat == [str(n) for n in range(1, 18)]
    assert list(_sections(doc)) == ["一", "二", "三", "四", "五"]


def test_002_regulation_with_chapters(seeds_dir):
    """国家教材建设重点研究基地管理办法: 第一章–第七章 > 第一条–第二十四条, articles are requirements."""
    doc = _doc(_seed(seeds_dir, "002"), "国家教材建设重点研究基地管理办法")
    chapters = [it for it in doc.items if it.level == 1]
    articles = [it for it in doc.items if it.level == 2]
    assert [c.label for c in chapters] == [f"第{int_to_cn(n)}章" for n in range(1, 8)]
    assert [a.label for a in articles] == [f"第{int_to_cn(n)}条" for n in range(1, 25)]
    assert all(a.is_requirement for a in articles) and not any(c.is_requirement for c in chapters)
    assert chapters[0].heading == "总则"
    assert all(a.path[0].endswith("章") for a in articles)


def test_002_ideology_teachers_regulation_date_before_title(seeds_dir):
    """教育部令 style: the date line printed before the title is the document's date; 28 articles."""
    doc = _doc(_seed(seeds_dir, "002"), "新时代高等学校思想政治理论课教师队伍建设规定")
    assert doc.date.isoformat() == "2020-01-16"
    articles = [it for it in doc.items if it.label.endswith("条") and it.level == 2]
    assert [a.label for a in articles] == [f"第{int_to_cn(n)}条" for n in range(1, 29)]
    assert sum(it.is_requirement for it in doc.items) == 28


def test_002_fire_safety_plan_with_units(seeds_dir):
    """#40 消防 plan: 一、 > (一) > 1.–23. with (牵头单位:…;配合单位:…) annotations, 三、 (一)–(三)."""
    doc = _doc(_seed(seeds_dir, "002"), "重庆市高层建筑消防安全提升计划(2020—2022年)")
    tasks = [it for it in doc.items if it.level == 3]
    assert [it.path[-1] for it in tasks] == [str(n) for n in range(1, 24)]
    assert [it.path[:2] for it in tasks[:4]] == [["二", "（一）"]] * 4
    assert tasks[0].label == "1."
    assert all(it.is_requirement and it.lead_units for it in tasks)
    assert tasks[0].lead_units == ["市司法局"]
    assert "市消防救援总队" in tasks[0].co_units
    assert tasks[14].lead_units == ["市应急局", "市消防救援总队"]  # task 15, two leads
    assert all("牵头单位" not in it.text for it in tasks)
    assert tasks[18].lead_units == ["各区县政府"]  # task 19: "(牵" / "头单位:" split by a wrap
    guarantees = [it for it in doc.items if it.path[0] == "三" and it.level == 2]
    assert [it.label for it in guarantees] == ["(一)", "(二)", "(三)"]
    assert all(it.is_requirement for it in guarantees)
    context = [it for it in doc.items if it.path[0] == "一"]
    assert context and not any(it.is_requirement for it in context)
    assert sum(it.is_requirement for it in doc.items) == 26


def test_002_qa_and_news_yield_no_items(seeds_dir):
    """No document built from a Q&A or a news item carries items."""
    result = _seed(seeds_dir, "002")
    assert not any("答记者问" in d.title for d in result.documents)
    assert not any(d.title.startswith("教育部党组印发通知") for d in result.documents)


def test_002_labour_education_continuous_cn_paren(seeds_dir):
    """#1 劳动教育: 一、–五、 with （一）–（十八） continuous; 重大意义/指导思想/基本原则 are context."""
    doc = _doc(
        _seed(seeds_dir, "002"),
        "中共中央国务院关于全面加强新时代大中小学劳动教育的意见",
    )
    assert doc.date.isoformat() == "2020-03-20"
    flat = [x for v in _sections(doc).values() for x in v]
    assert flat == [f"（{int_to_cn(n)}）" for n in range(1, 19)]
    by = {it.path[-1]: it for it in doc.items}
    assert not by["（一）"].is_requirement and by["（一）"].heading == "重大意义"
    assert not by["（三）"].is_requirement and "——把握育人导向" in by["（三）"].text
    assert by["（十六）"].is_requirement and by["（十六）"].heading == "加强组织领导"


# --------------------------------------------------------------------------- 003


def test_003_seventeen_documents(seeds_dir):
    """003: 17 documents, each with its 文号 and date where printed."""
    result = _seed(seeds_dir, "003")
    assert len(result.documents) == 17
    by = {d.title: d for d in result.documents}
    d = by["国务院关于全面加强基础科学研究的若干意见"]
    assert (d.doc_number, d.date.isoformat(), d.issuer) == (
        "国发〔2018〕4号",
        "2018-01-19",
        "国务院",
    )
    d = by["关于深化高等教育领域简政放权放管结合优化服务改革的若干意见"]
    assert d.doc_number == "教政法〔2017〕7号"
    assert d.issuer == "教育部 中央编办 发展改革委 财政部 人力资源社会保障部"


def test_003_double_first_class_regulation_29_articles(seeds_dir):
    """统筹推进…实施办法（暂行）: 第一章–第七章 > 第一条–第二十九条."""
    doc = _doc(_seed(seeds_dir, "003"), "统筹推进世界一流大学和一流学科建设实施办法")
    chapters = [it for it in doc.items if it.level == 1]
    articles = [it for it in doc.items if it.level == 2]
    assert [c.label for c in chapters] == [f"第{int_to_cn(n)}章" for n in range(1, 8)]
    assert [c.heading for c in chapters] == [
        "总则",
        "遴选条件",
        "遴选程序",
        "支持方式",
        "动态管理",
        "组织实施",
        "附则",
    ]
    assert [a.label for a in articles] == [f"第{int_to_cn(n)}条" for n in range(1, 30)]
    assert all(a.is_requirement and a.heading == "" for a in articles)
    assert articles[10].path == ["第三章", "第十一条"]
    assert doc.date.isoformat() == "2017-01-24"


def test_003_harbin_engineering_plan_with_lead_offices(seeds_dir):
    """哈工程三年行动计划: 四、 > （一）–（三） > 1.–20. with 牵头部门; 五、 （一）–（五）; 25 rows."""
    doc = _doc(_seed(seeds_dir, "003"), "哈尔滨工程大学“双一流”建设三年行动计划")
    tasks = [it for it in doc.items if it.level == 3]
    assert [it.path[-1] for it in tasks] == [str(n) for n in range(1, 21)]
    assert [it.path[1] for it in tasks] == ["（一）"] * 4 + ["（二）"] * 12 + ["（三）"] * 4
    expected_leads = [
        "本科生院", "发计处", "发计处", "国资处", "本科生院", "研究生院", "国际处", "研究生院", "国际处", "科研院",
        "科研院", "科研院", "人力资源处", "研究生院", "国际处", "发计处", "本科生院", "人力资源处", "科研院", "科研院",
    ]  # fmt: skip
    assert [it.lead_units[0] for it in tasks] == expected_leads
    assert tasks[14].lead_units == ["国际处", "科研院"]
    assert all("牵头领导" not in it.text for it in tasks)
    assert sum(it.is_requirement for it in doc.items) == 25
    assert [it.heading for it in doc.items[:3]] == ["指导思想", "基本原则", "总体目标"]
    assert not any(it.is_requirement for it in doc.items[:3])


def test_003_false_label_from_a_wrap(seeds_dir):
    """教师队伍建设改革意见: the wrapped ``一、学术自由…`` is text, not a new section; 1.–27. continuous."""
    doc = _doc(
        _seed(seeds_dir, "003"),
        "中共中央 国务院关于全面深化新时代教师队伍建设改革的意见",
    )
    assert list(_sections(doc)) == ["一", "二", "三", "四", "五", "六"]
    flat = [x for v in _sections(doc).values() for x in v]
    assert flat == [str(n) for n in range(1, 28)]
    assert any("学术自由与学术规范相统一" in it.text for it in doc.items)


def test_003_ai_plan_box_items_are_not_main_items(seeds_dir):
    """AI plan: the 专栏 1.–8. lists are dropped; the main 1.–N. sequence continues after the box."""
    doc = _doc(_seed(seeds_dir, "003"), "国务院新一代人工智能发展规划")
    labels = [it.heading for it in doc.items]
    assert "大数据智能理论" not in labels
    assert "跨媒体感知计算理论" not in labels
    first_section = [it for it in doc.items if it.path[:2] == ["三", "（一）"] and it.level == 3]
    assert [it.path[-1] for it in first_section] == [str(n) for n in range(1, len(first_section) + 1)]
    assert first_section[1].heading == "建立新一代人工智能关键共性技术体系"


# --------------------------------------------------------------------------- 004


def test_004_newsletter_policy_texts_only(seeds_dir):
    """004: TOC skipped; the policy texts are kept, university news and commentary are not."""
    result = _seed(seeds_dir, "004")
    titles = [d.title for d in result.documents]
    assert titles[0] == "中共中央 国务院印发《深化新时代教育评价改革总体方案》"
    assert "河南省推动“人工智能+”行动计划（2024—2026年）" in titles
    assert len(titles) == 4  # the 河南 notice that publishes the plan is one document with it
    assert not any("大学" in t and "改革" in t and "印发" not in t for t in titles)


def test_004_henan_ai_plan_with_responsible_units(seeds_dir):
    """河南 人工智能+ plan: 二、–四、 > （一） restarting, 21 rows each with （责任单位：…）."""
    doc = _doc(_seed(seeds_dir, "004"), "河南省推动“人工智能+”行动计划（2024—2026年）")
    assert _sections(doc) == {
        "一": [],
        "二": [f"（{int_to_cn(n)}）" for n in range(1, 11)],
        "三": [f"（{int_to_cn(n)}）" for n in range(1, 7)],
        "四": [f"（{int_to_cn(n)}）" for n in range(1, 6)],
    }
    rows = [it for it in doc.items if it.is_requirement]
    assert len(rows) == 21
    assert all(it.lead_units for it in rows)
    assert all("（责任单位：" not in it.text for it in rows)  # the word also occurs in running text
    assert rows[0].heading == "人工智能+医疗"
    assert rows[0].lead_units == ["省卫生健康委"]


def test_004_evaluation_reform_22_items(seeds_dir):
    """深化新时代教育评价改革总体方案: 1.–22. continuous under 二、 > （一）–（五）, plus 三、（一）–（三）."""
    doc = _doc(_seed(seeds_dir, "004"), "中共中央 国务院印发《深化新时代教育评价改革总体方案》")
    arabic = [it for it in doc.items if it.level == 3]
    assert [it.path[-1] for it in arabic] == [str(n) for n in range(1, 23)]
    assert sum(it.is_requirement for it in doc.items) == 25


# --------------------------------------------------------------------------- titles, issuers


def test_002_titles_wrapped_over_several_lines_are_joined_fully(seeds_dir):
    """Titles printed as "…关于印发" / "《…》" / "的通知" keep their ending."""
    docs = _seed(seeds_dir, "002").documents
    titles = [d.title for d in docs] + [str(d.meta["notice_title"]) for d in docs if "notice_title" in d.meta]
    for title in (
        "教育部办公厅关于印发《教育部产学合作协同育人项目管理办法》的通知",
        "科技部等六部门办公厅（室）关于印发《新形势下加强基础研究若干重点举措》的通知",
        "教育部关于印发《国家教材建设重点研究基地管理办法》的通知",
        "市场监管总局办公厅 教育部办公厅 公安部办公厅关于统筹做好疫情防控和春季学校食品安全工作的通知",
        "国家知识产权试点/示范高校工作方案内容参考",
        "教育部应对新型冠状病毒感染肺炎疫情工作领导小组办公室关于疫情防控期间以信息化支持教育教学工作的通知",
    ):
        assert title in titles
    # "…印发《…》" alone is a news-style title; "…关于印发《…》" always goes on with 的通知.
    assert not any(t.endswith("关于印发") or ("关于印发" in t and t.endswith("》")) for t in titles)
    assert not any("附件" in t for t in titles)


def test_002_issuer_is_the_full_signature(seeds_dir):
    """Signatures wrapped over two lines are joined; stamps (代章) are not part of the issuer."""
    result = _seed(seeds_dir, "002")
    assert (
        _doc(
            result,
            "教育部应对新型冠状病毒感染肺炎疫情工作领导小组办公室关于疫情防控期间",
        ).issuer
        == "教育部应对新型冠状病毒感染肺炎疫情工作领导小组办公室"
    )
    assert (
        _doc(result, "教育部应对新型冠状病毒肺炎疫情工作领导小组办公室关于在疫情").issuer
        == "教育部应对新型冠状病毒肺炎疫情工作领导小组办公室"
    )
    assert (
        _doc(
            result,
            "教育部应对新型冠状病毒感染肺炎疫情工作领导小组办公室关于在疫情防控期间做好",
        ).issuer
        == "教育部应对新型冠状病毒感染肺炎疫情工作领导小组办公室"
    )
    assert (
        _doc(result, "教育部应对新冠肺炎疫情工作领导小组办公室关于新冠肺炎疫情期间").issuer
        == "教育部应对新冠肺炎疫情工作领导小组办公室"
    )
    for doc in result.documents:
        assert "代章" not in doc.issuer
        assert not doc.issuer.startswith(("工作领导小组", "领导小组"))


def test_002_briefing_after_western_development_is_split_off(seeds_dir):
    """#47 "教育部：…有关情况和下一步工作考虑" is a news briefing, not part of #46."""
    result = _seed(seeds_dir, "002")
    west = _doc(result, "中共中央 国务院关于新时代推进西部大开发")
    assert [it.path[-1] for it in west.items if it.is_requirement] == [f"（{int_to_cn(n)}）" for n in range(1, 37)]
    assert "在线教学" not in "".join(it.text for it in west.items)
    skipped = {s["title"]: s["kind"] for s in result.skipped}
    assert skipped["教育部：疫情期间大中小学在线教育有关情况和下一步工作考虑"] == "news"


def test_002_manufacturing_plan_glued_section_label(seeds_dir):
    """#41: "二、（一）指导思想。" (12308) is a typo; 二、支柱产业 holds （一）–（八）."""
    doc = _doc(_seed(seeds_dir, "002"), "重庆市推动制造业高质量发展专项行动方案")
    sections = _sections(doc)
    assert list(sections) == ["一", "二", "三", "四"]
    assert sections["一"] == ["（一）", "（二）"]
    assert sections["二"] == [f"（{int_to_cn(n)}）" for n in range(1, 9)]
    rows = [it for it in doc.items if it.is_requirement]
    assert len(rows) == 8 + 12 + 6
    assert rows[0].heading == "智能产业"


def test_002_ip_pilot_plan_work_procedure_items_are_rows(seeds_dir):
    """#28a: 四、组织管理 "工作程序如下：" introduces titled steps （一）–（四), which are rows;
    the conditions 1．–4. and 1．–3. under （一）提出申请 stay its checklist."""
    doc = _doc(_seed(seeds_dir, "002"), "国家知识产权试点示范高校建设工作方案")
    four = [it for it in doc.items if it.path[0] == "四"]
    assert [(it.label, it.is_requirement) for it in four] == [
        ("四、", False),
        ("（一）", True),
        *[(f"{n}．", False) for n in (1, 2, 3, 4, 1, 2, 3)],
        ("（二）", True),
        ("（三）", True),
        ("（四）", True),
    ]
    assert sum(it.is_requirement for it in doc.items) == 12 + 5 + 4


def test_000_headings_are_the_topic_sentences(seeds_dir):
    """000: every item opens with a topic sentence (17–60 chars) ending in 。."""
    doc = _seed(seeds_dir, "000").documents[0]
    rows = [it for it in doc.items if it.is_requirement]
    assert all(it.heading for it in rows)
    assert rows[0].heading == ("紧紧围绕政治机关定位，加强政治建设，为攻坚克难、狠抓落实提供有力思想保证")
    assert rows[3].heading == "着力推动破除教育评价“五唯”及科技评价“四唯”，引导高校科技战线转作风、正学风"
    for it in rows:
        assert it.text.startswith(it.heading + "。")
