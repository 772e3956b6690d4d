"""Character clean-up, page furniture and paragraph reconstruction."""

from __future__ import annotations

from compliance.parsing.normalize import build_paragraphs, fix_spaces


def _texts(text: str) -> list[str]:
    return [p.text for p in build_paragraphs(text)]


def test_spaces_around_digits_and_inside_chinese_are_removed():
    """``2019 年`` becomes ``2019年``; letter-spaced words close up; ASCII words keep their space."""
    assert fix_spaces("教育部科技司 2019 年工作要点") == "教育部科技司2019年工作要点"
    assert fix_spaces("同时符合第 45 条、第 46 条") == "同时符合第45条、第46条"
    assert fix_spaces("学 校 名 称 ：") == "学校名称："
    assert fix_spaces("出口带宽达到 100 Mbs 以上") == "出口带宽达到100 Mbs以上"
    assert fix_spaces("use Office 365 online") == "use Office 365 online"


def test_names_separated_by_spaces_on_short_lines_are_kept():
    """A signature line of several issuers keeps its separators."""
    assert fix_spaces("教育部  财政部   国家发展改革委") == "教育部 财政部 国家发展改革委"


def test_control_characters_and_odd_spaces_are_cleaned():
    """Control characters, NBSP and ideographic spaces do not survive."""
    assert _texts("一、\x07总体\u00a0要求\u3000\r\n") == ["一、总体要求"]


def _wrap(p: str, width: int) -> list[str]:
    """Wrap by display width like a PDF layout: CJK counts 2, ASCII 1."""
    lines, cur, w = [], "", 0
    for ch in p:
        cw = 1 if ch.isascii() else 2
        if w + cw > width:
            lines.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


def _wrapped(paragraphs: list[str], width: int = 40, blank_after_each: bool = True) -> str:
    lines: list[str] = []
    for p in paragraphs:
        for line in _wrap(p, width):
            lines.append(line)
            if blank_after_each:
                lines.append("")
    return "\n".join(lines)


PARAS = [
    "为切实加强高校实验室安全管理，保障师生生命财产安全，维护学校安全稳定，现就有关事项通知如下。",
    "一、提高思想认识",
    "1.压实安全责任。各高校要落实实验室安全责任制，明确学校、学院、实验室三级责任，层层签订责任书。",
    "2.开展隐患排查。各高校要于2021年6月30日前完成一次全面排查，建立隐患台账，实行闭环管理。",
    "二、加强制度建设",
    "3.完善管理制度。制定实验室准入、危险化学品管理等制度。",
]


def test_hard_wrapped_pdf_text_is_joined_into_paragraphs():
    """Lines wrapped at a fixed width, with a blank line after every line, rebuild the paragraphs."""
    assert _texts(_wrapped(PARAS)) == PARAS


def test_hard_wrapped_without_blank_lines():
    """The same without blank lines."""
    assert _texts(_wrapped(PARAS, blank_after_each=False)) == PARAS


def test_one_paragraph_per_line_is_kept():
    """Web text with one paragraph per line stays as it is."""
    assert _texts("\n".join(PARAS)) == PARAS


def test_label_at_start_of_a_wrapped_line_mid_sentence_is_not_a_paragraph():
    """``…言传与身教相统`` / ``一、学术自由…``: the wrap is joined, not split at the false label."""
    item = [
        "2.坚持正确方向。引导广大教师坚持教书育人",
        "和自我修养相结合，坚持言传与身教相统",
        "一、学术自由与学术规范相统一，潜心问道",
        "和关注社会相统一，努力成为先进思想文化",
        "的传播者。",
    ]
    text = "\n".join([_wrapped(PARAS, blank_after_each=False), *item, "三、强化保障"])
    texts = _texts(text)
    assert texts[:-2] == PARAS
    assert texts[-2] == "".join(item)
    assert texts[-1] == "三、强化保障"


def test_page_numbers_and_running_headers_are_dropped():
    """``— 3 —``, ``第3页 共10页`` and a header repeated on every page disappear."""
    pages = []
    for n in range(1, 6):
        pages.append(f"某某大学文件汇编\n\n\n第{n}部分正文内容在这里，说明第{n}项工作。\n\n\n— {n} —\n\f")
    text = "".join(pages) + "第6页 共6页\n"
    out = _texts(text)
    assert all("汇编" not in t for t in out)
    assert all("—" not in t and "页" not in t for t in out)
    assert len(out) == 5


def test_bare_page_number_between_blank_runs_is_dropped():
    """A number alone between page-break gaps is a page number; inside text it stays."""
    text = "第一段文字说明有关要求。\n\n\n\n72\n\n\n\n第二段文字说明有关要求。\n"
    assert _texts(text) == ["第一段文字说明有关要求。", "第二段文字说明有关要求。"]


def test_table_of_contents_is_skipped():
    """TOC lines (title, TAB or dot leader, page number) are removed with the 目录 header."""
    toc = "目录\n【政策文件】\t1\n关于加强实验室安全的通知\t1\n关于做好就业工作的通知\t5\n关于开展检查的通知……………………9\n"
    body = "关于加强实验室安全的通知\n一、总体要求\n"
    out = _texts(toc + body)
    assert out == ["关于加强实验室安全的通知", "一、总体要求"]
