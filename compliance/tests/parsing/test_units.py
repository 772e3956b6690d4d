"""Responsibility units in one item's text (compliance.parsing.units). No database."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.parsing.units import extract_units, looks_like_org, split_unit_list

# --- annotations ---------------------------------------------------------------------------------

ANNOTATIONS = [
    # (text, leads, co, text left)
    (
        (
            "制定消防物联网技术标准。(牵头单位:市司法局;配合单位:市规划自然资源局、市住房城乡建委、"
            "市市场监管局、市消防救援总队)"
        ),
        ["市司法局"],
        ["市规划自然资源局", "市住房城乡建委", "市市场监管局", "市消防救援总队"],
        "制定消防物联网技术标准。",
    ),
    (
        "定期检查。(牵头单位:市住房城乡建委;配合单位:市消防救援总队)",
        ["市住房城乡建委"],
        ["市消防救援总队"],
        "定期检查。",
    ),
    (
        "开展专项整治。(牵头单位:市应急局、市消防救援总队;配合单位:各区县政府，市政府有关部门和单位)",
        ["市应急局", "市消防救援总队"],
        ["各区县政府", "市政府有关部门和单位"],
        "开展专项整治。",
    ),
    ("保障经费投入。(牵头单位:各区县政府)", ["各区县政府"], [], "保障经费投入。"),
    (
        "提供支持和保障。(牵头单位:市政府有关部门和单位)",
        ["市政府有关部门和单位"],
        [],
        "提供支持和保障。",
    ),
    (
        "推进国际合作。（牵头领导：张志俭；牵头部门：国际处、科研院）",
        ["国际处", "科研院"],
        [],
        "推进国际合作。",
    ),
    (
        "深化本科教学改革。\n（牵头领导：吴林志；牵头部门：本科生院） ",
        ["本科生院"],
        [],
        "深化本科教学改革。",
    ),
    (
        "提升算力供给能力。（责任单位：省发展改革委、工业和信息化厅、科技厅）",
        ["省发展改革委"],
        ["工业和信息化厅", "科技厅"],
        "提升算力供给能力。",
    ),
    ("人工智能+教育。（责任单位：省教育厅）", ["省教育厅"], [], "人工智能+教育。"),
    (
        "城市管理。（责任单位：郑州市政府、省发展改革委、住房城乡建设厅）",
        ["郑州市政府"],
        ["省发展改革委", "住房城乡建设厅"],
        "城市管理。",
    ),
    ("完善制度。（牵头部门：教务处）", ["教务处"], [], "完善制度。"),
    (
        "建设课程。（主责单位：教务处；协办单位：信息化处、图书馆）",
        ["教务处"],
        ["信息化处", "图书馆"],
        "建设课程。",
    ),
    (
        "建设课程。（责任部门：研究生院；参与单位：各学院）",
        ["研究生院"],
        ["各学院"],
        "建设课程。",
    ),
    ("建设课程。（负责单位：科研院、人事处）", ["科研院"], ["人事处"], "建设课程。"),
    (
        # With an explicit lead, 责任单位 lists the units that share the work.
        "推进改革。（牵头单位：教务处；责任单位：各学院、研究生院）",
        ["教务处"],
        ["各学院", "研究生院"],
        "推进改革。",
    ),
    (
        "做好宣传。（牵头单位：宣传部，配合单位：团委、学生处）",
        ["宣传部"],
        ["团委", "学生处"],
        "做好宣传。",
    ),
    (
        "做好宣传。（牵头单位：宣传部；配合单位：团委/学生处/团委）",
        ["宣传部"],
        ["团委", "学生处"],
        "做好宣传。",
    ),
    (
        "做好宣传。（牵头单位：宣传部；配合单位：宣传部、团委）",
        ["宣传部"],
        ["团委"],
        "做好宣传。",
    ),
    (
        # Nested brackets inside a unit name do not split it.
        "落实资助。（责任单位：各省（区、市）教育厅、财政厅等）",
        ["各省（区、市）教育厅"],
        ["财政厅"],
        "落实资助。",
    ),
    ("明确分工。（牵头领导：李四）", [], [], "明确分工。"),
    # Other fields of a task table end the unit list and are not units; they stay in the
    # text so that the deadline extractor still sees them.
    (
        "建设课程。（牵头单位：教务处；完成时限：2024年底）",
        ["教务处"],
        [],
        "建设课程。（完成时限：2024年底）",
    ),
    (
        "推进。牵头单位：教务处；完成时间：2024年12月",
        ["教务处"],
        [],
        "推进。完成时间：2024年12月",
    ),
    (
        "建设课程。（牵头单位：教务处 配合单位：学生处 责任人：张三）",
        ["教务处"],
        ["学生处"],
        "建设课程。",
    ),
    ("明确分工。（责任校领导：王五；牵头单位：发计处）", ["发计处"], [], "明确分工。"),
]


@pytest.mark.parametrize(("text", "leads", "co", "rest"), ANNOTATIONS)
def test_bracketed_annotations_are_read_and_removed(text: str, leads: list[str], co: list[str], rest: str) -> None:
    """A bracketed annotation gives leads and co units, persons are dropped, the bracket goes."""
    assert extract_units(text) == (leads, co, rest)


WRAPPED = [
    # PDF wraps split the keyword and the list; the normaliser may leave stray spaces.
    "遵守消防安全管理规定。(牵 头单位:市消防救援 总队;配合单位:各区县政府)",
    "遵守消防安全管理规定。(牵头单位:\n市消防救援总队;\n配合单位:各区县政府)",
    "遵守消防安全管理规定。（ 牵头单位 ： 市消防救援总队 ； 配合单位 ： 各区县政府 ）",
    "遵守消防安全管理规定。（牵头单位：市消防救援总队；配合单位：各区县政府。）",
]


@pytest.mark.parametrize("text", WRAPPED)
def test_whitespace_anywhere_in_an_annotation_is_tolerated(text: str) -> None:
    """Whitespace inside the keyword, the names or around the colons does not matter."""
    assert extract_units(text) == (
        ["市消防救援总队"],
        ["各区县政府"],
        "遵守消防安全管理规定。",
    )


TRAILING = [
    (
        "组织培训。牵头单位：教务处；配合单位：学生处、各学院",
        ["教务处"],
        ["学生处", "各学院"],
        "组织培训。",
    ),
    ("组织培训。牵头单位:教务处 配合单位:学生处", ["教务处"], ["学生处"], "组织培训。"),
    ("组织培训。\n责任单位：人事处、教务处。", ["人事处"], ["教务处"], "组织培训。"),
    ("牵头单位：教务处", ["教务处"], [], ""),
]


@pytest.mark.parametrize(("text", "leads", "co", "rest"), TRAILING)
def test_unbracketed_key_list_at_the_end_counts(text: str, leads: list[str], co: list[str], rest: str) -> None:
    """``KEY：list`` starting a clause at the very end of the item is an annotation."""
    assert extract_units(text) == (leads, co, rest)


PROSE = [
    (
        "由教务处牵头，学生处、各学院配合，完成课程评估。",
        ["教务处"],
        ["学生处", "各学院"],
    ),
    ("由教务处牵头，学生处和各学院参与。", ["教务处"], ["学生处", "各学院"]),
    ("教务处牵头，学生处配合，做好学籍清理。", ["教务处"], ["学生处"]),
    (
        "由科技部、国务院法制办负责修订《国家科学技术奖励条例》。",
        ["科技部", "国务院法制办"],
        [],
    ),
    ("补助资金由财政部会同教育部共同管理。", ["财政部"], ["教育部"]),
    (
        "由省教育厅会同省财政厅和省人力资源社会保障厅制定办法。",
        ["省教育厅"],
        ["省财政厅", "省人力资源社会保障厅"],
    ),
    (
        "由市教委会同市住房和城乡建设委员会制定细则。",
        ["市教委"],
        ["市住房和城乡建设委员会"],
    ),
    ("本办法由财政部、教育部负责解释。", ["财政部", "教育部"], []),
    ("高校的招生录取工作由各省级招委会组织实施。", ["各省级招委会"], []),
]


@pytest.mark.parametrize(("text", "leads", "co"), PROSE)
def test_prose_forms_name_units_but_stay_in_the_text(text: str, leads: list[str], co: list[str]) -> None:
    """``由X牵头，Y配合`` / ``由X负责`` / ``由X会同Y`` give units; the text is unchanged."""
    assert extract_units(text) == (leads, co, text)


FALSE_FRIENDS = [
    "督促责任单位落实工作目标任务。",
    "对落实不到位的责任单位依法依规追究责任。",
    "明确牵头领导和责任部门，所有标志性成果均落实到院系。",
    # 由X负责 where X is not an organisation.
    "无管理单位的高层建筑，由属地区县政府指定单位负责管理。",
    "高校要进一步落实由主管校领导牵头、部门统筹、专人负责的工作机制。",
    # X牵头 without a co-operator clause, X starting with a verb.
    "支持重点行业龙头企业牵头，联合相关科研院所组建创新联合体。",
    "推动重点行业龙头企业或转制科研院所牵头，联合相关高校申报项目。",
    "各区县政府要切实强化组织领导。",
    "（一）指导思想。",
    "坚持以人民为中心（具体要求见附件）。",
    "",
]


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_running_text_is_not_an_annotation(text: str) -> None:
    """The words 责任单位/牵头 in running text, or persons, give no units and keep the text."""
    assert extract_units(text) == ([], [], text.strip())


def test_annotation_wins_over_prose() -> None:
    """With an explicit annotation, prose phrases are not read (they would double count)."""
    text = "由学生处负责组织实施。（牵头单位：教务处）"
    assert extract_units(text) == (["教务处"], [], "由学生处负责组织实施。")


def test_several_annotations_in_one_item_are_merged_in_order() -> None:
    """Two sub-points with their own annotations give the union, de-duplicated, in order."""
    text = "甲。（牵头单位：教务处；配合单位：学生处）乙。（牵头单位：科研院；配合单位：学生处、教务处）"
    assert extract_units(text) == (["教务处", "科研院"], ["学生处"], "甲。乙。")


def test_split_unit_list_keeps_names_as_printed() -> None:
    """Splitting strips punctuation and a trailing 等, never rewrites a name."""
    assert split_unit_list(" 市教委，科技厅、 市政府有关部门和单位；有关企业等。") == [
        "市教委",
        "科技厅",
        "市政府有关部门和单位",
        "有关企业",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("教务处", True),
        ("市消防救援总队", True),
        ("国务院法制办", True),
        ("各区县政府", True),
        ("主管校领导", False),
        ("属地区县政府指定单位", False),
        ("支持重点行业龙头企业", False),
        ("全国人民代表大会", False),
        ("社会", False),
    ],
)
def test_looks_like_org_is_conservative(name: str, expected: bool) -> None:
    """Only short names ending in an organisation word, without verbs or particles, pass."""
    assert looks_like_org(name) is expected


_UNIT = st.sampled_from(
    [
        "教务处",
        "学生处",
        "科研院",
        "市教委",
        "省科技厅",
        "各区县政府",
        "国际处",
        "人力资源处",
        "图书馆",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    body=st.text(alphabet="加强建设完善制度推进工作落实任务开展培训。，", max_size=40),
    leads=st.lists(_UNIT, min_size=1, max_size=3, unique=True),
    co=st.lists(_UNIT, max_size=4, unique=True),
    ascii_punct=st.booleans(),
)
def test_any_annotation_round_trips(body: str, leads: list[str], co: list[str], ascii_punct: bool) -> None:
    """Whatever the item text, an appended annotation is recovered exactly and removed."""
    co = [c for c in co if c not in leads]
    if ascii_punct:
        note = "(牵头单位:" + "、".join(leads) + (";配合单位:" + ",".join(co) if co else "") + ")"
    else:
        note = "（牵头单位：" + "、".join(leads) + ("；配合单位：" + "，".join(co) if co else "") + "）"
    assert extract_units(body + note) == (leads, co, body.strip())


# --- seed documents ------------------------------------------------------------------------------


def _seeds_dir() -> Path:
    env = os.environ.get("DUBAN_SEEDS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def _seed_block(name_prefix: str, first: int, last: int) -> str:
    """Lines ``first``..``last`` (1-based) of a seed, joined without newlines or blank lines."""
    folder = _seeds_dir()
    files = sorted(folder.glob(f"{name_prefix}_*.txt")) if folder.is_dir() else []
    if not files:
        pytest.skip("seed files not found at ../shared/seeds")
    lines = files[0].read_text(encoding="utf-8").splitlines()[first - 1 : last]
    return "".join(line.strip() for line in lines if line.strip())


def _items_ending_in_annotations(block: str, opener: str) -> list[str]:
    """Cut a block after each annotation: every item is the text up to its own annotation."""
    items = []
    pos = 0
    for match in re.finditer(opener, block):
        close = re.compile(r"[)）]").search(block, match.end())
        assert close, block[match.start() : match.start() + 80]
        items.append(block[pos : close.end()])
        pos = close.end()
    return items


SEED_002_LEADS = [
    ["市司法局"],
    ["各区县政府"],
    ["市政府有关部门和单位"],
    ["市消防救援总队"],
    ["市规划自然资源局"],
    ["市规划自然资源局"],
    ["市住房城乡建委"],
    ["市消防救援总队"],
    ["市城市管理局"],
    ["市城市管理局"],
    ["市消防救援总队"],
    ["市消防救援总队"],
    ["市消防救援总队"],
    ["市消防救援总队"],
    ["市应急局", "市消防救援总队"],
    ["市消防救援总队"],
    ["市经济信息委"],
    ["各区县政府"],
    ["各区县政府"],
    ["市消防救援总队"],
    ["市消防救援总队"],
    ["市财政局"],
    ["各区县政府"],
]


@pytest.mark.seeds
def test_seed_002_fire_safety_plan_annotations() -> None:
    """All 23 (牵头单位:…;配合单位:…) annotations of seed 002 #40 give the printed leads."""
    block = _seed_block("002", 11882, 12269)
    items = _items_ending_in_annotations(block, r"[(（]\s*牵\s*头\s*单\s*位")
    assert len(items) == 23
    results = [extract_units(item) for item in items]
    assert [lead for lead, _, _ in results] == SEED_002_LEADS
    # 21 of them name cooperating units; the first names four.
    assert sum(1 for _, co, _ in results if co) == 21
    assert results[0][1] == [
        "市规划自然资源局",
        "市住房城乡建委",
        "市市场监管局",
        "市消防救援总队",
    ]
    assert results[14][1] == ["各区县政府", "市政府有关部门和单位"]
    for _, _, rest in results:
        assert "牵头单位" not in rest and "配合单位" not in rest


