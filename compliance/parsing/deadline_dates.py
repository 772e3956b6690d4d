"""Time constraints with a calendar date: ``4月30日前``, ``2020年4月底前``, ``到2022年``,
``年底前``, ``第一季度``, ``自2020年3月1日起施行``. Pure.

Each reader takes a regex match of :mod:`.deadline_patterns` and decides, from the words
around it, whether it is a constraint; the date is resolved only where the text gives it (a
year missing from the phrase is the document's).  ``State`` carries what earlier phrases
tell later ones; ``Candidate`` is an accepted phrase with its span.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import deadline_patterns as P
from .dates import last_day_of_month, quarter_end, resolve_month_day
from .numerals import cn_to_int
from .types import Deadline
from .vocabulary import RE_DEADLINE_LABEL_END

_TITLE_OPEN, _TITLE_CLOSE = "《〈<", "》〉>"


@dataclass
class State:
    """What earlier phrases of the same text tell later ones (the month of a bare 月底…)."""

    year: int | None
    doc_date: dt.date | None
    last_month: int | None = None
    last_explicit_year: int | None = None


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    deadline: Deadline


# --- helpers -------------------------------------------------------------------------------------


def inside_title(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside 《…》 (a document title: its years are not deadlines)."""
    opened = max(text.rfind(ch, 0, pos) for ch in _TITLE_OPEN)
    closed = max(text.rfind(ch, 0, pos) for ch in _TITLE_CLOSE)
    return opened > closed


def inside_plan_period(text: str, start: int, end: int) -> bool:
    """``（2019—2022年）`` and similar bracketed plan periods."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 2]
    return bool(re.search(r"[（(]\s*(?:\d{4}\s*年?\s*[—–\-～~－至到]\s*)?$", before)) and after[:1] in "）)"


def preceded_by_year(text: str, pos: int) -> bool:
    """A 至/到 right after a year is the end of a range (2019年至2020年), not a target."""
    return bool(re.search(rf"{P.YEAR}\s*年?(?:度)?\s*$", text[max(0, pos - 8) : pos]))


def clause_before(text: str, pos: int, reach: int = 40) -> str:
    """The current clause up to ``pos`` (at most ``reach`` characters back)."""
    window = text[max(0, pos - reach) : pos]
    breaks = list(P.CLAUSE_BREAK_RE.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def labelled_or_alone(text: str, start: int, end: int) -> bool:
    """The phrase is the whole text (a deadline cell) or follows a 完成时限： label."""
    if RE_DEADLINE_LABEL_END.search(text[max(0, start - 10) : start]):
        return True
    return not text[:start].strip(" \t（(【[") and not text[end:].strip(" \t）)】]。.，,；;")


def year_value(token: str | None) -> int | None:
    if not token:
        return None
    value = cn_to_int(token)
    return value if value is not None and 1900 <= value <= 2100 else None


def _relative_year(word: str | None, state: State) -> tuple[int | None, bool]:
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


def _roll_forward(date: dt.date | None, state: State) -> dt.date | None:
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


def text_start(match: re.Match[str], pre_group: str = "pre") -> int:
    """Keep 到/至/截至/自/从/力争/每年 in the phrase; drop 于/在 (they add nothing)."""
    pre = match.group(pre_group)
    if pre and pre in ("于", "在", "确保", "不晚于", "不迟于"):
        return match.start(pre_group) + len(pre)
    return match.start()


# --- readers -------------------------------------------------------------------------------------


def _future_window(match: re.Match[str], explicit: int | None, state: State) -> bool:
    """A window (``7月10日至15日``, ``4月至6月``) ends on its last day, which is a due date —
    unless its printed years lie before the document's year (history)."""
    if not (match.group("d2") or match.group("mr")):
        return False
    years = [
        y
        for y in (
            explicit,
            year_value(match.group("y2")),
            year_value(match.group("yr")),
        )
        if y
    ]
    return not (years and state.year and max(years) < state.year)


_FIRM_PRE = ("截至", "截止", "截止到", "截至到", "不晚于", "不迟于", "最迟", "最迟于", "最晚", "最晚于")


def _month_date(text: str, match: re.Match[str], state: State) -> Candidate | None:
    """A date with a month (``4月30日前``, ``7月上旬``, ``2025年4月至6月``), if it is a constraint."""
    month = cn_to_int(match.group("m"))
    if month is None or not 1 <= month <= 12:
        return None
    state.last_month = month
    explicit = year_value(match.group("y"))
    if explicit:
        state.last_explicit_year = explicit
    if inside_title(text, match.start()) or not _month_date_is_constraint(text, match, explicit, state):
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
    kind = "effective" if match.group("eff") else "start" if is_start else "due"
    start = text_start(match)
    return Candidate(start, match.end(), Deadline(text[start : match.end()], date, recurrence, kind))


