"""Lines with a fixed role in an official document: 文号, date lines, 附件 markers, table rows,
signatures, and titles ending in a document-type word (通知, 意见, 办法…). Pure.
"""

from __future__ import annotations

import re

from .elements import is_docnum, is_header_element
from .numbering import recognize_label

_SENT_END = "。！？；：!?;:"

_RE_DATE_LINE = re.compile(
    r"^(?:(?:19|20)\d{2}|[一二〇○零三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?$"
)
_RE_BRACKET_DATE = re.compile(r"^[（(]\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[^（()）]{0,30}[）)]$")
_RE_ATTACH = re.compile(r"^附\s*件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[：:]?$")


# A row of a real table (Word), as written by decode: "| 1 | 自查阶段 | 2024年5月31日前 |".
RE_TABLE_ROW = re.compile(r"^\|\s.*\s\|$")


# The line predicates below first look for a character their pattern needs: most lines of a
# document are prose and fail that look, which is many times cheaper than the regex.


def is_table_row(text: str) -> bool:
    return text[:1] == "|" and bool(RE_TABLE_ROW.match(text))


def is_date_line(text: str) -> bool:
    """A standalone date line (signature date): ``2020年2月28日``."""
    return "月" in text and bool(_RE_DATE_LINE.match(text.replace(" ", "")))


def is_bracket_date(text: str) -> bool:
    """A date in brackets under a title: ``（2020年3月20日）``."""
    return "月" in text and bool(_RE_BRACKET_DATE.match(text.replace(" ", "")))


def is_attachment_marker(text: str) -> bool:
    """``附件`` / ``附件1`` / ``附件：`` alone on a line (the start of an attachment)."""
    return "附" in text and bool(_RE_ATTACH.match(text.replace(" ", "")))


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


# --------------------------------------------------------------------------- header and trailer lines

RE_SOURCE = re.compile(
    r"^(?:(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*)?"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?\s*)?"
    r"(来源|信息来源|文章来源|稿件来源|发布时间|发布日期|发文日期|作者|编辑|责任编辑)\s*[：:]"
)
RE_NEWS_LEAD = re.compile(
    r"^(新华社|人民网|中新社|新华网|央视网|中国教育报|光明日报|人民日报)\S{0,12}?(\d{1,2}月\d{1,2}日)?电"
)
RE_SECTION_MARK = re.compile(r"^【([^】]{2,10})】$")
RE_TRAILER = re.compile(
    r"^(?:（此件.{0,10}）|\(此件.{0,10}\)|此件.{0,8}公开|抄送|抄报|部内发送|.{0,30}\d{4}年\d{1,2}月\d{1,2}日印发|"
    r"mailto:|https?://|www\.|联系人|联系电话|电话|电\s*话|传真|邮箱|邮\s*箱|电子邮箱|E-?mail|地址|邮编|联\s*系\s*人)",
    re.IGNORECASE,
)
RE_ADDRESSEE = re.compile(r"[：:]$")
RE_HEADLINE = re.compile(r"^([\u4e00-\u9fff]{2,16})[：:]\s*(?=[\u4e00-\u9fff“《])(.{8,})$")
SENTENCE_END = "。！？；!?;"
_RE_TOC_WORD = re.compile(r"^目\s*录$")


def ends_sentence(text: str) -> bool:
    """Does the paragraph end a sentence (closing quotes and brackets aside)? A colon does not."""
    t = text.rstrip("”’」』）)》】")
    return bool(t) and t[-1] in SENTENCE_END


def is_titleish(text: str) -> bool:
    """Could this paragraph be (part of) a document title?"""
    t = text.strip()
    if (
        not t
        or len(t) > 80
        or t.isdigit()  # a table's row number or a page number
        or is_table_row(t)
        or ends_sentence(t)
        or t.endswith(("：", ":", "，", ",", "、"))
    ):
        return False
    if recognize_label(t) is not None or is_docnum(t) or is_date_line(t) or is_bracket_date(t):
        return False
    if RE_TRAILER.match(t) or RE_SOURCE.match(t) or RE_SECTION_MARK.match(t) or _RE_TOC_WORD.match(t):
        return False
    if is_header_element(t):
        return False  # 份号, 密级, 紧急程度, 发文机关标志, 签发人, an adoption line
    return not (is_attachment_marker(t) or t.startswith(("附件：", "附件:")))


def signature_like(text: str) -> bool:
    """A signature line of the trailer: an issuing body or a ``（代章）`` stamp, and not a title,
    a 文号 or a date (stricter than :func:`looks_like_signature`, which paragraph building uses
    before any title is known)."""
    t = text.strip()
    if not t or len(t) > 40 or ends_sentence(t) or recognize_label(t) is not None:
        return False
    if is_date_line(t) or is_docnum(t) or has_doc_word(t):
        return False
    return bool(RE_ORG_END.search(t.replace(" ", ""))) or "（代章）" in t or "(代章)" in t


def is_trailer(text: str) -> bool:
    """Boilerplate after the body: ``抄送``, ``（此件公开发布）``, contacts, links, ``特此通知``."""
    return bool(RE_TRAILER.match(text.strip())) or text.strip() in {
        "特此通知。",
        "特此通知",
    }


# "总理　李强" / "部长　王五": a decree or order signed by a person, under its text.
_RE_PERSON_SIGNATURE = re.compile(
    r"^(?:总理|副总理|部长|主任|省长|市长|主席|校长|院长|局长|厅长|书记)\s*[\u4e00-\u9fff·]{2,5}$"
)


def is_person_signature(text: str) -> bool:
    """``总理　李强``: the signature of a decree (a person, never the issuer)."""
    return bool(_RE_PERSON_SIGNATURE.match(text.strip()))


def is_byline(text: str) -> bool:
    """An organ alone on a line under a headline (``教育部基础教育司``)."""
    t = text.strip()
    return 2 <= len(t) <= 20 and " " not in t and signature_like(t) and bool(re.fullmatch(r"[\u4e00-\u9fff]+", t))


# Lines that never belong to an item.
RE_ATTACH_LIST = re.compile(r"^附\s*件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[：:]")
RE_BOILER = re.compile(r"^(特此通知|特此函告|此复|以上通知|请遵照执行|（此件|\(此件)")
# Contact lines ("联系人：张三，电话：…") are document metadata, never part of an item.
RE_CONTACT_LINE = re.compile(
    r"^(联\s*系[^：:，,。；]{0,8}|电\s*话|手\s*机|传\s*真|电子[邮信]箱|邮\s*箱|[Ee]-?mail|"
    r"通讯地址|邮政编码)\s*[：:]"
)


__all__ = [
    "DOC_WORDS",
    "RE_ADDRESSEE",
    "RE_ATTACH_LIST",
    "RE_BOILER",
    "RE_CONTACT_LINE",
    "RE_HEADLINE",
    "RE_NEWS_LEAD",
    "RE_ORG_END",
    "RE_SECTION_MARK",
    "RE_SOURCE",
    "RE_TABLE_ROW",
    "RE_TRAILER",
    "ends_sentence",
    "has_doc_word",
    "is_attachment_marker",
    "is_bracket_date",
    "is_byline",
    "is_date_line",
    "is_docnum",
    "is_person_signature",
    "is_structural",
    "is_table_row",
    "is_titleish",
    "is_trailer",
    "looks_like_signature",
    "signature_like",
]