SEED_003_OFFICES = [
    ["本科生院"],
    ["发计处"],
    ["发计处"],
    ["国资处"],
    ["本科生院"],
    ["研究生院"],
    ["国际处"],
    ["研究生院"],
    ["国际处"],
    ["科研院"],
    ["科研院"],
    ["科研院"],
    ["人力资源处"],
    ["研究生院"],
    ["国际处", "科研院"],
    ["发计处"],
    ["本科生院"],
    ["人力资源处"],
    ["科研院"],
    ["科研院"],
]
SEED_003_PERSONS = {"吴林志", "张志俭", "高晚欣", "韩端锋", "严汝建", "夏桂华"}


@pytest.mark.seeds
def test_seed_003_leaders_are_people_and_offices_are_leads() -> None:
    """The 20 （牵头领导：…；牵头部门：…） annotations of seed 003 give offices, never persons."""
    block = _seed_block("003", 7459, 7899)
    items = _items_ending_in_annotations(block, r"（\s*牵\s*头\s*领\s*导")
    assert len(items) == 20
    results = [extract_units(item) for item in items]
    assert [lead for lead, _, _ in results] == SEED_003_OFFICES
    for lead, co, rest in results:
        assert not (set(lead) | set(co)) & SEED_003_PERSONS
        assert "牵头领导：" not in rest


