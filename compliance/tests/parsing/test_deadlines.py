"""Time constraints in one item's text (compliance.parsing.deadlines). No database."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.parsing.dates import last_day_of_month, quarter_end, resolve_month_day
from compliance.parsing.deadlines import RECURRENCES, extract_deadlines
from compliance.parsing.numerals import cn_to_int
from compliance.parsing.types import Deadline

D = dt.date


def triples(text: str, year: int | None = 2020, doc_date: dt.date | None = None) -> list[tuple]:
    return [(d.text, d.date, d.recurrence) for d in extract_deadlines(text, year, doc_date)]


# --- absolute dates ------------------------------------------------------------------------------

ABSOLUTE = [
    # Real phrases from the seed documents, doc year 2020.
    (
        "高校须于4月30日前将本校招生章程上传至中国高等教育学生信息网",
        [("4月30日前", D(2020, 4, 30), None)],
    ),
    (
        "须按有关要求于6月30日之前向生源所在省级招办报送",
        [("6月30日之前", D(2020, 6, 30), None)],
    ),
    ("须于5月10日以前完成核定", [("5月10日以前", D(2020, 5, 10), None)]),
    (
        "于2020年2月14日之前将纸质自查报告邮寄至",
        [("2020年2月14日之前", D(2020, 2, 14), None)],
    ),
    ("请于2020年5月20日前将推荐文件报送", [("2020年5月20日前", D(2020, 5, 20), None)]),
    ("于2020年4月底前完成", [("2020年4月底前", D(2020, 4, 30), None)]),
    ("12月底前", [("12月底前", D(2020, 12, 31), None)]),
    (
        "各省（区、市）录取工作应于7月上旬开始，8月底之前结束。",
        [("7月上旬", D(2020, 7, 10), None), ("8月底之前", D(2020, 8, 31), None)],
    ),
    (
        "本科第一批次录取应在7月10日至15日之间开始，月底之前结束。",
        [("7月10日至15日", D(2020, 7, 15), None), ("月底之前", D(2020, 7, 31), None)],
    ),
    ("考试时间为7月7日至8日。", [("7月7日至8日", D(2020, 7, 8), None)]),
    ("7月中旬完成", [("7月中旬", D(2020, 7, 20), None)]),
    ("9月下旬", [("9月下旬", D(2020, 9, 30), None)]),
    ("于2020年3月完成", [("2020年3月", D(2020, 3, 31), None)]),
    ("6月30日完成", [("6月30日", D(2020, 6, 30), None)]),
    ("截至2020年6月30日", [("截至2020年6月30日", D(2020, 6, 30), None)]),
    ("截止2020年6月30日", [("截止2020年6月30日", D(2020, 6, 30), None)]),
    ("信息保留至当年8月底。", [("至当年8月底", D(2020, 8, 31), None)]),
    ("信息保留至当年年底。", [("至当年年底", D(2020, 12, 31), None)]),
    ("二〇二〇年三月底前完成", [("二〇二〇年三月底前", D(2020, 3, 31), None)]),
    ("十二月底前报送", [("十二月底前", D(2020, 12, 31), None)]),
    ("2020 年 5 月 20 日前", [("2020年5月20日前", D(2020, 5, 20), None)]),
    ("于２０２０年５月２０日前", [("２０２０年５月２０日前", D(2020, 5, 20), None)]),
    ("明年6月底前", [("明年6月底前", D(2021, 6, 30), None)]),
    ("3月至5月完成", [("3月至5月", D(2020, 5, 31), None)]),
    ("第一次考试时间为1月8日", [("1月8日", D(2020, 1, 8), None)]),
    ("请于10月15日（星期五）前报送", [("10月15日（星期五）前", D(2020, 10, 15), None)]),
    ("10月8日17:00前提交", [("10月8日17:00前", D(2020, 10, 8), None)]),
    (
        "于2020年9月1日至2021年1月15日开展",
        [("2020年9月1日至2021年1月15日", D(2021, 1, 15), None)],
    ),
    # Year-level words.
    ("年底前完成", [("年底前", D(2020, 12, 31), None)]),
    ("2018年底前开展总结评估", [("2018年底前", D(2018, 12, 31), None)]),
    ("第一季度完成", [("第一季度", D(2020, 3, 31), None)]),
    ("一季度末", [("一季度末", D(2020, 3, 31), None)]),
    ("第三季度", [("第三季度", D(2020, 9, 30), None)]),
    ("上半年完成", [("上半年", D(2020, 6, 30), None)]),
    ("下半年启动", [("下半年", D(2020, 12, 31), None)]),
    ("年内完成", [("年内", D(2020, 12, 31), None)]),
    ("2021年上半年完成", [("2021年上半年", D(2021, 6, 30), None)]),
]


@pytest.mark.parametrize(("text", "expected"), ABSOLUTE)
def test_absolute_dates_resolve_with_the_document_year(text: str, expected: list) -> None:
    """Dates without a year take the document's year; the phrase is trimmed to the date."""
    assert triples(text) == expected


