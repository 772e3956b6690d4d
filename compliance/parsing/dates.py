"""Printed dates and calendar arithmetic. Pure.

Documents print dates in arabic digits (``2020年3月1日``), Chinese numerals
(``二〇二〇年三月一日``) or ISO form (``2020-03-01``); deadlines speak of month parts
(``上旬``, ``月底``) and quarters.  Nothing here guesses: a date without a day or a year is
``None``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .numerals import cn_to_int

_RE_DATE_PARTS = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?")
_RE_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?"
)
_RE_ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")


def parse_date(text: str) -> dt.date | None:
    """Read the first full date in ``text`` (arabic, Chinese numerals or ISO)."""
    t = text.replace(" ", "")
    for rx, conv in ((_RE_DATE_PARTS, int), (_RE_ISO_DATE, int)):
        m = rx.search(t)
        if m and m.group(3):
            try:
                return dt.date(conv(m.group(1)), conv(m.group(2)), conv(m.group(3)))
            except ValueError:
                return None
    m = _RE_CN_DATE.search(t)
    if m and m.group(3):
        year = cn_to_int(m.group(1))
        month, day = cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if year and month and day:
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def parse_year(text: str) -> int | None:
    """The year of the first date in ``text``, even without month or day."""
    t = text.replace(" ", "")
    m = _RE_DATE_PARTS.search(t) or _RE_ISO_DATE.search(t)
    if m:
        return int(m.group(1))
    m = _RE_CN_DATE.search(t)
    return cn_to_int(m.group(1)) if m else None


def last_day_of_month(year: int, month: int) -> dt.date:
    """Last calendar day of ``month`` (月底 / 下旬)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> dt.date:
    """Last day of quarter 1..4 (第一季度 -> 3月31日)."""
    return last_day_of_month(year, quarter * 3)


_PART_DAY = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}
_PART_END = ("下旬", "底", "末", "末尾")


def resolve_month_day(year: int | None, month: int, day_or_word: int | str | None) -> dt.date | None:
    """Date for ``month`` plus a day number or a part word (上旬/中旬/下旬/底/末/初).

    ``None`` for ``day_or_word`` means the whole month, i.e. its last day. Returns None when the
    year is unknown or the date does not exist (2月30日).
    """
    if year is None or not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    if day_or_word is None or day_or_word in _PART_END:
        return last_day_of_month(year, month)
    if isinstance(day_or_word, str):
        if day_or_word in _PART_DAY:
            return dt.date(year, month, _PART_DAY[day_or_word])
        number = cn_to_int(day_or_word)
        if number is None:
            return None
        day_or_word = number
    try:
        return dt.date(year, month, day_or_word)
    except ValueError:
        return None


__all__ = ["last_day_of_month", "parse_date", "parse_year", "quarter_end", "resolve_month_day"]