@pytest.mark.seeds
def test_seed_004_responsible_units_first_leads() -> None:
    """Every （责任单位：…） of seed 004 #5 makes its first unit the lead and the rest co."""
    block = _seed_block("004", 300, 420)
    items = _items_ending_in_annotations(block, r"（\s*责\s*任\s*单\s*位")
    assert len(items) == 21
    for item in items:
        names = re.search(r"责任单位：([^）]*)）$", item)
        assert names
        printed = names.group(1).split("、")
        lead, co, rest = extract_units(item)
        assert lead == printed[:1]
        assert co == printed[1:]
        assert "责任单位：" not in rest


def test_long_runs_without_a_keyword_are_read_whole() -> None:
    """Name lists are matched without nested repetition: long runs end (their speed is measured
    in benchmarks/bench_parse.py) with the right answer."""
    run = "由" + "和".join(["教务处学生处"] * 40) + "。"
    assert extract_units(run) == ([], [], run)
    assert extract_units("由" + "、" * 5000)[:2] == ([], [])
    assert extract_units("牵头单位：" + "教务处、" * 3000) == (["教务处"], [], "")


def test_state_council_style_closing_brackets() -> None:
    """``（X牵头，Y等按职责分工负责）`` and ``（X、Y按职责分工负责）`` name the units; a bracket
    that is not a list of organisations with role verbs is left alone."""
    from compliance.parsing.units import extract_units

    assert extract_units("加强督查。（教育部牵头，财政部、人力资源社会保障部参与）") == (
        ["教育部"],
        ["财政部", "人力资源社会保障部"],
        "加强督查。",
    )
    assert extract_units("完善政策。（国家发展改革委牵头，教育部等按职责分工负责）")[:2] == (
        ["国家发展改革委"],
        ["教育部"],
    )
    assert extract_units("完善政策。（教育部、财政部负责）")[:2] == (
        ["教育部"],
        ["财政部"],
    )
    for text in (
        "推进改革（试行）",
        "完善制度。（2025年底前完成）",
        "开展调研。（见附件）",
    ):
        assert extract_units(text) == ([], [], text)