def test_without_a_year_the_date_stays_unknown() -> None:
    """No doc year and no year in the text: keep the phrase, never guess the date."""
    assert triples("4月30日前", None) == [("4月30日前", None, None)]
    assert triples("年底前", None) == [("年底前", None, None)]
    assert triples("每年3月底前", None) == [("每年3月底前", None, "yearly")]


def test_doc_date_supplies_the_year() -> None:
    """A document date alone is enough to resolve a bare month and day."""
    assert triples("4月30日前", None, D(2020, 3, 1)) == [("4月30日前", D(2020, 4, 30), None)]


def test_december_notice_deadlines_fall_in_the_next_year() -> None:
    """A notice dated 2019-12-30 that says 4月30日前 means April of the following year."""
    assert triples("4月30日前", 2019, D(2019, 12, 30)) == [("4月30日前", D(2020, 4, 30), None)]
    # An explicit year is never moved.
    assert triples("2019年4月30日前", 2019, D(2019, 12, 30)) == [("2019年4月30日前", D(2019, 4, 30), None)]


def test_invalid_calendar_dates_keep_the_phrase_only() -> None:
    """2月30日 does not exist: the phrase is kept without a date."""
    assert triples("2月30日前") == [("2月30日前", None, None)]


# --- targets, starts, effective dates ------------------------------------------------------------

