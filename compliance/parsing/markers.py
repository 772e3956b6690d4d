"""Lines with a fixed role in an official document: 文号, date lines, 附件 markers, table rows,
signatures, and titles ending in a document-type word (通知, 意见, 办法…). Pure.
"""

from __future__ import annotations

import re

from .numbering import recognize_label

_SENT_END = "。！？；：!?;:"

_RE_DOCNUM = re.compile(
    r"^[\u4e00-\u9fff×XＸ]{1,16}[〔［\[﹝【(（]\s*(?:19|20)\d{2}\s*[〕］\]﹞】)）]\s*\d{1,4}\s*号$"
    r"|^[\u4e00-\u9fff]{2,20}令\s*第\s*\d{1,4}\s*号$"
)
_RE_DATE_LINE = re.compile(
    r"^(?:(?:19|20)\d{2}|[一二〇○零三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?$"
)
_RE_BRACKET_DATE = re.compile(r"^[（(]\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[^（()）]{0,30}[）)]$")
_RE_ATTACH = re.compile(r"^附\s*件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[：:]?$")


# A row of a real table (Word), as written by decode: "| 1 | 自查阶段 | 2024年5月31日前 |".
RE_TABLE_ROW = re.compile(r"^\|\s.*\s\|$")


def is_table_row(text: str) -> bool:
    return bool(RE_TABLE_ROW.match(text))


def is_docnum(text: str) -> bool:
    """A standalone 文号 line: ``教学〔2019〕4号``, ``工信党建组办﹝2020﹞1号``, ``教育部令第46号``."""
    return bool(_RE_DOCNUM.match(text.replace(" ", "")))


def is_date_line(text: str) -> bool:
    """A standalone date line (signature date): ``2020年2月28日``."""
    return bool(_RE_DATE_LINE.match(text.replace(" ", "")))


def is_bracket_date(text: str) -> bool:
    """A date in brackets under a title: ``（2020年3月20日）``."""
    return bool(_RE_BRACKET_DATE.match(text.replace(" ", "")))


def is_attachment_marker(text: str) -> bool:
    """``附件`` / ``附件1`` / ``附件：`` alone on a line (the start of an attachment)."""
    return bool(_RE_ATTACH.match(text.replace(" ", "")))


RE_ORG_END = re.compile(
    r"(部|厅|委|局|院|会|办|府|组|室|中央|国务院|司|党组|政府|委员会|中心|办公室|小组|学校|大学|学院|银行|集团|总队|公司|"
    r"代章）|代章\))$"
)


def looks_like_signature(text: str) -> bool:
    """A short line naming issuing bodies (``教育部办公厅``, ``科技部 财政部``)."""
    t = text.strip()
    if not t or len(t) > 40 or t[-1] in _SENT_END or recognize_label(t) is not None:
        return False
    return bool(RE_ORG_END.search(t.replace(" ", "")))


DOC_WORDS = (
    "通知",
    "意见",
    "办法",
    "规定",
    "方案",
    "计划",
    "要点",
    "决定",
    "细则",
    "纲要",
    "规划",
    "条例",
    "答记者问",
    "函",
    "报告",
    "指南",
    "标准",
    "公告",
    "通报",
    "批复",
    "规则",
    "章程",
    "制度",
    "准则",
    "措施",
    "举措",
    "决议",
    "指引",
    "解读",
    "愿景与行动",
    "问答",
    "答问",
    "若干规定",
    "实施意见",
    "工作方案",
    "管理办法",
    "法",
    "守则",
    "目录",
    "名单",
    "清单",
    "汇总表",
    "申报书",
    "内容参考",
    "参考",
    "要求",
    "任务分解表",
)
_RE_TRAILING_BRACKET = re.compile(r"[（(][^（()）]{1,24}[）)]$")


def has_doc_word(text: str) -> bool:
    """Does a title end in a document-type word (通知, 意见, 办法, …)?"""
    t = text.strip().rstrip("”」》")
    for _ in range(2):
        stripped = _RE_TRAILING_BRACKET.sub("", t).strip()
        if stripped == t:
            break
        t = stripped
    return t.endswith(DOC_WORDS) and len(t) >= 6


def is_structural(text: str) -> bool:
    return is_docnum(text) or is_date_line(text) or is_bracket_date(text) or is_attachment_marker(text)


__all__ = [
    "DOC_WORDS",
    "RE_ORG_END",
    "RE_TABLE_ROW",
    "has_doc_word",
    "is_attachment_marker",
    "is_bracket_date",
    "is_date_line",
    "is_docnum",
    "is_structural",
    "is_table_row",
    "looks_like_signature",
]
