"""Every figure on the dashboard opens a list with exactly as many items as the figure says.

The dashboard marks each figure link with ``data-count``; the task list says how many items it
found in ``data-total``. The test follows every figure of every role's dashboard, also with the
year filter and a ranking period, and compares the two. The data mixes years, months, on-time and
late completions, so a filter the task list ignored would show more items than the figure.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from compliance.models import Assignment
from compliance.tests.factories import AssignmentFactory, PolicyDocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db
S = Assignment.Status
ROLES = ("admin_user", "auditor", "school_leader", "lead_a", "member_a", "lead_b")
TODAY = dt.date(2026, 5, 20)
TASKS = reverse("task_list")


class _Figures(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[str, int]] = []
        self.task_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag != "a" or not a.get("href"):
            return
        if a.get("data-count") is not None:
            self.figures.append((a["href"].replace("&amp;", "&"), int(a["data-count"])))
        elif a["href"].startswith(TASKS):
            self.task_links.append(a["href"])


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(_aware(TODAY, 9), tick=False):
        yield


@pytest.fixture(autouse=True)
def _private_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figs"}}


@pytest.fixture
def world(dept_a, dept_b, lead_a, member_a, lead_b, school_leader, admin_user, auditor):
    """Two documents, two departments, due dates over three years, completions over several months."""
    docs = [PolicyDocumentFactory(title="关于推进督查督办工作的通知"), PolicyDocumentFactory(title="年度工作要点")]

    def item(doc, department, status, due, completed=None, **extra):
        return AssignmentFactory(
            requirement=RequirementFactory(document=doc),
            department=department,
            status=status,
            due_date=due,
            completed_at=_aware(completed) if completed else None,
            **extra,
        )

    d = dt.date
    for doc, dept in ((docs[0], dept_a), (docs[1], dept_a), (docs[0], dept_b)):
        item(doc, dept, S.IN_PROGRESS, d(2026, 5, 10))  # overdue, in the ranking period
        item(doc, dept, S.NOT_STARTED, d(2026, 5, 23))  # due soon
        item(doc, dept, S.RETURNED, d(2025, 11, 30))  # overdue, last year
        item(doc, dept, S.SUBMITTED, d(2027, 3, 1))
        item(doc, dept, S.COMPLETED, d(2026, 5, 30), completed=d(2026, 5, 19))  # this month, on time
        item(doc, dept, S.COMPLETED, d(2026, 4, 1), completed=d(2026, 4, 10))  # last month, late
        item(doc, dept, S.COMPLETED, d(2025, 12, 31), completed=d(2025, 12, 1))  # last year, on time
        item(doc, dept, S.COMPLETED, None, completed=d(2026, 2, 3))  # no due date: on time
        item(doc, dept, S.NOT_APPLICABLE, d(2026, 3, 1))
    return docs


def _figures(client, url: str) -> _Figures:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _Figures()
    parser.feed(page.content.decode())
    return parser


def _listed(client, href: str) -> int:
    page = client.get(href)
    assert page.status_code == 200, href
    return int(re.search(r'data-total="(\d+)"', page.content.decode()).group(1))


FILTERED = ("?year=2025&from=2025-01-01&to=2025-12-31", "?document=__doc__&year=2026&from=2026-04-01&to=2026-05-31")
CASES = [(role, "") for role in ROLES] + [
    (role, query) for role in ("admin_user", "school_leader", "lead_b") for query in FILTERED
]


@pytest.mark.parametrize(("role", "query"), CASES)
def test_every_dashboard_figure_opens_a_list_of_that_many_items(client, request, world, role, query):
    client.force_login(request.getfixturevalue(role))
    parser = _figures(client, reverse("dashboard") + query.replace("__doc__", str(world[0].pk)))
    assert len(parser.figures) > 15
    wrong = {}
    for href, count in parser.figures:
        listed = _listed(client, href)
        if listed != count:
            wrong[href] = (count, listed)
    assert wrong == {}


def test_every_number_linked_into_the_task_list_is_a_checked_figure(client, world, admin_user):
    """A link into the task list without data-count would escape the test above."""
    client.force_login(admin_user)
    page = client.get(reverse("dashboard"))
    numbers = re.findall(r'<a href="(/tasks/[^"]*)"(?![^>]*data-count)[^>]*>\s*(?:<b>)?\d+', page.content.decode())
    assert numbers == []


def test_the_monthly_bars_end_with_the_current_month(client, world, admin_user):
    """Today's approvals show: the last bar is this month and counts this month's completions."""
    client.force_login(admin_user)
    parser = _figures(client, reverse("dashboard"))
    months = [(href, n) for href, n in parser.figures if "completed_month=" in href]
    assert len(months) == 12
    assert "completed_month=2026-05" in months[-1][0] and months[-1][1] == 3
    assert "completed_month=2025-06" in months[0][0]


def test_the_task_list_honours_the_dashboards_filters(client, world, lead_a):
    client.force_login(lead_a)
    assert _listed(client, TASKS) == 18
    assert _listed(client, TASKS + "?year=2025") == 4
    assert _listed(client, TASKS + "?status=completed&completed_month=2026-04") == 2
    assert _listed(client, TASKS + "?on_time=1") == 6
    assert _listed(client, TASKS + "?due_from=2026-05-01&due_to=2026-05-31") == 6


def test_a_bad_filter_is_named_and_changes_nothing(client, world, lead_a):
    client.force_login(lead_a)
    page = client.get(TASKS + "?completed_month=2026-13")
    assert page.status_code == 200
    assert "办结月份" in page.content.decode()
