"""Time constraints (完成时限) in one item's text. Pure: no Django.

Chinese policy texts state deadlines in a handful of shapes:

* absolute dates, mostly without a year: ``4月30日前``, ``8月底之前``, ``7月上旬``,
  ``2020年4月底前``, ``7月10日至15日``, ``二〇二〇年三月底前``;
* year-level: ``年底前``, ``第一季度``, ``上半年``, ``年内``;
* target years: ``到2022年``, ``到2026年年底``, ``力争2020年``, ``2035年前基本实现``;
* start points and effective dates: ``自2020年3月1日起施行``, ``从2020年1月起``;
* recurring duties: ``每年3月底前``, ``每学期``, ``每季度``, ``年度报告``;
* relative limits: ``开学后1个月内``, ``印发之日起30日内`` (text only).

The same digits also appear in plan titles (``（2019—2022年）``), history (``1984年启动``),
issue dates of cited documents, forecasts (``2032年之前将持续增加``) and funding rates
(``每生每年不低于30元``). A date is therefore only taken when the words around it make it a
constraint, and it is never guessed: without a year from the text, ``doc_year`` or ``doc_date``
the date stays ``None`` and only the phrase is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from . import deadline_dates as D
from . import deadline_patterns as P
from . import deadline_spans as S
from .numerals import cn_to_int
from .types import Deadline

__all__ = ["KINDS", "RECURRENCES", "extract_deadlines"]

# What sort of constraint a Deadline is (``Deadline.kind``).
KINDS: dict[str, str] = {
    "due": "完成时限（日期）",
    "target": "目标年份（到…年）",
    "start": "起始时间（…起）",
    "effective": "施行日期",
    "frequency": "频次（每年、每学期…）",
    "cycle": "周期（每五年…）",
    "duration": "期限（为期三个月…）",
    "relative": "相对时限（开学后一个月内…）",
    "window": "时段（寒假期间…）",
    "ongoing": "长期（长期坚持…）",
    "text": "其他（仅原文）",
}

RECURRENCES: tuple[str, ...] = (
    "yearly",
    "semester",
    "quarterly",
    "monthly",
    "weekly",
    "daily",
)

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# A dict translation is slow on CJK text: look for a full-width digit first.
_RE_FULLWIDTH_DIGIT = re.compile("[０-９]")
# No phrase is longer than this (relative limits reach back ~20 characters to their event).
_MAX_PHRASE = 120
_RE_SPACE = re.compile(r"\s")


def _normalise(text: str) -> str:
    """Drop whitespace next to CJK or between digits (PDF wraps: ``2020 年 5 月``)."""
    if not _RE_SPACE.search(text):
        return text  # most items: both patterns below only ever remove whitespace
    text = re.sub(r"(?<=[^\x00-\x7f\d])\s+|\s+(?=[^\x00-\x7f])", "", text)
    text = re.sub(r"(?<=\d)\s+(?=\d)", "", text)
    return text


def extract_deadlines(text: str, doc_year: int | None, doc_date: dt.date | None = None) -> list[Deadline]:
    """Return every time constraint in ``text`` in order of appearance.

    ``doc_year`` is the default year for dates printed without one (most of them); ``doc_date``
    also lets a December notice's ``4月30日前`` mean the following April. Overlapping readings of
    the same span are resolved in favour of the one starting first, then the longest.
    """
    if not text:
        return []
    shown = _normalise(text)
    # Full-width digits are matched as ASCII; the translation keeps every index, so phrases are
    # cut from ``shown`` and read as printed.
    text = shown.translate(_FULLWIDTH) if _RE_FULLWIDTH_DIGIT.search(shown) else shown
    year = doc_year if doc_year is not None else (doc_date.year if doc_date else None)
    state = D.State(year=year, doc_date=doc_date)

    raw: list[tuple[int, int, int, str, re.Match[str]]] = []
    for rank, ((kind, regex, _), trigger) in enumerate(zip(_PRODUCERS, _TRIGGERS, strict=True)):
        if trigger is not None and not trigger.search(text):
            continue  # a cheap look first: the phrase needs one of these words
        for match in regex.finditer(text):
            if match.end() > match.start():
                raw.append((match.start(), -(match.end() - match.start()), rank, kind, match))
    raw.sort(key=lambda r: (r[0], r[1], r[2]))

    found: list[D.Candidate] = []
    for _, _, _, kind, match in raw:
        if _overlapping(found, match.start(), match.end()):
            if kind == "month":  # still remember the month for a later bare 月底
                month = cn_to_int(match.group("m"))
                state.last_month = month if month and 1 <= month <= 12 else state.last_month
            continue
        candidate = _evaluate(kind, text, match, state)
        if candidate is None:
            continue
        # A relative limit reaches back to its event (每年度结束后…30日内) and swallows a
        # recurrence word found there; any other overlap means an earlier reading won.
        clashing = _overlapping(found, candidate.start, candidate.end)
        if any(c.start < candidate.start or c.end > candidate.end for c in clashing):
            continue
        found = [c for c in found if c not in clashing]
        found.append(candidate)
    found.sort(key=lambda c: c.start)
    return [replace(c.deadline, text=shown[c.start : c.end]) for c in found]


def _overlapping(found: list[D.Candidate], start: int, end: int) -> list[D.Candidate]:
    """Accepted phrases overlapping [start, end); phrases are short, so look back a little only."""
    clashing = []
    for candidate in reversed(found):
        if candidate.start < start - _MAX_PHRASE:
            break
        if candidate.start < end and start < candidate.end:
            clashing.append(candidate)
    return clashing


# (reader, regex, words of which the text must hold one for the regex to be tried at all).
_PRODUCERS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("month", P.MONTH_DATE_RE, ("月",)),
    ("bare", P.BARE_MONTH_PART_RE, ("月底", "月末", "旬")),
    ("year", P.YEAR_RE, ("年",)),
    ("year_window", P.YEAR_WINDOW_RE, ("年",)),
    ("period", P.REL_PERIOD_RE, ("年底", "年末", "年内", "半年", "季度")),
    ("relative", P.RELATIVE_CORE_RE, ("内",)),
    ("effective", P.EFFECTIVE_RE, ("之日起",)),
    ("century", P.TARGET_CENTURY_RE, ("本世纪",)),
    ("every_month_day", P.EVERY_MONTH_DAY_RE, ("每月",)),
    ("every", P.RECURRENCE_RE, ("每",)),
    ("every_n", P.EVERY_N_RE, ("每",)),
    ("cycle", P.CYCLE_RE, ("周期", "轮", "届")),
    ("window", P.WINDOW_RE, ("假", "春节", "国庆", "元旦", "汛期", "岁末", "后至", "开学初", "期末")),
    ("event", P.EVENT_BEFORE_RE, ("前",)),
    ("span", P.RELATIVE_SPAN_RE, ("内", "当年", "当学期", "当月")),
    ("duration", P.DURATION_RE, ("年", "月", "日", "天", "周", "学期", "小时")),
    ("annual", P.ANNUAL_REPORT_RE, ("年度", "按")),
)
# Each producer's words as one alternation: one scan of the text instead of one per word.
_TRIGGERS = tuple(re.compile("|".join(map(re.escape, words))) if words else None for _, _, words in _PRODUCERS)
_READERS = {
    "month": D._month_date,
    "bare": D._bare_month_part,
    "year": D._year_level,
    "year_window": D.year_window,
    "period": D._relative_period,
}
_SPAN_READERS = {
    "relative": S.relative_limit,
    "every": S.recurrence,
    "every_n": S.every_n,
    "cycle": S.cycle,
    "window": S.window,
    "event": S.event_before,
    "span": S.relative_span,
    "duration": S.duration,
}
# Fixed phrases: their kind and recurrence.
_FIXED = {"effective": ("effective", None), "century": ("target", None), "every_month_day": ("due", "monthly")}


def _evaluate(kind: str, text: str, match: re.Match[str], state: D.State) -> D.Candidate | None:
    if kind in _READERS:
        return _READERS[kind](text, match, state)
    if kind in _SPAN_READERS:
        return _SPAN_READERS[kind](text, match)
    if kind in _FIXED:
        what, recurrence = _FIXED[kind]
        return D.Candidate(match.start(), match.end(), Deadline(match.group(), None, recurrence, what))
    if kind == "annual":
        word = match.group()
        recurrence = P.RECURRENCE_WORDS.get(word[1:]) if word.startswith("按") else "yearly"
        return D.Candidate(match.start(), match.end(), Deadline(word, None, recurrence, "frequency"))
    return None
