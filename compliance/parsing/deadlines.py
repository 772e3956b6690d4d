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
from dataclasses import dataclass, replace

from . import deadline_patterns as P
from .dates import last_day_of_month, quarter_end, resolve_month_day
from .numerals import cn_to_int
from .types import Deadline
from .vocabulary import RE_DEADLINE_LABEL_END

__all__ = ["RECURRENCES", "extract_deadlines"]

RECURRENCES: tuple[str, ...] = (
    "yearly",
    "semester",
    "quarterly",
    "monthly",
    "weekly",
    "daily",
)

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


_TITLE_OPEN, _TITLE_CLOSE = "《〈<", "》〉>"
# No phrase is longer than this (relative limits reach back ~20 characters to their event).
_MAX_PHRASE = 120


@dataclass
class _State:
    """What earlier phrases of the same text tell later ones (the month of a bare 月底…)."""

    year: int | None
    doc_date: dt.date | None
    last_month: int | None = None
    last_explicit_year: int | None = None


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    deadline: Deadline


# --- helpers -------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Drop whitespace next to CJK or between digits (PDF wraps: ``2020 年 5 月``)."""
    text = re.sub(r"(?<=[^\x00-\x7f\d])\s+|\s+(?=[^\x00-\x7f])", "", text)
    text = re.sub(r"(?<=\d)\s+(?=\d)", "", text)
    return text


