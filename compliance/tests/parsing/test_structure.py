"""Tree rules: headings, glued labels, lists announced by a lead-in, restarted lists."""

from __future__ import annotations

from compliance.parsing import parse_text


def _items(text: str):
    result = parse_text(text)
    assert len(result.documents) == 1, [d.title for d in result.documents]
    return result.documents[0].items


# --------------------------------------------------------------------------- headings


def test_heading_is_a_topic_sentence_of_up_to_60_chars_followed_by_more_text():
    items = _items(
        "某大学2024年工作要点\n"
        "一、加强党的建设\n"
        "1.紧紧围绕政治机关定位，加强政治建设，为攻坚克难、狠抓落实提供有力思想保证。"
        "强化理论武装，推进学习教育常态化制度化。\n"
        "2.完善管理制度。制定实验室准入制度。\n"
        "3.各学院要落实安全责任制，明确学校、学院、实验室三级责任。\n"
        "4.本条第一句话很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
        "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。后面还有正文。\n"
        "5.各单位要按时报送；逾期不报的予以通报。其他要求另行通知。\n"
    )
    heads = {it.label: it.heading for it in items}
    # 36 characters, a topic sentence followed by the body.
    assert heads["1."] == "紧紧围绕政治机关定位，加强政治建设，为攻坚克难、狠抓落实提供有力思想保证"
    assert heads["2."] == "完善管理制度"
    assert heads["3."] == ""  # one sentence and nothing else: no separate title
    assert heads["4."] == ""  # first sentence longer than 60 characters
    assert heads["5."] == ""  # a first "sentence" with a semicolon is not a title
    assert heads["一、"] == "加强党的建设"


def test_title_line_with_body_in_the_next_paragraph_is_the_heading():
    items = _items(
        "某某学院关于加强实验室安全工作的实施意见\n"
        "一、主要任务\n"
        "（一）压实安全责任。\n"
        "各学院要落实实验室安全责任制，明确学校、学院、实验室三级责任。\n"
        "（二）开展隐患排查\n"
        "各学院于每学期开学前完成一次全面排查，建立隐患台账。\n"
    )
    assert [(it.label, it.heading, it.is_requirement) for it in items] == [
        ("一、", "主要任务", False),
        ("（一）", "压实安全责任", True),
        ("（二）", "开展隐患排查", True),
    ]


# --------------------------------------------------------------------------- glued labels


def test_glued_section_label_repeated_later_is_a_typo():
    """``二、（一）指导思想。`` printed where ``（一）`` belongs to 一、 (002 #41, line 12308)."""
    items = _items(
        "某市推动制造业高质量发展专项行动方案\n"
        "一、总体要求\n"
        "二、（一）指导思想。坚持新发展理念，推动制造业高质量发展。\n"
        "（二）主要目标。到2022年，制造业增加值占比保持稳定。\n"
        "二、重点发展方向\n"
        "（一）智能产业。依托电子信息产业基础，延展完善产业链。\n"
        "（二）汽车产业。推动整车产品向绿色化、智能化发展。\n"
        "三、保障措施\n"
        "（一）加强组织领导。强化领导小组职能。\n"
    )
    assert [(it.path, it.is_requirement) for it in items] == [
        (["一"], False),
        (["一", "（一）"], False),  # context (指导思想)
        (["一", "（二）"], False),  # context (主要目标)
        (["二"], False),
        (["二", "（一）"], True),
        (["二", "（二）"], True),
        (["三"], False),
        (["三", "（一）"], True),
    ]
    assert items[4].heading == "智能产业"


# --------------------------------------------------------------------------- announced lists


def test_lead_in_with_titled_children_keeps_them_as_items():
    """``工作程序如下：`` followed by titled ``（一）提出申请。…`` items: the items are rows."""
    items = _items(
        "某某高校知识产权试点工作方案\n"
        "一、组织管理\n"
        "科技处负责试点的组织管理工作。工作程序如下：\n"
        "（一）提出申请。\n"
        "申报试点学院应具备以下基本条件：\n"
        "1．设置了专门的知识产权管理岗位。\n"
        "2．具有一批高质量发明专利。\n"
        "申报示范学院具备以下基本条件：\n"
        "1．具有规范的知识产权管理体系。\n"
        "2．成果转化效果明显。\n"
        "（二）集中评定。科技处组织专家进行集中评定，择优确定试点学院。\n"
        "（三）年度报告。各试点学院每年12月底前报送年度工作报告。\n"
    )
    rows = [(it.path, it.is_requirement) for it in items]
    assert rows == [
        (["一"], False),
        (["一", "（一）"], True),  # the conditions are its checklist
        (["一", "（一）", "1"], False),
        (["一", "（一）", "2"], False),
        (["一", "（一）", "1"], False),  # a second list restarts after its lead-in
        (["一", "（一）", "2"], False),
        (["一", "（二）"], True),
        (["一", "（三）"], True),
    ]
    assert "申报示范学院" not in items[3].text  # not glued onto the first list's last item


def test_lead_in_with_plain_conditions_keeps_them_in_the_parent_row():
    items = _items(
        "某某大学研究生招生工作规定\n"
        "一、报名\n"
        "1.符合下列条件的人员，可以申请报名：\n"
        "（1）拥护中国共产党的领导；\n"
        "（2）身体健康状况符合规定；\n"
        "2.报名工作由研究生院统一组织，各学院配合。\n"
    )
    assert [(it.label, it.is_requirement) for it in items] == [
        ("一、", False),
        ("1.", True),
        ("（1）", False),
        ("（2）", False),
        ("2.", True),
    ]


def test_restart_after_a_plain_subheading():
    """A new list may restart at 1 after an unnumbered sub-heading line."""
    items = _items(
        "某某大学关于做好在线教学工作的通知\n"
        "一、工作安排\n"
        "本科生教学\n"
        "1.各学院按原定教学计划开展在线教学。\n"
        "2.教务处做好平台保障。\n"
        "研究生教学\n"
        "1.研究生院统筹安排研究生课程。\n"
    )
    assert [it.path for it in items] == [["一"], ["一", "1"], ["一", "2"], ["一", "1"]]
    assert all(it.is_requirement for it in items[1:])
