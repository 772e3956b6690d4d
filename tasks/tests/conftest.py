"""Fixtures for reminder tests: a unit with a liaison, a head and a school leader."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from compliance.tests.factories import (
    AssignmentFactory,
    RequirementFactory,
    UserFactory,
)

SH = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A moment on ``day`` in Shanghai (the scan's notion of 'today')."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://duban.example.edu.cn"
    settings.DUBAN_REMINDER_DAYS_BEFORE = [14, 7, 3, 1]
    settings.DUBAN_OVERDUE_REPEAT_WORKDAYS = 3
    settings.DUBAN_ESCALATE_HEAD_AFTER_DAYS = 3
    settings.DUBAN_ESCALATE_LEADER_AFTER_DAYS = 10


@pytest.fixture
def liaison(dept_a):
    user = UserFactory(username="t_liaison_a")
    dept_a.liaison = user
    dept_a.save()
    return user


@pytest.fixture
def head_a(dept_a):
    user = UserFactory(username="t_head_a")
    dept_a.head = user
    dept_a.save()
    return user


@pytest.fixture
def unit(dept_a, lead_a, member_a, liaison, head_a, school_leader, admin_user):
    """教务处 with a lead, a member, a liaison, a head, its school leader, and one administrator."""
    return dept_a


@pytest.fixture
def make_assignment(dept_a):
    def make(due: dt.date | None, *, department=None, heading: str = "完善本科教学质量保障体系", **kw):
        req = RequirementFactory(deadline_date=due, heading=heading)
        return AssignmentFactory(requirement=req, department=department or dept_a, due_date=due, **kw)

    return make
