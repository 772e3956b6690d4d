"""The words that name a task's fields: who leads, who helps, which leader, by when. Pure.

One vocabulary for every place that reads them: the bracketed annotations of an item
(``（牵头单位：X；配合单位：Y）``, read by :mod:`.units`), the field lines of a task block
(``责任单位：教务处`` / ``完成时限：6月底前`` on lines of their own, which start paragraphs in
:mod:`.normalize` and belong to the list's owner in :mod:`.structure`), the ``完成时限：``
label before a deadline (:mod:`.deadlines`) and the column names of a 任务分解表 (the header
row of a table, and of the Excel task-book importer).

Roles of the unit labels:

* ``LEAD_UNIT_LABELS``: every unit listed leads;
* ``RESPONSIBLE_UNIT_LABELS``: the first unit listed leads and the others cooperate — unless a
  lead label is also present, then all of them cooperate (``牵头单位：X；责任单位：Y、Z``);
* ``CO_UNIT_LABELS``: every unit listed cooperates;
* ``LEADER_LABELS`` / ``PERSON_LABELS``: people (a school leader, a contact), never units.

Each tuple lists the customary word first; longer words that contain a shorter one
(``牵头校领导`` / ``校领导``) are matched first by :func:`alternation`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LEAD_UNIT_LABELS: tuple[str, ...] = (
    "牵头单位",
    "牵头部门",
    "牵头处室",
    "牵头机构",
    "牵头院系",
    "主要责任单位",
    "主要责任部门",
    "主责单位",
    "主责部门",
    "主办单位",
)
RESPONSIBLE_UNIT_LABELS: tuple[str, ...] = (
    "责任单位",
    "责任部门",
    "责任处室",
    "负责单位",
    "负责部门",
    "实施单位",
)
CO_UNIT_LABELS: tuple[str, ...] = (
    "配合单位",
    "配合部门",
    "配合处室",
    "协办单位",
    "协办部门",
    "协同单位",
    "协同部门",
    "协作单位",
    "协助单位",
    "参与单位",
    "参与部门",
    "参加单位",
)
LEADER_LABELS: tuple[str, ...] = (
    "责任校领导",
    "分管校领导",
    "牵头校领导",
    "牵头领导",
    "责任领导",
    "分管领导",
    "主管领导",
    "校领导",
)
PERSON_LABELS: tuple[str, ...] = ("责任人", "负责人", "牵头人", "联系人")
DEADLINE_LABELS: tuple[str, ...] = (
    "完成时限",
    "完成时间",
    "完成期限",
    "整改时限",
    "办结时限",
    "时间节点",
    "时限要求",
    "时间要求",
    "截止时间",
    "截止日期",
    "时限",
    "期限",
)
# The other fields of a rectification or action plan's task block.
TASK_BLOCK_LABELS: tuple[str, ...] = (
    "整改措施",
    "整改目标",
    "整改要求",
    "问题描述",
    "存在问题",
    "问题表现",
)

# Column names of a 任务分解表 (besides the unit, leader and deadline labels above).
SEQ_LABELS: tuple[str, ...] = ("序号",)
# A table with several of these columns reads the first as the task's heading
# ("重点任务 | 具体措施", "存在问题 | 整改措施", "阶段 | 工作内容").
TASK_TEXT_LABELS: tuple[str, ...] = (
    "重点任务（原文）",
    "重点任务",
    "重点工作",
    "任务内容",
    "任务名称",
    "工作任务",
    "具体任务",
    "主要任务",
    "目标任务",
    "整改任务",
    "工作内容",
    "主要内容",
    "具体内容",
    "建设内容",
    "整改内容",
    "工作事项",
    "工作措施",
    "主要措施",
    "具体措施",
    "推进措施",
    "整改措施",
    "工作要求",
    "存在问题",
    "问题描述",
    "工作阶段",
    "阶段",
    "事项",
    "任务",
)
CLAUSE_LABELS: tuple[str, ...] = ("条款", "编号", "条目")
DOCUMENT_LABELS: tuple[str, ...] = ("文件", "文件名称", "政策文件", "文件名")
REMARK_LABELS: tuple[str, ...] = ("备注",)

UNIT_LABELS: tuple[str, ...] = LEAD_UNIT_LABELS + RESPONSIBLE_UNIT_LABELS + CO_UNIT_LABELS
# Every label that can open a field line of a task block.
FIELD_LABELS: tuple[str, ...] = UNIT_LABELS + LEADER_LABELS + PERSON_LABELS + DEADLINE_LABELS


def alternation(words: Iterable[str], *, spaced: bool = False) -> str:
    """A regex alternation of ``words``, longest first; ``spaced`` allows whitespace between
    characters (a PDF wrap can split a keyword: ``牵`` / ``头单位``)."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    if spaced:
        return "|".join(r"\s*".join(re.escape(ch) for ch in w) for w in ordered)
    return "|".join(re.escape(w) for w in ordered)


# A line that is a field of a task block: "责任单位：教务处", "完成时限：6月底前".
RE_FIELD_LINE = re.compile(rf"^(?:{alternation(FIELD_LABELS)})\s*[：:]")
# The same, or a rectification plan's other fields ("整改措施：", "问题1：…").
RE_TASK_BLOCK_LINE = re.compile(
    rf"^(?:{alternation(FIELD_LABELS + TASK_BLOCK_LABELS)})\s*[：:]"
    r"|^问题\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[：:]"
)
# A deadline label right before a phrase ("完成时限：", "时间节点为").
RE_DEADLINE_LABEL_END = re.compile(rf"(?:{alternation(DEADLINE_LABELS)})[为是]?[:：]?\s*$")


def unit_role(label: str) -> str | None:
    """``lead``, ``responsible``, ``co``, ``person`` (leaders too) or ``None`` for a label."""
    word = re.sub(r"\s+", "", label)
    if word in LEAD_UNIT_LABELS:
        return "lead"
    if word in RESPONSIBLE_UNIT_LABELS:
        return "responsible"
    if word in CO_UNIT_LABELS:
        return "co"
    if word in LEADER_LABELS or word in PERSON_LABELS:
        return "person"
    return None


__all__ = [
    "CLAUSE_LABELS",
    "CO_UNIT_LABELS",
    "DEADLINE_LABELS",
    "DOCUMENT_LABELS",
    "FIELD_LABELS",
    "LEADER_LABELS",
    "LEAD_UNIT_LABELS",
    "PERSON_LABELS",
    "REMARK_LABELS",
    "RESPONSIBLE_UNIT_LABELS",
    "RE_DEADLINE_LABEL_END",
    "RE_FIELD_LINE",
    "RE_TASK_BLOCK_LINE",
    "SEQ_LABELS",
    "TASK_BLOCK_LABELS",
    "TASK_TEXT_LABELS",
    "UNIT_LABELS",
    "alternation",
    "unit_role",
]