TARGETS = [
    ("到2022年，基本建成全面覆盖的体系", [("到2022年", D(2022, 12, 31), None)]),
    ("到2020年底，全面完成", [("到2020年底", D(2020, 12, 31), None)]),
    ("到2026年年底，力争2—3个行业大模型", [("到2026年年底", D(2026, 12, 31), None)]),
    ("至2025年，高校专利质量明显提升", [("至2025年", D(2025, 12, 31), None)]),
    (
        "第一阶段至2018年底，按本实施方案组织实施",
        [("至2018年底", D(2018, 12, 31), None)],
    ),
    ("2035年前基本实现教育现代化", [("2035年前", D(2035, 12, 31), None)]),
    ("力争2020年办学经费总额突破30亿元", [("力争2020年", D(2020, 12, 31), None)]),
    ("截至2020年底，全国共有", [("截至2020年底", D(2020, 12, 31), None)]),
    (
        "到本世纪中叶，一流大学和一流学科的数量和实力进入世界前列",
        [("到本世纪中叶", None, None)],
    ),
    ("本规定自2020年3月1日起施行。", [("自2020年3月1日起施行", D(2020, 3, 1), None)]),
    ("本办法自印发之日起施行。", [("自印发之日起施行", None, None)]),
    ("自2020年起，高考综合改革省份使用统一命题", [("自2020年起", D(2020, 1, 1), None)]),
    ("从2020年1月起集中力量开展大排查", [("从2020年1月起", D(2020, 1, 1), None)]),
    (
        "调查问卷将于2月15日起每周五在线发布",
        [("2月15日起", D(2020, 2, 15), None), ("每周五", None, "weekly")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), TARGETS)
def test_target_years_starts_and_effective_dates(text: str, expected: list) -> None:
    """到/至/力争 years end on 31 December; starts resolve to their first day."""
    assert triples(text) == expected


# --- recurrences ---------------------------------------------------------------------------------

RECURRING = [
    (
        "每年3月底前高校通过国家知识产权局系统备案",
        [("每年3月底前", D(2020, 3, 31), "yearly")],
    ),
    (
        "省级财政、教育部门应当于每年2月底前报送",
        [("每年2月底前", D(2020, 2, 29), "yearly")],
    ),
    (
        "每年10月31日前，提前下达下一年度资金预计数",
        [("每年10月31日前", D(2020, 10, 31), "yearly")],
    ),
    ("申报与推荐截止时间为每年4月底。", [("每年4月底", D(2020, 4, 30), "yearly")]),
    ("国务院教育督导委员会每年组织一次综合督导", [("每年", None, "yearly")]),
    ("党委常委会每年至少研究一次教师队伍建设工作", [("每年", None, "yearly")]),
    ("任课教师每学期须对每个学生进行学业述评", [("每学期", None, "semester")]),
    (
        "大中小学每学年设立劳动周，可在学年内或寒暑假自主安排",
        [("每学年", None, "yearly")],
    ),
    ("每季度监测高校非正常专利申请情况", [("每季度", None, "quarterly")]),
    ("每月报送进展", [("每月", None, "monthly")]),
    ("每月15日前报送", [("每月15日前", None, "monthly")]),
    ("并每周更新补充", [("每周", None, "weekly")]),
    ("要每天了解情况", [("每天", None, "daily")]),
    ("每日报告", [("每日", None, "daily")]),
    ("每半年报告一次", [("每半年", None, "semester")]),
    ("按季度报送进展", [("按季度", None, "quarterly")]),
    ("按月通报", [("按月", None, "monthly")]),
    ("发布年度报告", [("年度报告", None, "yearly")]),
    ("情况要按年度记入学生综合素质档案", [("按年度", None, "yearly")]),
    ("保证思政课专职教师每3年至少接受一次专业培训", [("每3年", None, None)]),
]


@pytest.mark.parametrize(("text", "expected"), RECURRING)
def test_recurring_duties(text: str, expected: list) -> None:
    """每年/每学期/每季度/… are recurrences; a date part resolves in the document year."""
    assert triples(text) == expected


# --- relative limits -----------------------------------------------------------------------------

RELATIVE = [
    (
        "于本校规定的正常报到截止日期后20日之内报送",
        [("报到截止日期后20日之内", None, None)],
    ),
    ("应当会同省级教育部门在三十日内按照预算级次合理分配", [("三十日内", None, None)]),
    (
        "公安机关于当地学校开学后1个月内将春季学校食品安全工作情况报送",
        [("开学后1个月内", None, None)],
    ),
    ("自印发之日起30日内报送", [("印发之日起30日内", None, None)]),
    (
        "各试点示范高校每年度结束后（以自然年度计算）30日内报送年度工作报告",
        [
            ("每年度结束后（以自然年度计算）30日内", None, "yearly"),
            ("年度工作报告", None, "yearly"),
        ],
    ),
    ("收到通知后5个工作日内反馈", [("收到通知后5个工作日内", None, None)]),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_limits_are_text_only(text: str, expected: list) -> None:
    """Limits counted from an event have no calendar date."""
    assert triples(text) == expected


# --- false friends -------------------------------------------------------------------------------

NOTHING = [
    # Vague words.
    "及时报送，尽快完成，适时调整，定期检查，长期坚持，持续推进。",
    # Plan periods and titles.
    "重庆市高层建筑消防安全提升计划(2020—2022年)",
    "《国家中长期教育改革和发展规划纲要（2010—2020年）》",
    "《国土空间总体规划（2021-2035年）》",
    "“十四五”期间，深入实施",
    "明确指导思想和到2026年的发展目标",
    # History, forecasts, issue dates.
    "1984年启动国家重点实验室计划",
    "2016年开始新一轮建设",
    "早在2004年印发《关于进一步加强高等学校知识产权工作的若干意见》",
    "学龄人口在2032年之前将持续增加",
    "2020年5月11日，教育部办公厅印发通知",
    "2020年2月21日，习近平总书记给在北京大学的新疆籍学生回信",
    "新华社北京2月19日电",
    "国家中小学网络云平台于2月17日正式开通",
    "《若干意见》从2019年2月起草至2020年1月印发",
    "“双减”政策自2021年7月出台以后，备受关注",
    "在2019年12月20日召开的全国高校科技工作会上",
    "科技体制改革是上半年召开的全国科技大会",
    # Durations, clock times, numbers.
    "累计满20年军人的子女",
    "暂停参加各类国家教育考试1—3年",
    "具体科目考试时间安排为9:00至11:30语文",
    "教育部令第46号，见第18条",
    "近三年内获得省级以上奖励",
    "三年来，全省累计投入",
    # Rates and prohibitions.
    "按照在校生总数每生每年不低于30元的标准设立专项经费",
    "每年资助经费最高不超过100万元",
    "职业教育每年培养超过1000万名毕业生",
    "明确不得强行要求学生每天上网打卡",
    "每日经济新闻记者提问",
]


@pytest.mark.parametrize("text", NOTHING)
def test_false_friends_give_no_deadline(text: str) -> None:
    """Plan periods, history, forecasts, durations, rates and vague words are not deadlines."""
    assert triples(text) == []


def test_no_duplicates_and_order_of_appearance() -> None:
    """Each span is reported once, in reading order."""
    text = "于2020年4月底前完成自查，5月10日前报送，每年3月底前更新，到2022年全面建成"
    assert [d.text for d in extract_deadlines(text, 2020)] == [
        "2020年4月底前",
        "5月10日前",
        "每年3月底前",
        "到2022年",
    ]


def test_returns_deadline_objects_with_known_recurrences() -> None:
    """The result is a list of Deadline dataclasses; recurrences come from RECURRENCES."""
    found = extract_deadlines("每年3月底前报送，每学期检查，每季度通报，每月、每周、每天更新", 2020)
    assert all(isinstance(d, Deadline) for d in found)
    assert {d.recurrence for d in found} <= set(RECURRENCES)
    assert [d.recurrence for d in found] == [
        "yearly",
        "semester",
        "quarterly",
        "monthly",
        "weekly",
        "daily",
    ]


# --- helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "value"),
    [("12", 12), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("三十一", 31), ("廿", 20),
     ("二〇二〇", 2020), ("二零一九", 2019), ("两", 2), ("abc", None), ("", None)],
)  # fmt: skip
def test_cn_to_int(token: str, value: int | None) -> None:
    """Arabic and Chinese numerals up to 99, and digit-by-digit years, are read."""
    assert cn_to_int(token) == value


def test_resolve_month_day_words() -> None:
    """上旬 -> 10th, 中旬 -> 20th, 下旬/底/末 -> last day, None -> whole month; no year -> None."""
    assert resolve_month_day(2020, 2, "上旬") == D(2020, 2, 10)
    assert resolve_month_day(2020, 2, "中旬") == D(2020, 2, 20)
    assert resolve_month_day(2020, 2, "下旬") == D(2020, 2, 29)
    assert resolve_month_day(2021, 2, "底") == D(2021, 2, 28)
    assert resolve_month_day(2021, 2, None) == D(2021, 2, 28)
    assert resolve_month_day(2021, 2, "三十") is None
    assert resolve_month_day(None, 2, 1) is None
    assert quarter_end(2020, 2) == D(2020, 6, 30)
    assert last_day_of_month(2020, 12) == D(2020, 12, 31)


# --- properties ----------------------------------------------------------------------------------

CN_DIGIT = "〇一二三四五六七八九"


def cn(n: int) -> str:
    """Write 1..31 in Chinese numerals (十二, 二十一)."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return CN_DIGIT[units]
    return ("" if tens == 1 else CN_DIGIT[tens]) + "十" + (CN_DIGIT[units] if units else "")


@st.composite
def calendar_dates(draw: st.DrawFn) -> dt.date:
    return draw(st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)))


@settings(max_examples=200, deadline=None)
@given(day=calendar_dates(), doc_year=st.one_of(st.none(), st.integers(1990, 2060)))
def test_full_dates_before_resolve_exactly(day: dt.date, doc_year: int | None) -> None:
    """``Y年M月D日前`` is that date whatever the document year."""
    text = f"{day.year}年{day.month}月{day.day}日前"
    assert triples(text, doc_year) == [(text, day, None)]


@settings(max_examples=200, deadline=None)
@given(year=st.integers(1990, 2060), month=st.integers(1, 12))
def test_month_end_is_the_last_day(year: int, month: int) -> None:
    """``M月底前`` with a document year is the month's last day."""
    expected = D(year, month, calendar.monthrange(year, month)[1])
    assert triples(f"{month}月底前", year) == [(f"{month}月底前", expected, None)]


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(1990, 2060),
    month=st.integers(1, 12),
    part=st.sampled_from(["上旬", "中旬", "下旬", "底", "底前", "上旬前"]),
    chinese=st.booleans(),
)
def test_parts_of_a_month_stay_in_that_month(year: int, month: int, part: str, chinese: bool) -> None:
    """上旬/中旬/下旬/底 resolve inside the month mentioned, Arabic or Chinese numerals alike."""
    text = f"{cn(month) if chinese else month}月{part}"
    found = extract_deadlines(text, year)
    assert len(found) == 1
    assert found[0].date is not None
    assert (found[0].date.year, found[0].date.month) == (year, month)


