"""Working days: official holidays and 调休 from chinese-calendar, Monday–Friday elsewhere."""

import datetime as dt

from tasks.calendar import (
    calendar_covers,
    deadline_on_holiday,
    holiday_name,
    is_holiday,
    is_official_holiday,
    is_workday,
    next_workday,
    workdays_after,
)


def test_national_day_is_a_holiday_with_its_chinese_name():
    """1 October is not a working day, and it is called 国庆节."""
    assert not is_workday(dt.date(2026, 10, 1))
    assert is_official_holiday(dt.date(2026, 10, 1))
    assert holiday_name(dt.date(2026, 10, 1)) == "国庆节"


def test_a_makeup_saturday_is_a_working_day():
    """调休: Saturday 10 October 2026 is worked, so reminders go out that day."""
    day = dt.date(2026, 10, 10)
    assert day.weekday() == 5
    assert is_workday(day)
    assert holiday_name(day) == ""


def test_an_ordinary_weekend_is_not_a_working_day_but_not_an_official_holiday():
    """A plain Sunday is a non-working day called 周末."""
    sunday = dt.date(2026, 6, 14)
    assert is_holiday(sunday)
    assert not is_official_holiday(sunday)
    assert holiday_name(sunday) == "周末"


def test_years_the_calendar_does_not_cover_fall_back_to_monday_to_friday():
    """Without data for 2031, 1 October 2031 (a Wednesday) counts as a working day; weekends do not."""
    assert not calendar_covers(dt.date(2031, 10, 1))
    assert is_workday(dt.date(2031, 10, 1))
    assert not is_workday(dt.date(2031, 10, 4))  # Saturday
    assert holiday_name(dt.date(2031, 10, 4)) == "周末"


def test_next_workday_skips_the_whole_golden_week():
    """After 国庆 and 中秋 2026 (1–7 October) the next working day is Thursday 8 October."""
    assert next_workday(dt.date(2026, 10, 1)) == dt.date(2026, 10, 8)
    assert next_workday(dt.date(2026, 10, 8)) == dt.date(2026, 10, 8)


def test_workdays_after_counts_only_working_days_in_the_window():
    """(30 Sep, 8 Oct] holds one working day: 8 October; the holiday week does not count."""
    assert workdays_after(dt.date(2026, 9, 30), dt.date(2026, 10, 8)) == 1
    assert workdays_after(dt.date(2026, 10, 8), dt.date(2026, 10, 8)) == 0
    assert workdays_after(dt.date(2026, 6, 1), dt.date(2026, 6, 8)) == 5


def test_a_deadline_on_a_holiday_is_flagged():
    """An assignment due on Labour Day is flagged; one due on a working day is not."""

    class A:
        def __init__(self, due):
            self.due_date = due

    assert deadline_on_holiday(A(dt.date(2026, 5, 1)))
    assert not deadline_on_holiday(A(dt.date(2026, 5, 6)))
    assert not deadline_on_holiday(A(None))
