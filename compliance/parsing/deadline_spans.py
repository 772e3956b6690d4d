"""Time constraints without a calendar date: relative limits (``开学后1个月内``), frequencies
(``每学期``, ``每周``), cycles (``每四年评选一次``, ``以5年为一周期``), durations (``为期三个月``,
``试点期3年``), event windows (``中高考结束后至暑假前``, ``寒假期间``) and effective dates
(``自印发之日起施行``).  Every such phrase is kept as text. Pure.
"""

from __future__ import annotations

import re

from . import deadline_patterns as P
from .deadline_dates import Candidate, clause_before
from .numerals import cn_to_int
from .types import Deadline


def relative_limit(text: str, match: re.Match[str]) -> Candidate | None:
    """``开学后1个月内``: the phrase from the event word to 内; never a date."""
    if P.RELATIVE_PAST_RE.search(text[max(0, match.start() - 2) : match.start()]):
        return None
    start = match.start()
    window_start = max(0, start - 16)
    before = text[window_start:start]
    # Allow a parenthetical between the event and the number: 结束后（以自然年度计算）30日内.
    paren = re.search(r"[（(][^（）()]{0,20}[）)]$", before)
    core_before = before[: paren.start()] if paren else before
    event = re.search(r"(?:之日起|之日后|以后|后|起)$", core_before)
    recurrence = None
    if event:
        prefix = core_before[: event.start()]
        cut = max(
            (m.end() for m in re.finditer(r"[于在应须要并将的，,；;。、：:]", prefix)),
            default=0,
        )
        prefix = prefix[cut:]
        anchor = P.RELATIVE_ANCHOR_RE.search(prefix)
        if anchor:
            # Keep a noun right before the verb (报到截止日期后 -> 报到…), at most 4 characters.
            lead = prefix[: anchor.start()]
            # The phrase starts at the event verb (开学后1个月内), or at 每年度 before it.
            keep = re.search(r"每(?:学年|年度?|学期|季度|月)[\u4e00-\u9fff]{0,6}$", lead)
            prefix_start = anchor.start() - (len(keep.group()) if keep else 0)
        else:
            prefix_start = max(0, len(prefix) - 8)
        offset = window_start + cut + prefix_start
        every = re.search(r"每(?:学年|年度?|学期|季度|月)$", text[max(0, offset - 3) : offset])
        if every:
            offset -= len(every.group())
        phrase = text[offset : match.end()]
        recurrence = _recurrence_for_every(phrase)
        start = offset
    return Candidate(start, match.end(), Deadline(text[start : match.end()], None, recurrence, "relative"))


def _recurrence_for_every(phrase: str) -> str | None:
    m = re.match(r"每(学年|年度?|学期|季度|月)", phrase)
    if not m:
        return None
    return P.RECURRENCE_WORDS.get(m.group(1))


def _is_rate(text: str, start: int, end: int) -> bool:
    """每年 in a funding rate or a statistic, or in a prohibition, is not a recurring duty."""
    if P.RATE_BEFORE_RE.search(text[max(0, start - 3) : start]):
        return True
    if P.RATE_TAIL_RE.match(text[end : end + 20]):
        return True
    return bool(P.NEGATION_RE.search(clause_before(text, start)[-12:]))


def recurrence(text: str, match: re.Match[str]) -> Candidate | None:
    """``每学期``, ``每周五``, ``每年遴选10个…``: something done every period."""
    if _is_rate(text, match.start(), match.end()):
        return None
    rec = P.RECURRENCE_WORDS[match.group("w")]
    return Candidate(match.start(), match.end(), Deadline(match.group(), None, rec, "frequency"))


def every_n(text: str, match: re.Match[str]) -> Candidate | None:
    """``每3年至少接受一次培训``, ``每五年一个建设周期``: a cycle longer than our recurrences."""
    n = cn_to_int(match.group("n"))
    if n is None or n < 2:
        return None
    tail = text[match.end() : match.end() + 16]
    if not re.match(r"^[^，。；;]*?(?:(?:一|1)?(?:次|轮|届)|一个?(?:建设|评估|考核|评价)?周期)", tail):
        return None
    if _is_rate(text, match.start(), match.end()):
        return None
    return Candidate(match.start(), match.end(), Deadline(match.group(), None, None, "cycle"))


def cycle(text: str, match: re.Match[str]) -> Candidate | None:
    """``以5年为一周期``: the cycle of a programme."""
    return Candidate(match.start(), match.end(), Deadline(match.group(), None, None, "cycle"))


def duration(text: str, match: re.Match[str]) -> Candidate | None:
    """``为期三个月``, ``试点期3年``, ``连续3年``, ``确保3个月消除…``: how long something lasts or
    may take.  Eligibility (``至少须有一年…经历``, ``满三年无正当理由…``), penalties
    (``暂停参加考试1—3年``), history (``三年来``) and plan names (``三年行动计划``) are not."""
    end = match.end()
    pre_match = P.DURATION_PRE_RE.search(text[max(0, match.start() - 8) : match.start()])
    pre = pre_match.group() if pre_match else None
    start = match.start() - (len(pre) if pre else 0)
    before = text[max(0, start - 2) : start]
    if before.endswith(("每", "近", "上", "下", "前", "后")) or re.search(r"[\d〇零一二两三四五六七八九十]$", before):
        return None
    if match.group("n") == "半" and match.group("u") != "年":
        return None
    tail = text[end : end + 24]
    if pre in (None, "至少", "不少于", "不低于") and P.DURATION_NOT_BEFORE_RE.search(text[max(0, start - 4) : start]):
        return None  # 成立至少2年, 从教30年: a condition on who qualifies
    if P.DURATION_NOT_AFTER_RE.match(tail) or tail.startswith(("内", "以内", "之内", "多")):
        return None
    if pre == "满":
        if not tail.startswith("后"):
            return None  # 满三年无正当理由未实施: a condition
        end += 1
        kind = "relative"
    elif pre:
        kind = "duration"
    elif P.DURATION_RESULT_RE.match(tail) or re.search(r"(?:确保|力争|争取)$", text[max(0, start - 3) : start]):
        kind = "duration"
    else:
        return None
    phrase_start = match.start("n") if pre in ("不少于", "至少", "不低于", "公示", "公示期", "用") else start
    return Candidate(phrase_start, end, Deadline(text[phrase_start:end], None, None, kind))


def window(text: str, match: re.Match[str]) -> Candidate | None:
    """``中高考结束后至暑假前``, ``寒假期间``, ``岁末年初``: a period fixed by events."""
    return Candidate(match.start(), match.end(), Deadline(match.group(), None, None, "window"))


def event_before(text: str, match: re.Match[str]) -> Candidate | None:
    """``在正式投档前完成``, ``于方案实施前10天报送``: a limit set by an event, never a date."""
    event = match.group("e")
    if re.search(r"[\d]|年|月|日", event) or event.endswith(("之", "以")):
        return None  # dates are read by the calendar readers
    start = match.start("e")
    return Candidate(start, match.end(), Deadline(text[start : match.end()], None, None, "relative"))


def relative_span(text: str, match: re.Match[str]) -> Candidate | None:
    """``下一学期内``, ``在当年执行完毕``: a period named relative to an event or the budget year."""
    start = match.start() + (1 if match.group().startswith(("在", "于")) else 0)
    return Candidate(start, match.end(), Deadline(text[start : match.end()], None, None, "relative"))
