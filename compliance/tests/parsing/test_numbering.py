"""Label recognition: kinds, numbers, printed and normalised labels, false friends."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.parsing.numbering import cn_to_int, int_to_cn, recognize_label


@pytest.mark.parametrize(
    ("line", "kind", "number", "label", "norm", "rest"),
    [
        ("一、加强政治建设", "cn_dun", 1, "一、", "一", "加强政治建设"),
        ("十三、附则", "cn_dun", 13, "十三、", "十三", "附则"),
        ("（五）强化督导检查。", "cn_paren", 5, "（五）", "（五）", "强化督导检查。"),
        ("(一) 赋予科研人员", "cn_paren", 1, "(一)", "（一）", "赋予科研人员"),
        (
            "（二十八）加强督导检查",
            "cn_paren",
            28,
            "（二十八）",
            "（二十八）",
            "加强督导检查",
        ),
        ("1.持续加强政治建设", "arabic", 1, "1.", "1", "持续加强政治建设"),
        ("15. 开展专项整治行动", "arabic", 15, "15.", "15", "开展专项整治行动"),
        ("33．教育部负责汇总", "arabic", 33, "33．", "33", "教育部负责汇总"),
        ("2、加强管理", "arabic", 2, "2、", "2", "加强管理"),
        ("１．全角数字", "arabic", 1, "１．", "1", "全角数字"),
        (
            "（1）遵守宪法和法律；",
            "arabic_paren",
            1,
            "（1）",
            "（1）",
            "遵守宪法和法律；",
        ),
        ("(10)负责处理", "arabic_paren", 10, "(10)", "（10）", "负责处理"),
        ("①建立台账", "circled", 1, "①", "①", "建立台账"),
        ("第一章总则", "chapter", 1, "第一章", "第一章", "总则"),
        ("第十一条 为规范管理", "article", 11, "第十一条", "第十一条", "为规范管理"),
        ("第一百零五条 附则", "article", 105, "第一百零五条", "第一百零五条", "附则"),
        ("第三节 考核", "section", 3, "第三节", "第三节", "考核"),
        ("第二编 分则", "part", 2, "第二编", "第二编", "分则"),
        ("` 第三十条 积极支持", "article", 30, "第三十条", "第三十条", "积极支持"),
        (" 4.着力推动", "arabic", 4, "4.", "4", "着力推动"),
    ],
)
def test_recognises_label_variants(line, kind, number, label, norm, rest):
    """Each label style is recognised with its number, printed form, normalised form and rest."""
    lab = recognize_label(line)
    assert lab is not None
    assert (lab.kind, lab.number, lab.label, lab.norm, lab.rest) == (
        kind,
        number,
        label,
        norm,
        rest,
    )


@pytest.mark.parametrize(
    "line",
    [
        "第 45 条、第 46 条有关情形",
        "第45条规定的分值",
        "第三条规定的情形",
        "第一，要坚持党的领导",
        "一是加强组织领导",
        "一、二年级学生",
        "1.5亿元资金",
        "2020.3.1起施行",
        "2019年工作要点",
        "依照第三条执行",
        "见第18条",
        "教育部令第46号",
        "第一批试点高校",
        "",
    ],
)
def test_false_friends_are_not_labels(line):
    """Cross-references, ordinal phrases, decimals and dates never start a label."""
    assert recognize_label(line) is None


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_round_trip(n):
    """Every number written in Chinese numerals converts back to itself."""
    assert cn_to_int(int_to_cn(n)) == n


@given(st.integers(min_value=1, max_value=999))
def test_article_labels_round_trip(n):
    """``第{cn(n)}条`` is an article numbered n, kept as printed."""
    lab = recognize_label(f"第{int_to_cn(n)}条 本办法适用于全国高校。")
    assert lab is not None
    assert (lab.kind, lab.number, lab.norm) == ("article", n, f"第{int_to_cn(n)}条")
    assert lab.rest == "本办法适用于全国高校。"


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["（{}）", "({})"]))
def test_cn_paren_labels_normalise_to_full_width(n, template):
    """``（一）`` and ``(一)`` both normalise to the full-width form."""
    lab = recognize_label(template.format(int_to_cn(n)) + "加强组织领导。")
    assert lab is not None
    assert (lab.kind, lab.number, lab.norm) == ("cn_paren", n, f"（{int_to_cn(n)}）")


@given(st.integers(min_value=1, max_value=99))
def test_cn_dun_labels(n):
    """``十二、`` is a section label numbered 12 whose normalised form drops the 、."""
    lab = recognize_label(f"{int_to_cn(n)}、重点任务")
    assert lab is not None
    assert (lab.kind, lab.number, lab.norm, lab.rest) == (
        "cn_dun",
        n,
        int_to_cn(n),
        "重点任务",
    )


@given(st.integers(min_value=1, max_value=999), st.sampled_from([".", "．", "、", ". "]))
def test_arabic_labels_normalise(n, sep):
    """``{n}.``, ``{n}．``, ``{n}、`` normalise to the bare number."""
    lab = recognize_label(f"{n}{sep}完善管理制度")
    assert lab is not None
    assert (lab.kind, lab.number, lab.norm, lab.rest) == (
        "arabic",
        n,
        str(n),
        "完善管理制度",
    )


@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["（{}）", "({})", "( {} )"]),
)
def test_arabic_paren_labels_normalise(n, template):
    """``（1）``, ``(1)`` and ``( 1 )`` normalise to ``（1）``."""
    lab = recognize_label(template.format(n) + "烈士子女；")
    assert lab is not None
    assert (lab.kind, lab.number, lab.norm) == ("arabic_paren", n, f"（{n}）")


_PROSE = st.text(alphabet="的是在有和要高校教育工作管理加强推进建设制度", min_size=0, max_size=20)


@settings(max_examples=200)
@given(
    _PROSE,
    st.integers(min_value=1, max_value=200),
    st.sampled_from(
        [
            "依照第{}条",
            "根据第{}条规定",
            "见第{}条",
            "按照第{}章有关规定",
            "符合第{}条、第{}条",
        ]
    ),
    _PROSE,
)
def test_prose_with_cross_references_is_not_a_label(before, n, form, after):
    """Prose that cites articles (``依照第三条``) never starts a label, with either numeral style."""
    for num in (str(n), int_to_cn(n)):
        ref = form.replace("{}", num)
        line = "各" + before + ref + after
        assert recognize_label(line) is None
        assert recognize_label(before + ref + after) is None or (before + ref).startswith(("第", "一", "二"))


@settings(max_examples=200)
@given(
    st.integers(min_value=1, max_value=200),
    st.sampled_from(["、", "，", "的", "规定", "之"]),
)
def test_cross_reference_at_line_start_is_not_a_label(n, follow):
    """A wrapped line starting ``第45条、`` / ``第三条规定`` is a reference, not an article."""
    assert recognize_label(f"第{n}条{follow}有关情形") is None
    assert recognize_label(f"第{int_to_cn(n)}条{follow}有关情形") is None


@pytest.mark.parametrize(
    ("line", "norm", "rest"),
    [
        ("问题一：部分项目结算不及时。", "问题一", "部分项目结算不及时。"),
        ("问题 2：公务接待不规范", "问题2", "公务接待不规范"),
        ("任务三.建设实践中心", "任务三", "建设实践中心"),
    ],
)
def test_problem_and_task_blocks_are_labels(line, norm, rest):
    lab = recognize_label(line)
    assert lab is not None and lab.kind == "block"
    assert (lab.norm, lab.rest) == (norm, rest)


@pytest.mark.parametrize("line", ["问题导向，补齐短板。", "问题的整改情况及时复查", "任务完成情况"])
def test_problem_words_in_sentences_are_not_labels(line):
    assert recognize_label(line) is None


def test_numerals_agree_with_cn2an():
    """Our one numeral table reads and writes 1..9999 as the cn2an library does."""
    import cn2an

    for n in range(1, 10_000):
        assert int_to_cn(n) == cn2an.an2cn(n)
        assert cn_to_int(cn2an.an2cn(n)) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [("三五十", None), ("十百", None), ("〇一", None), ("一百十", 110), ("二〇二〇", 2020), ("廿五", 25),
     ("１２", 12), ("两", 2), ("千", None)],
)  # fmt: skip
def test_malformed_numerals_are_refused(text, value):
    """A numeral is read only when well-formed, so reading it doubles as a validity check."""
    assert cn_to_int(text) == value


EXAMPLES = {
    "第一编 总则": "part",
    "第二部分 主要任务": "part",
    "第三章 附则": "chapter",
    "第一节 目标": "section",
    "第十二条 本办法自发布之日起施行。": "article",
    "一、总体要求": "cn_dun",
    "（二）加强领导": "cn_paren",
    "3. 完善制度": "arabic",
    "（4）按时报送": "arabic_paren",
    "5）按时报送": "arabic_half",
    "⑥按时报送": "circled",
    "问题七：台账不全": "block",
}


def test_every_numbering_style_is_recognised():
    """Each LabelKind has a pattern: a new style needs its member and its regex, nothing else."""
    from compliance.parsing.numbering import LabelKind

    kinds = {line: recognize_label(line).kind for line in EXAMPLES}
    assert kinds == {line: LabelKind(kind) for line, kind in EXAMPLES.items()}
    assert set(kinds.values()) == set(LabelKind)
    assert [k for k in LabelKind if k.rank is not None] == [
        LabelKind.PART,
        LabelKind.CHAPTER,
        LabelKind.SECTION,
        LabelKind.ARTICLE,
    ]
    assert {k for k in LabelKind if k.arabic} == {LabelKind.ARABIC, LabelKind.ARABIC_PAREN, LabelKind.ARABIC_HALF}
