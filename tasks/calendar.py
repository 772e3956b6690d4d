"""Working days in mainland China: official holidays and 调休 workdays from chinese-calendar.

chinese-calendar ships data for a fixed range of years and raises NotImplementedError outside
it; for those years we fall back to Monday–Friday, so reminders keep going (on a few holidays)
rather than stop altogether when the package is not updated in time.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

# Chinese names of the holidays chinese-calendar reports in English.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@lru_cache(maxsize=4096)
def calendar_covers(day: dt.date) -> bool:
    """True when chinese-calendar has official data for the day's year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)
def is_workday(day: dt.date) -> bool:
    """A working day: not a weekend or official holiday, or a 调休 Saturday/Sunday."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def is_holiday(day: dt.date) -> bool:
    """Not a working day (official holiday or an ordinary weekend)."""
    return not is_workday(day)


def is_official_holiday(day: dt.date) -> bool:
    """One of the statutory holidays (春节, 国庆节 ...), not an ordinary weekend."""
    if not calendar_covers(day):
        return False
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return bool(on_holiday and name)


def holiday_name(day: dt.date) -> str:
    """The Chinese name of the statutory holiday on ``day``, 周末 for a weekend, '' on a workday."""
    if is_workday(day):
        return ""
    if calendar_covers(day):
        _, name = chinese_calendar.get_holiday_detail(day)
        if name:
            return _HOLIDAY_NAMES.get(name, name)
    return "周末"


def next_workday(day: dt.date) -> dt.date:
    """The first working day on or after ``day``."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def workdays_after(start: dt.date, end: dt.date) -> int:
    """How many working days lie in (start, end]: 0 when end <= start."""
    if end <= start:
        return 0
    return _workdays_in_range(start, end)


@lru_cache(maxsize=65536)
def _workdays_in_range(start: dt.date, end: dt.date) -> int:
    # Cached per (due date, today): a scan sees few distinct due dates, many assignments each.
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        count += is_workday(day)
        day += dt.timedelta(days=1)
    return count


def deadline_on_holiday(assignment: object) -> bool:
    """True when the assignment's due date falls on a non-working day (flagged in lists and mail)."""
    due = getattr(assignment, "due_date", None)
    return bool(due) and is_holiday(due)
