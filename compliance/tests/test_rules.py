"""One rule, one place: 临期 and the two rates mean the same on every page, the API and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from compliance import rules, selectors_dashboard
from compliance.models import Assignment
from compliance.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def _private_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rules"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def due_in(dept_a):
    """Open items of 教务处 due in 3, 10 and 20 days."""
    return {n: AssignmentFactory(department=dept_a, due_date=TODAY + dt.timedelta(days=n)) for n in (3, 10, 20)}


@pytest.mark.parametrize("days, soon", [(7, {3}), (14, {3, 10}), (30, {3, 10, 20})])
@time_machine.travel(TODAY)
def test_due_soon_is_one_setting_everywhere(settings, client, admin_user, due_in, days, soon):
    """Changing DUBAN_DUE_SOON_DAYS moves the dashboard, its link, the task list and the API together."""
    settings.DUBAN_DUE_SOON_DAYS = days
    expected = {due_in[n].pk for n in soon}

    data = selectors_dashboard.dashboard(user=admin_user, filters={})
    assert data.totals.due_soon == len(expected)
    assert {a.pk for a in data.due_soon} == expected
    assert {a.pk for a in due_in.values() if rules.warning_level(a, on=TODAY) == "due_soon"} == expected

    client.force_login(admin_user)
    page = client.get("/dashboard/").content.decode()
    assert f"due_within={days}" in page
    assert f"{days} 天内到期" in page

    listed = client.get(f"/tasks/?due_within={days}").content.decode()
    for a in due_in.values():
        assert (f"/assignments/{a.pk}/" in listed) == (a.pk in expected)

    api = client.get(f"/api/assignments/?due_within={days}").json()
    assert {row["id"] for row in api["results"]} == expected
    levels = {row["id"]: row["warning"] for row in client.get("/api/assignments/").json()["results"]}
    assert {pk for pk, level in levels.items() if level == "due_soon"} == expected


def test_rates_follow_the_documented_formulas():
    """完成率 = completed ÷ (items − n/a); 按期率 = on time ÷ (completed + overdue)."""

    class Tally(rules.CompletionRates):
        total, completed, on_time, overdue, not_applicable = 10, 4, 3, 2, 2

    assert Tally().completion_rate == pytest.approx(0.5)
    assert Tally().on_time_rate == pytest.approx(0.5)


@time_machine.travel(TODAY)
def test_overdue_and_on_time_are_one_definition(dept_a):
    """An overdue item is open and past due; a completion on the due date itself is on time."""
    from django.utils import timezone

    late_open = AssignmentFactory(department=dept_a, due_date=TODAY - dt.timedelta(days=1))
    submitted = AssignmentFactory(department=dept_a, due_date=TODAY - dt.timedelta(days=1), status="submitted")
    done = AssignmentFactory(department=dept_a, due_date=TODAY, status="completed", completed_at=timezone.now())
    overdue = set(Assignment.objects.filter(rules.overdue_q(TODAY)).values_list("pk", flat=True))
    assert overdue == {late_open.pk}
    assert submitted.pk not in overdue
    assert set(Assignment.objects.filter(rules.on_time_q()).values_list("pk", flat=True)) == {done.pk}
