"""Every link the home page, the task list and the dashboard show can be followed, for every role.

A status-code test of the pages cannot see a link that points nowhere (the dashboard's item
lists once linked to /tasks/<id>/, a 404); this test reads each page as the user gets it and
opens every link on it.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import Assignment, Notification
from compliance.tests.factories import AssignmentFactory, EvidenceFactory, PolicyDocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db
S = Assignment.Status
PAGES = ("home", "task_list", "dashboard")
ROLES = ("admin_user", "auditor", "school_leader", "lead_a", "member_a", "lead_b")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_on(page_url: str, html: str) -> set[str]:
    """The site's own links on a page (path and query), resolved against the page's address."""
    parser = _Links()
    parser.feed(html)
    found = set()
    for href in parser.hrefs:
        parts = urlsplit(urljoin(f"http://testserver{page_url}", href))
        if parts.netloc != "testserver" or parts.path.startswith("/static/"):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.fixture(autouse=True)
def _private_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "links"}}


@pytest.fixture
def world(dept_a, dept_b, lead_a, member_a, lead_b, school_leader, admin_user, auditor):
    """Items in every state the pages link to: overdue, due soon, submitted, completed, in two departments."""
    today = timezone.localdate()
    doc = PolicyDocumentFactory(title="关于推进督查督办工作的通知")

    def item(department, status, due, **extra):
        return AssignmentFactory(
            requirement=RequirementFactory(document=doc), department=department, status=status, due_date=due, **extra
        )

    overdue = item(dept_a, S.IN_PROGRESS, today - dt.timedelta(days=3))
    item(dept_a, S.NOT_STARTED, today + dt.timedelta(days=2))
    item(dept_a, S.SUBMITTED, today + dt.timedelta(days=20), submitted_at=timezone.now())
    item(dept_a, S.COMPLETED, today - dt.timedelta(days=1), completed_at=timezone.now() - dt.timedelta(days=2))
    item(dept_b, S.RETURNED, today - dt.timedelta(days=10))
    item(dept_b, S.NOT_STARTED, today + dt.timedelta(days=1))
    EvidenceFactory(assignment=overdue)
    for user in (lead_a, lead_b, admin_user):
        Notification.objects.create(user=user, verb="assigned", message="新分配事项", assignment=overdue)
    return doc


@pytest.mark.parametrize("role", ROLES)
def test_every_link_on_the_main_pages_opens(client, request, world, role):
    client.force_login(request.getfixturevalue(role))
    targets: set[str] = set()
    for name in PAGES:
        url = reverse(name)
        page = client.get(url)
        assert page.status_code == 200, url
        targets |= links_on(url, page.content.decode())
    broken = {}
    for target in sorted(targets):
        status = client.get(target).status_code
        if status >= 400:
            broken[target] = status
    assert broken == {}
    assert len(targets) > 10  # the pages did show links (navigation, figures, items)


def test_the_dashboards_item_lists_open_the_item_pages(client, world, lead_a):
    client.force_login(lead_a)
    links = links_on(reverse("dashboard"), client.get(reverse("dashboard")).content.decode())
    items = {link for link in links if link.startswith("/assignments/")}
    expected = {
        reverse("assignment_detail", args=[a.pk])
        for a in Assignment.objects.filter(department__name="教务处", status__in=Assignment.OPEN_STATUSES)
    }
    assert items == expected and not any(link.startswith("/tasks/") and link[7:8].isdigit() for link in links)
