"""Recurring requirements get a new assignment when their period starts; old ones keep their history."""

import datetime as dt

import pytest

from compliance.models import Assignment, Notification, Requirement
from compliance.services.recurrence import (
    due_in_period,
    period_of,
    recurrence_create_due,
)
from compliance.tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    RequirementFactory,
)

R = Requirement.Recurrence


@pytest.mark.parametrize(
    ("recurrence", "day", "label", "start", "end"),
    [
        (R.YEARLY, dt.date(2027, 5, 4), "2027", dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
        (R.SEMESTER, dt.date(2026, 3, 1), "2026-S1", dt.date(2026, 3, 1), dt.date(2026, 8, 31)),
        (R.SEMESTER, dt.date(2026, 9, 1), "2026-S2", dt.date(2026, 9, 1), dt.date(2027, 2, 28)),
        (R.SEMESTER, dt.date(2027, 2, 10), "2026-S2", dt.date(2026, 9, 1), dt.date(2027, 2, 28)),
        (R.QUARTERLY, dt.date(2026, 8, 15), "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (R.MONTHLY, dt.date(2026, 7, 9), "2026-07", dt.date(2026, 7, 1), dt.date(2026, 7, 31)),
    ],
)
def test_period_labels_and_bounds(recurrence, day, label, start, end):
    """Years, semesters from 1 March and 1 September, quarters and months are named as stored."""
    p = period_of(recurrence, day)
    assert (p.label, p.start, p.end) == (label, start, end)


@pytest.mark.parametrize(
    ("recurrence", "deadline", "day", "expected"),
    [
        (R.YEARLY, dt.date(2026, 3, 31), dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (R.YEARLY, dt.date(2024, 2, 29), dt.date(2025, 1, 1), dt.date(2025, 2, 28)),
        (R.SEMESTER, dt.date(2026, 6, 30), dt.date(2026, 9, 1), dt.date(2026, 12, 30)),  # 4th month of S1 -> of S2
        (R.QUARTERLY, dt.date(2026, 3, 31), dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (R.MONTHLY, dt.date(2026, 5, 31), dt.date(2026, 6, 1), dt.date(2026, 6, 30)),  # no 31 June
        (R.MONTHLY, None, dt.date(2026, 6, 1), dt.date(2026, 6, 30)),  # no date: the period's last day
        (R.SEMESTER, None, dt.date(2026, 9, 1), dt.date(2027, 2, 28)),
    ],
)
def test_due_date_moves_into_the_new_period(recurrence, deadline, day, expected):
    """The deadline keeps its place in the period; without one the period's last day is used."""
    assert due_in_period(recurrence, deadline, period_of(recurrence, day)) == expected


@pytest.fixture
def yearly(db, dept_a, dept_b, lead_a):
    """每年3月底前 报送年度报告: led by 教务处 with 科技处 cooperating, first occurrence completed in 2026."""
    req = RequirementFactory(recurrence=R.YEARLY, deadline_date=dt.date(2026, 3, 31), heading="报送年度质量报告")
    first = AssignmentFactory(requirement=req, department=dept_a, status=Assignment.Status.COMPLETED, progress=100)
    AssignmentFactory(requirement=req, department=dept_b, role=Assignment.Role.COOPERATING)
    return req, first


def test_a_new_year_creates_the_next_occurrence_for_every_unit(yearly, dept_a, dept_b, lead_a):
    """On 1 January 2027 each unit gets a 2027 assignment due 31 March 2027, with its role, and is told."""
    _req, first = yearly
    created = recurrence_create_due(today=dt.date(2027, 1, 1))
    assert sorted((a.department_id, a.role, a.period, a.due_date, a.status) for a in created) == sorted(
        [
            (dept_a.pk, "lead", "2027", dt.date(2027, 3, 31), "not_started"),
            (dept_b.pk, "co", "2027", dt.date(2027, 3, 31), "not_started"),
        ]
    )
    first.refresh_from_db()
    assert first.status == Assignment.Status.COMPLETED and first.period == ""  # history kept
    assert Notification.objects.filter(user=lead_a, verb="assigned", message__contains="2027").exists()


def test_nothing_is_created_inside_the_same_period_or_twice(yearly):
    """Running again in 2026, or twice in 2027, creates nothing more."""
    assert recurrence_create_due(today=dt.date(2026, 12, 31)) == []
    assert len(recurrence_create_due(today=dt.date(2027, 1, 5))) == 2
    assert recurrence_create_due(today=dt.date(2027, 6, 1)) == []
    assert Assignment.objects.filter(period="2027").count() == 2


def test_later_periods_follow_the_latest_occurrence(yearly, dept_a):
    """A unit added in 2027 carries on into 2028; a unit marked not applicable in 2027 does not."""
    req, _first = yearly
    recurrence_create_due(today=dt.date(2027, 1, 1))
    Assignment.objects.filter(period="2027", role="co").update(status=Assignment.Status.NOT_APPLICABLE)
    extra = DepartmentFactory(name="研究生院")
    AssignmentFactory(requirement=req, department=extra, period="2027", due_date=dt.date(2027, 3, 31))
    created = recurrence_create_due(today=dt.date(2028, 2, 1))
    assert sorted(a.department.name for a in created) == sorted([dept_a.name, "研究生院"])


def test_quarterly_and_monthly_occurrences(db, dept_a):
    """每季度 and 每月 requirements get 2026-Q3 and 2026-07 when those periods start."""
    q = RequirementFactory(recurrence=R.QUARTERLY, deadline_date=dt.date(2026, 6, 25))
    m = RequirementFactory(recurrence=R.MONTHLY, deadline_date=None)
    AssignmentFactory(requirement=q, department=dept_a)
    AssignmentFactory(requirement=m, department=dept_a, due_date=dt.date(2026, 6, 30))
    created = {a.requirement_id: a for a in recurrence_create_due(today=dt.date(2026, 7, 1))}
    assert (created[q.pk].period, created[q.pk].due_date) == ("2026-Q3", dt.date(2026, 9, 25))
    assert (created[m.pk].period, created[m.pk].due_date) == ("2026-07", dt.date(2026, 7, 31))


def test_one_off_and_weekly_requirements_are_left_alone(db, dept_a):
    """Only 每年 / 每学期 / 每季度 / 每月 recur here."""
    AssignmentFactory(requirement=RequirementFactory(recurrence=""), department=dept_a)
    AssignmentFactory(requirement=RequirementFactory(recurrence=R.WEEKLY), department=dept_a)
    assert recurrence_create_due(today=dt.date(2027, 1, 1)) == []
