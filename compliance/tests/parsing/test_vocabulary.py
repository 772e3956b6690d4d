"""One vocabulary of task fields: every label is read the same way everywhere. No database."""

from __future__ import annotations

import pytest

from compliance.parsing.deadlines import extract_deadlines
from compliance.parsing.normalize import build_paragraphs
from compliance.parsing.units import extract_units
from compliance.parsing.vocabulary import (
    CO_UNIT_LABELS,
    DEADLINE_LABELS,
    FIELD_LABELS,
    LEAD_UNIT_LABELS,
    LEADER_LABELS,
    PERSON_LABELS,
    RE_FIELD_LINE,
    RESPONSIBLE_UNIT_LABELS,
    unit_role,
)


@pytest.mark.parametrize("label", LEAD_UNIT_LABELS)
def test_lead_labels_name_leads(label):
    """``（牵头单位：A、B）``: every unit after a lead label leads."""
    assert extract_units(f"建立督办台账。（{label}：教务处、学生处）") == (["教务处", "学生处"], [], "建立督办台账。")


@pytest.mark.parametrize("label", RESPONSIBLE_UNIT_LABELS)
def test_responsible_labels_name_a_lead_then_helpers(label):
    """``（责任单位：A、B）``: the first unit leads, the others cooperate."""
    assert extract_units(f"建立督办台账。（{label}：教务处、学生处）") == (["教务处"], ["学生处"], "建立督办台账。")


@pytest.mark.parametrize("label", CO_UNIT_LABELS)
def test_co_labels_name_helpers(label):
    """``（牵头单位：A；配合单位：B）``: units after a co label cooperate."""
    lead, co, _ = extract_units(f"建立督办台账。（牵头单位：教务处；{label}：学生处）")
    assert (lead, co) == (["教务处"], ["学生处"])


@pytest.mark.parametrize("label", LEADER_LABELS + PERSON_LABELS)
def test_people_are_never_units(label):
    """``（牵头领导：张三；牵头部门：教务处）``: a person is removed from the text, never a unit."""
    assert extract_units(f"建立督办台账。（{label}：张三；牵头部门：教务处）") == (["教务处"], [], "建立督办台账。")


@pytest.mark.parametrize("label", DEADLINE_LABELS)
def test_a_deadline_label_makes_a_bare_date_a_deadline(label):
    """``完成时限：2025年6月`` needs no other context."""
    (found,) = extract_deadlines(f"加强管理，{label}：2025年6月", 2025)
    assert found.text == "2025年6月"


@pytest.mark.parametrize("label", FIELD_LABELS)
def test_field_lines_start_paragraphs(label):
    """A field line of a task block (``责任单位：教务处``) is a paragraph of its own in wrapped text."""
    lines = [
        "一、完善制度体系，建立健全学校内部督查督办工作机制，明确各",
        "环节的责任分工和办理时限，形成闭环管理的工作格局并持续推进",
        f"{label}：教务处",
        "二、强化结果运用，把督办结果作为年度考核和评优评先的依据并",
        "及时向全校通报工作进展情况，对推进不力的单位进行约谈和问责",
    ]
    paras = [p.text for p in build_paragraphs("\n".join(lines * 3))]
    assert f"{label}：教务处" in paras


def test_roles_and_field_lines_come_from_the_same_lists():
    """Every label has exactly one role, and every one opens a field line."""
    roles = {label: unit_role(label) for label in FIELD_LABELS if label not in DEADLINE_LABELS}
    assert set(roles.values()) == {"lead", "responsible", "co", "person"}
    assert all(RE_FIELD_LINE.match(f"{label}：教务处") for label in FIELD_LABELS)
    assert unit_role("牵 头 单 位") == "lead"
    assert unit_role("完成时限") is None