def _inside_title(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside 《…》 (a document title: its years are not deadlines)."""
    opened = max(text.rfind(ch, 0, pos) for ch in _TITLE_OPEN)
    closed = max(text.rfind(ch, 0, pos) for ch in _TITLE_CLOSE)
    return opened > closed


def _inside_plan_period(text: str, start: int, end: int) -> bool:
    """``（2019—2022年）`` and similar bracketed plan periods."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 2]
    return bool(re.search(r"[（(]\s*(?:\d{4}\s*年?\s*[—–\-～~－至到]\s*)?$", before)) and after[:1] in "）)"


def _preceded_by_year(text: str, pos: int) -> bool:
    """A 至/到 right after a year is the end of a range (2019年至2020年), not a target."""
    return bool(re.search(rf"{P.YEAR}\s*年?(?:度)?\s*$", text[max(0, pos - 8) : pos]))


def _clause_before(text: str, pos: int, reach: int = 40) -> str:
    """The current clause up to ``pos`` (at most ``reach`` characters back)."""
    window = text[max(0, pos - reach) : pos]
    breaks = list(P.CLAUSE_BREAK_RE.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def _labelled_or_alone(text: str, start: int, end: int) -> bool:
    """The phrase is the whole text (a deadline cell) or follows a 完成时限： label."""
    if RE_DEADLINE_LABEL_END.search(text[max(0, start - 10) : start]):
        return True
    return not text[:start].strip(" \t（(【[") and not text[end:].strip(" \t）)】]。.，,；;")


def _year_value(token: str | None) -> int | None:
    if not token:
        return None
    value = cn_to_int(token)
    return value if value is not None and 1900 <= value <= 2100 else None


def _relative_year(word: str | None, state: _State) -> tuple[int | None, bool]:
    """Year for 当年/明年/…; the flag tells whether the word was present at all."""
    if not word:
        return None, False
    base = state.year
    if word in ("当年", "今年", "本年"):
        return base, True
    if word == "同年":
        return state.last_explicit_year or base, True
    if word == "明年":
        return (base + 1 if base else None), True
    if word in ("去年", "上年"):
        return (base - 1 if base else None), True
    return None, True  # 次年/翌年: relative to an event, not to the document


def _roll_forward(date: dt.date | None, state: _State) -> dt.date | None:
    """A defaulted year that puts a deadline well before the document's date means next year.

    A notice dated 2019-12-30 that says ``4月30日前`` means 2020-04-30.
    """
    if date is None or state.doc_date is None:
        return date
    if date < state.doc_date - dt.timedelta(days=31):
        try:
            return date.replace(year=date.year + 1)
        except ValueError:  # 2月29日
            return last_day_of_month(date.year + 1, date.month)
    return date


def _recurrence_for_pre(pre: str | None) -> str | None:
    if pre and pre.startswith("每"):
        return "yearly"
    return None


def _text_start(match: re.Match[str], pre_group: str = "pre") -> int:
    """Keep 到/至/截至/自/从/力争/每年 in the phrase; drop 于/在 (they add nothing)."""
    pre = match.group(pre_group)
    if pre and pre in ("于", "在", "确保", "不晚于", "不迟于"):
        return match.start(pre_group) + len(pre)
    return match.start()


# --- candidate producers -------------------------------------------------------------------------


def _future_window(match: re.Match[str], explicit: int | None, state: _State) -> bool:
    """A window (``7月10日至15日``, ``4月至6月``) ends on its last day, which is a due date —
    unless its printed years lie before the document's year (history)."""
    if not (match.group("d2") or match.group("mr")):
        return False
    years = [
        y
        for y in (
            explicit,
            _year_value(match.group("y2")),
            _year_value(match.group("yr")),
        )
        if y
    ]
    return not (years and state.year and max(years) < state.year)


_FIRM_PRE = ("截至", "截止", "截止到", "截至到", "不晚于", "不迟于", "最迟", "最迟于", "最晚", "最晚于")


def _month_date(text: str, match: re.Match[str], state: _State) -> _Candidate | None:
    """A date with a month (``4月30日前``, ``7月上旬``, ``2025年4月至6月``), if it is a constraint."""
    month = cn_to_int(match.group("m"))
    if month is None or not 1 <= month <= 12:
        return None
    state.last_month = month
    explicit = _year_value(match.group("y"))
    if explicit:
        state.last_explicit_year = explicit
    if _inside_title(text, match.start()) or not _month_date_is_constraint(text, match, explicit, state):
        return None
    pre = match.group("pre")
    after = text[match.end() : match.end() + 16]
    is_start = bool(match.group("startsuf")) or pre in ("自", "从") or after.startswith("开始")
    if is_start and explicit and state.year and explicit < state.year:
        return None  # 2019年2月开始，先后赴… in a 2020 document: history
    recurrence = _recurrence_for_pre(pre)
    rel_year, has_rel = _relative_year(match.group("ry"), state)
    defaulted = not explicit and not has_rel
    year = explicit or rel_year
    if defaulted:
        year = state.year if state.year is not None else state.last_explicit_year
    date = _month_date_value(match, year, month, is_start)
    if defaulted and not is_start and not recurrence and state.year is not None:
        date = _roll_forward(date, state)
    start = _text_start(match)
    return _Candidate(start, match.end(), Deadline(text[start : match.end()], date, recurrence))


def _month_date_is_constraint(text: str, match: re.Match[str], explicit: int | None, state: _State) -> bool:
    """Do the words around a month date make it a deadline, a start or a window (not history)?"""
    pre = match.group("pre")
    end_suf, start_suf = match.group("endsuf"), match.group("startsuf")
    part = match.group("part") or match.group("partr")
    before = text[max(0, match.start() - 6) : match.start()]
    after = text[match.end() : match.end() + 16]
    strong = bool(
        end_suf
        or _recurrence_for_pre(pre)
        or (part and part not in ("初", "中"))
        or pre in _FIRM_PRE
        or P.DUTY_AFTER_RE.match(after)
        or _labelled_or_alone(text, match.start(), match.end())
    )
    weak = bool(
        start_suf
        or pre
        or _future_window(match, explicit, state)
        or P.CONTEXT_BEFORE_RE.search(before)
        or P.CONTEXT_AFTER_RE.match(after)
    )
    if pre in ("自", "从") and not (start_suf or after.startswith(("开始", "至", "到"))):
        return False  # 自2021年7月出台以后: history
    if pre in ("至", "到") and _preceded_by_year(text, match.start()) and not match.group("y"):
        return False  # 2019年至3月: the end of a period, not a target
    core = match.start("y") if match.group("y") else match.start("m")
    if P.HISTORY_BEFORE_RE.search(text[max(0, core - 3) : core]):
        return False
    return strong or (weak and not P.HISTORY_AFTER_RE.match(after))


def _month_date_value(match: re.Match[str], year: int | None, month: int, is_start: bool) -> dt.date | None:
    """The due day: the last day of a window, a month part's day, the 1st for a start."""
    if match.group("d2"):
        end_month = cn_to_int(match.group("m2")) if match.group("m2") else month
        end_year = _year_value(match.group("y2")) or year
        return resolve_month_day(end_year, end_month or month, match.group("d2"))
    if match.group("d"):
        return resolve_month_day(year, month, match.group("d"))
    if match.group("mr"):
        end_month = cn_to_int(match.group("mr")) or month
        end_year = _year_value(match.group("yr")) or year
        return resolve_month_day(end_year, end_month, match.group("partr"))
    part = match.group("part") or match.group("partr")
    if part:
        return resolve_month_day(year, month, part)
    return resolve_month_day(year, month, 1 if is_start else None)


def _bare_month_part(text: str, match: re.Match[str], state: _State) -> _Candidate | None:
    rel = match.group("rel")
    if rel == "每":
        return _Candidate(match.start(), match.end(), Deadline(match.group(), None, "monthly"))
    month: int | None = None
    year = state.year
    if rel in ("本", "当"):
        month = state.doc_date.month if state.doc_date else state.last_month
    elif rel in ("次", "下"):
        base = state.doc_date.month if state.doc_date else state.last_month
        if base is not None:
            month = base % 12 + 1
            if base == 12 and year is not None:
                year += 1
    else:
        month = state.last_month
    date = resolve_month_day(year, month, match.group("part")) if month else None
    return _Candidate(match.start(), match.end(), Deadline(match.group(), date, None))


def _year_level(text: str, match: re.Match[str], state: _State) -> _Candidate | None:
    year = _year_value(match.group("y"))
    if year is None or _inside_title(text, match.start("y")):
        return None
    if _inside_plan_period(text, match.start("y"), match.end()):
        return None
    pre, part = match.group("pre"), match.group("part")
    end_suf, start_suf = match.group("endsuf"), match.group("startsuf")
    after = text[match.end() : match.end() + 8]
    if pre in ("至", "到") and _preceded_by_year(text, match.start()):
        return None  # 2019年至2020年: a period
    if after.startswith("的") and not end_suf:
        return None  # 到2026年的发展目标: an attribute, not a deadline
    if pre in ("自", "从") and not start_suf and not end_suf:
        if not after.startswith("开始"):
            return None  # 自1991年以来 / 从2019年到现在: history or a period
        start_suf = "开始"
    if P.HISTORY_BEFORE_RE.search(text[max(0, match.start("y") - 3) : match.start("y")]):
        return None

    is_start = bool(start_suf)
    if is_start and state.year and year < state.year:
        return None  # a start already behind the document: history
    target = pre in ("到", "至", "截至", "截止", "截止到", "截至到", "力争", "争取")
    completes = bool(P.COMPLETION_AFTER_RE.match(after)) and not P.FORECAST_AFTER_RE.match(after)
    if end_suf and P.FORECAST_AFTER_RE.match(after):
        return None  # 在2032年之前将持续增加: a forecast
    if part and part.endswith(("底", "末")):
        ok = bool(target or end_suf or pre or completes or is_start)
    elif part:
        ok = bool(target or end_suf or pre or completes)
    elif end_suf:
        ok = completes or pre in (
            "于",
            "在",
            "力争",
            "争取",
            "确保",
            "不晚于",
            "不迟于",
            "最迟",
            "最晚",
        )
    else:
        ok = target or is_start or (pre in ("于", "在", "确保") and completes)
    if not ok and not _labelled_or_alone(text, match.start(), match.end()):
        return None

    if is_start:
        date = dt.date(year, 1, 1)
    elif part in ("上半年",):
        date = dt.date(year, 6, 30)
    elif part and "季度" in part:
        quarter = cn_to_int(part.strip("第季度末底"))
        date = quarter_end(year, quarter) if quarter and 1 <= quarter <= 4 else None
    else:
        date = dt.date(year, 12, 31)
    start = _text_start(match)
    return _Candidate(start, match.end(), Deadline(text[start : match.end()], date, None))


def _relative_period(text: str, match: re.Match[str], state: _State) -> _Candidate | None:
    pre = match.group("pre")
    after = text[match.end() : match.end() + 6]
    if match.group("half") and not match.group("endsuf") and P.HALF_FALSE_AFTER_RE.match(after):
        return None
    if match.group("p") == "年内" and not (pre or match.group("ry")) and after.startswith("的"):
        return None
    if not match.group("ry") and re.search(rf"{P.YEAR}年(?:度)?$", text[max(0, match.start() - 6) : match.start()]):
        return None  # 2021年上半年: the year-level reading decided; never fall back to doc_year
    year, has_rel = _relative_year(match.group("ry"), state)
    if not has_rel:
        year = state.year
    if pre in ("至", "到") and match.group("ry") is None and _preceded_by_year(text, match.start()):
        return None
    recurrence = _recurrence_for_pre(pre)
    date: dt.date | None = None
    if year is not None:
        if match.group("p"):
            date = dt.date(year, 12, 31)
        elif match.group("half"):
            date = dt.date(year, 6, 30) if match.group("half") == "上半年" else dt.date(year, 12, 31)
        elif match.group("q"):
            quarter = cn_to_int(match.group("q").lstrip("第"))
            date = quarter_end(year, quarter) if quarter and 1 <= quarter <= 4 else None
    start = _text_start(match)
    return _Candidate(start, match.end(), Deadline(text[start : match.end()], date, recurrence))


def _relative_limit(text: str, match: re.Match[str]) -> _Candidate | None:
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
            keep = re.search(r"每(?:年度?|学期|季度|月)[\u4e00-\u9fff]{0,3}$", lead)
            prefix_start = anchor.start() - (len(keep.group()) if keep else 0)
        else:
            prefix_start = max(0, len(prefix) - 8)
        offset = window_start + cut + prefix_start
        every = re.search(r"每(?:年度?|学期|季度|月)$", text[max(0, offset - 3) : offset])
        if every:
            offset -= len(every.group())
        phrase = text[offset : match.end()]
        recurrence = _recurrence_for_every(phrase)
        start = offset
    return _Candidate(start, match.end(), Deadline(text[start : match.end()], None, recurrence))


def _recurrence_for_every(phrase: str) -> str | None:
    m = re.match(r"每(年度?|学期|季度|月)", phrase)
    if not m:
        return None
    return P.RECURRENCE_WORDS.get(m.group(1))


def _is_rate(text: str, start: int, end: int) -> bool:
    """每年 in a funding or quantity rate, or a prohibition, is not a recurring duty."""
    if P.RATE_BEFORE_RE.search(text[max(0, start - 3) : start]):
        return True
    tail = text[end : end + 20]
    if re.match(r"^[^，。；;,]{0,6}?时间", tail):
        return True  # 每天课外劳动时间, 每年时间不低于2个月: a quantity of time
    if P.RATE_TAIL_RE.match(tail) and not P.RATE_COUNT_OK_RE.match(tail):
        return True
    return bool(P.NEGATION_RE.search(_clause_before(text, start)[-12:]))


def _recurrence(text: str, match: re.Match[str]) -> _Candidate | None:
    if _is_rate(text, match.start(), match.end()):
        return None
    recurrence = P.RECURRENCE_WORDS[match.group("w")]
    return _Candidate(match.start(), match.end(), Deadline(match.group(), None, recurrence))


def _every_n(text: str, match: re.Match[str]) -> _Candidate | None:
    """``每3年至少接受一次培训``: a cycle longer than our recurrences, kept as text."""
    n = cn_to_int(match.group("n"))
    if n is None or n < 2:
        return None
    tail = text[match.end() : match.end() + 16]
    if not re.match(r"^[^，。；;]*?(?:一|1)?(?:次|轮)", tail) or _is_rate(text, match.start(), match.end()):
        return None
    return _Candidate(match.start(), match.end(), Deadline(match.group(), None, None))


# --- public API ----------------------------------------------------------------------------------


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
    text = shown.translate(_FULLWIDTH)
    year = doc_year if doc_year is not None else (doc_date.year if doc_date else None)
    state = _State(year=year, doc_date=doc_date)

    raw: list[tuple[int, int, int, str, re.Match[str]]] = []
    producers = (
        ("month", P.MONTH_DATE_RE),
        ("bare", P.BARE_MONTH_PART_RE),
        ("year", P.YEAR_RE),
        ("period", P.REL_PERIOD_RE),
        ("relative", P.RELATIVE_CORE_RE),
        ("effective", P.EFFECTIVE_RE),
        ("century", P.TARGET_CENTURY_RE),
        ("every_month_day", P.EVERY_MONTH_DAY_RE),
        ("every", P.RECURRENCE_RE),
        ("every_n", P.EVERY_N_RE),
        ("annual", P.ANNUAL_REPORT_RE),
    )
    for rank, (kind, regex) in enumerate(producers):
        for match in regex.finditer(text):
            if match.end() > match.start():
                raw.append((match.start(), -(match.end() - match.start()), rank, kind, match))
    raw.sort(key=lambda r: (r[0], r[1], r[2]))

    found: list[_Candidate] = []
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


def _overlapping(found: list[_Candidate], start: int, end: int) -> list[_Candidate]:
    """Accepted phrases overlapping [start, end); phrases are short, so look back a little only."""
    clashing = []
    for candidate in reversed(found):
        if candidate.start < start - _MAX_PHRASE:
            break
        if candidate.start < end and start < candidate.end:
            clashing.append(candidate)
    return clashing


def _evaluate(kind: str, text: str, match: re.Match[str], state: _State) -> _Candidate | None:
    if kind == "month":
        return _month_date(text, match, state)
    if kind == "bare":
        return _bare_month_part(text, match, state)
    if kind == "year":
        return _year_level(text, match, state)
    if kind == "period":
        return _relative_period(text, match, state)
    if kind == "relative":
        return _relative_limit(text, match)
    if kind in ("effective", "century"):
        return _Candidate(match.start(), match.end(), Deadline(match.group(), None, None))
    if kind == "every_month_day":
        return _Candidate(match.start(), match.end(), Deadline(match.group(), None, "monthly"))
    if kind == "every":
        return _recurrence(text, match)
    if kind == "every_n":
        return _every_n(text, match)
    if kind == "annual":
        word = match.group()
        recurrence = P.RECURRENCE_WORDS.get(word[1:]) if word.startswith("按") else "yearly"
        return _Candidate(match.start(), match.end(), Deadline(word, None, recurrence))
    return None
