"""The short title (heading) of a numbered item, and lists that belong to their lead-in. Pure.

Heading rule: a title line (no sentence punctuation, ≤ 40 chars), or a first paragraph that
is a single sentence followed by more paragraphs/children, or the first sentence of the item
when it is at most 60 chars, has no ``；`` and more text follows (``标题。正文`` — work-point
items open with topic sentences of 17–60 chars).  A one-sentence item has no heading.  A bracketed
opening (``1．【加强党的领导】…``) is the heading; a trailing ``（责任单位：…）`` annotation
does not count as "more text"; a run-in title set off by a space (``1.加强干部队伍建设 修订…，…``,
a bold title whose formatting was lost) is the heading, and so is a short title closed by a
colon (``（一）全面覆盖：各学校要…``; not a lead-in such as ``主要措施如下：`` or a field key).
"""

from __future__ import annotations

import re

from .numbering import LabelKind
from .tree import Node
from .vocabulary import RE_FIELD_LINE

# A topic sentence ("标题。正文"): the first sentence, if it is at most this long and more
# text follows.  Work-point items open with topic sentences of 17–60 characters.
_HEADING_MAX = 60
_RE_HEADING_SPLIT = re.compile(rf"^([^。]{{2,{_HEADING_MAX}}})。(?=.)")
# "【加强党的领导】…": a bracketed title at the start of an item.
_RE_BRACKET_TITLE = re.compile(r"^[【\[]([^】\]]{1,30})[】\]]")
# "深化本科教育教学改革 实施一流本科专业建设计划，…": a title set off by a space (a bold
# run-in title on a web page or in Word, its formatting lost).
_RE_SPACED_TITLE = re.compile(r"^([\u4e00-\u9fff“”‘’、]{4,30})[ \u3000]+(?=[\u4e00-\u9fff“《][^ \u3000]*[，。；])")
# "（一）全面覆盖：各学校要…": a short title closed by a colon.
_RE_COLON_TITLE = re.compile(r"^((?!各|请|对|为|在|按照|根据)[\u4e00-\u9fff“”、]{2,12}?)[：:](?=[^：:]{10,})")
_NOT_COLON_TITLE = re.compile(r"(?:如下|以下|包括|是|为|单位|部门|时限|时间|问题\d*)$")
# A trailing responsibility annotation ("（责任单位：省教育厅）") is not part of the prose
# when deciding whether more text follows the first sentence.
_RE_TRAILING_UNITS = re.compile(r"[（(][^（()）]*(?:单位|部门|领导|负责)[^（()）]*[）)]\s*$")


def heading_of(node: Node) -> str:
    """The short title of a node (see module docstring)."""
    lab = node.label
    first = node.text_parts[0] if node.text_parts else ""
    if lab.kind.is_division:
        return lab.rest.strip()
    if lab.kind is LabelKind.ARTICLE:
        m = re.match(r"^[【\[]([^】\]]{1,20})[】\]]", first)
        return m.group(1) if m else ""
    if not first:
        return ""
    m = _RE_BRACKET_TITLE.match(first)
    if m:
        return m.group(1).strip()
    first = _RE_TRAILING_UNITS.sub("", first).rstrip()
    if not first:
        return ""
    m = _RE_SPACED_TITLE.match(first)
    if m:
        return m.group(1)
    m = _RE_COLON_TITLE.match(first)
    if m and not _NOT_COLON_TITLE.search(m.group(1)) and not RE_FIELD_LINE.match(first):
        # Only when a body sentence follows the colon; "“立心铸魂”行动：加强…阐释。" is a
        # title containing a colon.
        sentence = re.split(r"[。！？]", first[m.end() :], maxsplit=1)[0]
        if re.search(r"[，,；;]|要|应|须|将|确保|不得", sentence) or len(sentence) > 40:
            return m.group(1)
    if first.endswith("。") and len(first) <= _HEADING_MAX + 1 and first.count("。") == 1:
        # "（一）指导思想。" on its own line with the body in the next paragraph, or a
        # section title written as a sentence; a one-sentence item has no separate title.
        return first[:-1] if len(node.text_parts) > 1 or node.children else ""
    if not re.search(r"[。；;！？]", first) and len(first) <= 40 and not first.endswith(("：", ":")):
        return first.rstrip("。")
    if (
        node.children
        and len(node.text_parts) == 1
        and len(first) <= 30
        and re.fullmatch(r"[^。；;！？，,：:]+[：:]", first)
        and not is_checklist(node)
    ):
        return first[:-1]  # "四、两类口岸的具体划分：" over titled items of its own
    m = _RE_HEADING_SPLIT.match(first)
    if m and not re.search(r"[；;]", m.group(1)):
        return m.group(1)
    return ""


def _announces_list(node: Node) -> bool:
    own = node.own_text
    if not own:
        return False
    # A lead-in line ("整改措施：") announces the list even when field lines follow it.
    if any(part.rstrip().endswith(("：", ":")) for part in node.text_parts):
        return True
    return bool(re.search(r"下列|如下|以下(?:条件|情形|内容|要求|几|方面)", own))


def is_checklist(node: Node) -> bool:
    """Are the children of a list-announcing node its checklist (conditions, duties)?

    ``下列人员不得报名：（1）…（2）…`` — yes; ``工作程序如下：（一）提出申请。…（二）集中
    评定。…`` — no: children with their own titles or their own sub-items are real items.
    """
    if not node.children or not _announces_list(node) or any(ch.row is not None for ch in node.children):
        return False
    kids = node.children
    if any(ch.children for ch in kids):
        return False
    titled = sum(1 for ch in kids if heading_of(ch))
    return titled * 2 < len(kids)


__all__ = ["heading_of", "is_checklist"]