def _month_date_is_constraint(text: str, match: re.Match[str], explicit: int | None, state: State) -> bool:
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
        or labelled_or_alone(text, match.start(), match.end())
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
    if pre in ("至", "到") and preceded_by_year(text, match.start()) and not match.group("y"):
        return False  # 2019年至3月: the end of a period, not a target
    core = match.start("y") if match.group("y") else match.start("m")
    if P.HISTORY_BEFORE_RE.search(text[max(0, core - 3) : core]):
        return False
    return strong or (weak and not P.HISTORY_AFTER_RE.match(after))


def _month_date_value(match: re.Match[str], year: int | None, month: int, is_start: bool) -> dt.date | None:
    """The due day: the last day of a window, a month part's day, the 1st for a start."""
    if match.group("d2"):
        end_month = cn_to_int(match.group("m2")) if match.group("m2") else month
        end_year = year_value(match.group("y2")) or year
        return resolve_month_day(end_year, end_month or month, match.group("d2"))
    if match.group("d"):
        return resolve_month_day(year, month, match.group("d"))
    if match.group("mr"):
        end_month = cn_to_int(match.group("mr")) or month
        end_year = year_value(match.group("yr")) or year
        return resolve_month_day(end_year, end_month, match.group("partr"))
    part = match.group("part") or match.group("partr")
    if part:
        return resolve_month_day(year, month, part)
    return resolve_month_day(year, month, 1 if is_start else None)


def _bare_month_part(text: str, match: re.Match[str], state: State) -> Candidate | None:
    rel = match.group("rel")
    if rel == "每":
        return Candidate(match.start(), match.end(), Deadline(match.group(), None, "monthly", "due"))
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
    return Candidate(match.start(), match.end(), Deadline(match.group(), date, None, "due"))


def _year_level(text: str, match: re.Match[str], state: State) -> Candidate | None:
    year = year_value(match.group("y"))
    if year is None or inside_title(text, match.start("y")):
        return None
    if inside_plan_period(text, match.start("y"), match.end()):
        return None
    pre, part = match.group("pre"), match.group("part")
    end_suf, start_suf = match.group("endsuf"), match.group("startsuf")
    after = text[match.end() : match.end() + 8]
    if pre in ("至", "到") and preceded_by_year(text, match.start()):
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
    if not ok and not labelled_or_alone(text, match.start(), match.end()):
        return None

    if match.group("eff"):
        kind = "effective"
    elif is_start:
        kind = "start"
    elif target or (pre in ("确保", "于", "在") and completes and not end_suf and not part):
        kind = "target"
    else:
        kind = "due"
    if is_start:
        date = dt.date(year, 1, 1)
    elif part in ("上半年",):
        date = dt.date(year, 6, 30)
    elif part and "季度" in part:
        quarter = cn_to_int(part.strip("第季度末底"))
        date = quarter_end(year, quarter) if quarter and 1 <= quarter <= 4 else None
    else:
        date = dt.date(year, 12, 31)
    start = text_start(match)
    return Candidate(start, match.end(), Deadline(text[start : match.end()], date, None, kind))


def _relative_period(text: str, match: re.Match[str], state: State) -> Candidate | None:
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
    if pre in ("至", "到") and match.group("ry") is None and preceded_by_year(text, match.start()):
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
    start = text_start(match)
    return Candidate(start, match.end(), Deadline(text[start : match.end()], date, recurrence, "due"))


def year_window(text: str, match: re.Match[str], state: State) -> Candidate | None:
    """``第二阶段为2019年至2020年``: a period of a plan, due at its end unless it is history."""
    y1, y2 = year_value(match.group("y1")), year_value(match.group("y2"))
    if y1 is None or y2 is None or y2 < y1 or inside_title(text, match.start()):
        return None
    if inside_plan_period(text, match.start("y1"), match.end()):
        return None
    if state.year is not None and y2 < state.year:
        return None  # 从2016年至2018年…: history
    start = match.start() if match.group("pre") in ("从", "自") else match.start("y1")
    return Candidate(start, match.end(), Deadline(text[start : match.end()], dt.date(y2, 12, 31), None, "window"))