@settings(max_examples=200, deadline=None)
@given(day=calendar_dates())
def test_chinese_numeral_dates_round_trip(day: dt.date) -> None:
    """``二〇二〇年三月十五日前`` resolves exactly like its Arabic twin."""
    year = "".join(CN_DIGIT[int(ch)] for ch in str(day.year))
    text = f"{year}年{cn(day.month)}月{cn(day.day)}日前"
    assert triples(text, None) == [(text, day, None)]


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(1990, 2060),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    suffix=st.sampled_from(["前", "之前", "以前", "完成", "截止"]),
)
def test_dates_never_leave_the_month_mentioned(year: int, month: int, day: int, suffix: str) -> None:
    """A day that does not exist gives no date rather than a date in another month."""
    for deadline in extract_deadlines(f"须于{month}月{day}日{suffix}", year):
        if deadline.date is not None:
            assert (deadline.date.year, deadline.date.month, deadline.date.day) == (
                year,
                month,
                day,
            )


# Common CJK characters with no digits, numerals or date words.
_PLAIN_CJK = "的是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发学政建设工作加强推进完善制度落实任务组织领导开展培训高校教师学生管理服务质量创新改革体系机制"
_DATE_CHARS = set("年月日天周季旬底末内前号起每今明次当本上下半初〇零一二三四五六七八九十两廿卅")


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=[c for c in _PLAIN_CJK if c not in _DATE_CHARS] + list("，。、；："),
        max_size=80,
    )
)
def test_plain_text_has_no_dated_deadline(text: str) -> None:
    """Text without digits or date words never yields a dated deadline."""
    assert all(d.date is None for d in extract_deadlines(text, 2020, D(2020, 5, 1)))


# --- seeds ---------------------------------------------------------------------------------------


def _seeds_dir() -> Path:
    env = os.environ.get("DUBAN_SEEDS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@pytest.mark.seeds
def test_seed_002_admissions_rules_deadlines() -> None:
    """The 2020 招生规定 in seed 002 yields its month/day deadlines in the document year."""
    folder = _seeds_dir()
    files = sorted(folder.glob("002_*.txt")) if folder.is_dir() else []
    if not files:
        pytest.skip("seed files not found at ../shared/seeds")
    text = files[0].read_text(encoding="utf-8")
    joined = re.sub(r"(?<=[^\x00-\x7f\d])\s+|\s+(?=[^\x00-\x7f])", "", re.sub(r"\n\s*", "", text))
    found = {
        (d.text, d.date) for sentence in re.split(r"(?<=[。；])", joined) for d in extract_deadlines(sentence, 2020)
    }
    for expected in [
        ("4月30日前", D(2020, 4, 30)),
        ("5月10日前", D(2020, 5, 10)),
        ("4月10日前", D(2020, 4, 10)),
        ("4月20日前", D(2020, 4, 20)),
        ("6月30日之前", D(2020, 6, 30)),
        ("7月上旬", D(2020, 7, 10)),
        ("8月底之前", D(2020, 8, 31)),
        ("7月10日至15日", D(2020, 7, 15)),
        ("每年3月底前", D(2020, 3, 31)),
        ("每年10月31日前", D(2020, 10, 31)),
        ("2020年4月底前", D(2020, 4, 30)),
        ("2020年5月20日前", D(2020, 5, 20)),
        ("到2022年", D(2022, 12, 31)),
    ]:
        assert expected in found
    texts = {t for t, _ in found}
    assert not any("2032" in t or "1984" in t for t in texts)


def test_long_and_degenerate_items_are_read_whole() -> None:
    """Whole documents and degenerate input end with the right phrases (their speed is measured
    in benchmarks/bench_parse.py)."""
    assert len(extract_deadlines("每年" * 3000, 2020)) == 3000
    assert extract_deadlines("《" * 3000 + "到2020年" * 1000, 2020) == []
    found = extract_deadlines("于4月30日前报送，到2022年建成，每学期检查。" * 500, 2020)
    assert [d.text for d in found[:3]] == ["4月30日前", "到2022年", "每学期"]
    assert len(found) == 1500


def test_recurring_dates_stay_in_the_document_year() -> None:
    """每年3月底前 resolves in the document year even when the document is dated later."""
    assert triples("每年3月底前报送", 2020, D(2020, 11, 1)) == [("每年3月底前", D(2020, 3, 31), "yearly")]


CELLS = [
    ("2024年12月31日", [("2024年12月31日", D(2024, 12, 31), None)]),
    ("2025年6月", [("2025年6月", D(2025, 6, 30), None)]),
    ("2024年底", [("2024年底", D(2024, 12, 31), None)]),
    ("2026年", [("2026年", D(2026, 12, 31), None)]),
    ("（完成时限：2024年底）", [("2024年底", D(2024, 12, 31), None)]),
    ("时间节点：2025年6月底", [("2025年6月底", D(2025, 6, 30), None)]),
    ("长期坚持", []),
    ("（2024—2026年）", []),
]


@pytest.mark.parametrize(("text", "expected"), CELLS)
def test_a_date_standing_alone_or_after_a_deadline_label_counts(text: str, expected: list) -> None:
    """A 完成时限 cell or a ``完成时限：`` field needs no other context to be a deadline."""
    assert triples(text, 2024) == expected


def test_windows_end_on_their_last_day() -> None:
    """``7月10日至15日开展`` / ``2025年4月至6月开展自查``: a window is due on its last day;
    a window in years before the document's is history."""
    assert triples("7月10日至15日开展集中培训", 2025, D(2025, 3, 1)) == [("7月10日至15日", D(2025, 7, 15), None)]
    assert triples("2025年4月至6月开展自查", 2025, D(2025, 3, 1)) == [("2025年4月至6月", D(2025, 6, 30), None)]
    assert triples("2019年3月至2020年6月期间，学校共培训教师500人", 2025) == []


def kinds(text: str, year: int | None = 2020, doc_date: dt.date | None = None) -> list[tuple]:
    return [(d.text, d.date, d.recurrence, d.kind) for d in extract_deadlines(text, year, doc_date)]


KINDS_SEEN = [
    # Targets and start dates.
    ("到2020年，基本建成", [("到2020年", D(2020, 12, 31), None, "target")]),
    ("力争2020年办学经费总额突破30亿元", [("力争2020年", D(2020, 12, 31), None, "target")]),
    ("到本世纪中叶全面建成", [("到本世纪中叶", None, None, "target")]),
    ("从2020年1月起集中力量开展大排查", [("从2020年1月起", D(2020, 1, 1), None, "start")]),
    ("自2021年起，不再组织开展", [("自2021年起", D(2021, 1, 1), None, "start")]),
    ("于4月30日前报送", [("4月30日前", D(2020, 4, 30), None, "due")]),
    ("本规定自2020年3月1日起施行", [("自2020年3月1日起施行", D(2020, 3, 1), None, "effective")]),
    ("本办法从印发之日起施行", [("从印发之日起施行", None, None, "effective")]),
    # Durations.
    ("开展为期三个月的集中整治", [("为期三个月", None, None, "duration")]),
    ("确保3个月消除重点隐患、半年见到成效、1年基本解决突出问题",
     [("3个月", None, None, "duration"), ("半年", None, None, "duration"), ("1年", None, None, "duration")]),
    ("用三年时间完成改造", [("三年", None, None, "duration")]),
    ("试点期3年。", [("试点期3年", None, None, "duration")]),
    ("上报前至少公示10个工作日", [("10个工作日", None, None, "duration")]),
    ("经过5至10年努力，基本形成", [("经过5至10年", None, None, "duration")]),
    ("各试点高校满3年后，组织复验", [("满3年后", None, None, "relative")]),
    # Cycles and frequencies.
    ("以5年为一周期，统筹安排建设任务", [("以5年为一周期", None, None, "cycle")]),
    ("每五年一个建设周期", [("每五年", None, None, "cycle")]),
    ("每四年评选一次", [("每四年", None, None, "cycle")]),
    ("中小学劳动教育课每周不少于1课时", [("每周", None, "weekly", "frequency")]),
    ("保障中小学生每天综合体育活动时间不低于2小时",
     [("每天", None, "daily", "frequency"), ("2小时", None, None, "duration")]),
    ("每年遴选10个产教融合共同体", [("每年", None, "yearly", "frequency")]),
    # Event windows and event-relative limits.
    ("学校须合理安排中高考结束后至暑假前的教育活动", [("中高考结束后至暑假前", None, None, "window")]),
    ("在寒假前对培训机构开展一次排查", [("寒假前", None, None, "window")]),
    ("第二阶段为2019年至2020年，根据实施成效调整", [("2019年至2020年", D(2020, 12, 31), None, "window")]),
    ("高校在正式投档前完成计划调整", [("正式投档前", None, None, "relative")]),
    ("于方案实施前10天报教育部备案", [("方案实施前10天", None, None, "relative")]),
    ("各地每年秋季学期开学后1个月内组织测评", [("每年秋季学期开学后1个月内", None, "yearly", "relative")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), KINDS_SEEN)
def test_every_kind_of_time_constraint_is_kept(text: str, expected: list) -> None:
    """Targets, start dates, durations, cycles, frequencies and event windows are kept as text,
    with a date only where the text gives one, and a kind."""
    assert kinds(text) == expected


NOT_CONSTRAINTS = [
    "至少须有一年担任辅导员、班主任等学生工作经历",
    "被授予专利权满三年无正当理由未实施的专利",
    "企业成立至少2年，具有独立法人资格",
    "三年来，全省累计投入",
    "大力实施东北地区培育和发展新兴产业三年行动计划",
    "连续三年考核不合格的，撤销其资格",
    "每年资助经费最高不超过500万元",
    "职业教育每年培养超过1000万名毕业生",
]


@pytest.mark.parametrize("text", NOT_CONSTRAINTS)
def test_conditions_plan_names_and_statistics_are_not_time_constraints(text: str) -> None:
    assert kinds(text) == []


def test_every_kind_is_documented() -> None:
    from compliance.parsing.deadlines import KINDS

    used = {k for _text, expected in KINDS_SEEN for *_rest, k in expected}
    assert used <= set(KINDS)
