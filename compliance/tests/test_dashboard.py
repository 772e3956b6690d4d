"""The dashboard: figures scoped to the user, links to the items, constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from compliance import rules, selectors_dashboard
from compliance.models import Assignment
from compliance.tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    PolicyDocumentFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 15)
S = Assignment.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users need no slow password hashing (autouse: runs before the user fixtures)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test gets an empty in-process cache: the figures cache never leaks between tests."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dash"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 5, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


def _make(department, *, status=S.NOT_STARTED, due=dt.date(2026, 6, 30), completed_on=None, document=None):
    req = RequirementFactory(document=document) if document else RequirementFactory()
    a = AssignmentFactory(requirement=req, department=department, due_date=due, status=status)
    if completed_on:
        a.completed_at = timezone.make_aware(dt.datetime.combine(completed_on, dt.time(15)))
        a.save(update_fields=["completed_at"])
    return a


@pytest.fixture
def scenario(dept_a, dept_b):
    """教务处: 1 on time, 1 late, 1 overdue, 1 due in a week; 科技处: 2 overdue."""
    doc = PolicyDocumentFactory(title="关于深化本科教育教学改革的意见")
    _make(dept_a, status=S.COMPLETED, due=dt.date(2026, 4, 30), completed_on=dt.date(2026, 4, 20), document=doc)
    _make(dept_a, status=S.COMPLETED, due=dt.date(2026, 4, 30), completed_on=dt.date(2026, 5, 6), document=doc)
    _make(dept_a, status=S.IN_PROGRESS, due=dt.date(2026, 5, 1), document=doc)
    _make(dept_a, status=S.NOT_STARTED, due=dt.date(2026, 5, 22), document=doc)
    _make(dept_b, status=S.RETURNED, due=dt.date(2026, 3, 31))
    _make(dept_b, status=S.NOT_STARTED, due=dt.date(2026, 4, 15))
    return doc


def test_admin_sees_rates_by_department(scenario, admin_user, dept_a, dept_b):
    """Completion and on-time rates per department follow the stated formulas."""
    data = selectors_dashboard.dashboard(user=admin_user, filters={})
    rows = {r.name: r.counts for r in data.by_department}
    a = rows["教务处"]
    assert (a.total, a.completed, a.on_time, a.overdue, a.due_soon) == (4, 2, 1, 1, 1)
    assert a.completion_rate == pytest.approx(0.5)
    assert a.on_time_rate == pytest.approx(1 / 3)  # 1 on time ÷ (2 completed + 1 overdue)
    b = rows["科学技术处"]
    assert (b.total, b.completed, b.overdue) == (2, 0, 2)
    assert data.totals.total == 6
    assert data.totals.by_status[S.RETURNED] == 1


def test_lead_dashboard_counts_only_own_department(scenario, client, lead_a):
    """A department lead's dashboard never counts another department's items."""
    data = selectors_dashboard.dashboard(user=lead_a, filters={})
    assert [r.name for r in data.by_department] == ["教务处"]
    assert data.totals.total == 4
    assert all(a.department.name == "教务处" for a in data.overdue)
    client.force_login(lead_a)
    page = client.get("/dashboard/").content.decode()
    assert "科学技术处" not in page
    # Asking for the other department by id shows nothing of it either.
    other = selectors_dashboard.dashboard(user=lead_a, filters={"department": scenario.pk and 10**6})
    assert other.totals.total == 0


def test_school_leader_sees_overseen_departments_only(scenario, school_leader):
    data = selectors_dashboard.dashboard(user=school_leader, filters={})
    assert {r.name for r in data.by_department} == {"教务处"}


def test_filters_by_document_year_and_department(scenario, admin_user, dept_b):
    assert selectors_dashboard.dashboard(user=admin_user, filters={"document": scenario.pk}).totals.total == 4
    assert selectors_dashboard.dashboard(user=admin_user, filters={"department": dept_b.pk}).totals.total == 2
    assert selectors_dashboard.dashboard(user=admin_user, filters={"year": 2025}).totals.total == 0
    assert selectors_dashboard.dashboard(user=admin_user, filters={"year": 2026}).totals.total == 6


def test_ranking_for_a_period(scenario, admin_user):
    """督办通报 ranks departments over items due in the chosen period."""
    data = selectors_dashboard.dashboard(
        user=admin_user, filters={}, rank_from=dt.date(2026, 4, 1), rank_to=dt.date(2026, 4, 30)
    )
    ranking = [(r.name, r.assigned, r.completed, r.on_time, r.overdue, r.reminders) for r in data.ranking]
    assert ranking == [("教务处", 2, 2, 1, 0, 0), ("科学技术处", 1, 0, 0, 1, 0)]
    # The ranking's rates are the documented ones (rules.CompletionRates), not per-item shares.
    jwc = data.ranking[0]
    assert jwc.completion_rate == pytest.approx(1.0)  # 2 completed ÷ 2 items
    assert jwc.on_time_rate == pytest.approx(0.5)  # 1 on time ÷ (2 completed + 0 overdue)


def test_page_shows_chinese_svg_charts_and_click_through_links(scenario, client, admin_user, dept_a):
    client.force_login(admin_user)
    resp = client.get("/dashboard/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "<svg" in page and "各部门完成率与按期率" in page and "状态分布" in page
    assert "每月办结数量" in page and "督办通报" in page
    assert f"/tasks/?department={dept_a.pk}&amp;overdue=1" in page
    assert f"/tasks/?department={dept_a.pk}&amp;status=completed" in page
    assert f"/tasks/?due_within={rules.due_soon_days()}" in page
    assert "/tasks/?status=returned" in page
    assert "cdn" not in page.lower()


def test_click_through_links_keep_the_filters(scenario, client, admin_user, dept_b):
    client.force_login(admin_user)
    page = client.get(f"/dashboard/?document={scenario.pk}&year=2026").content.decode()
    assert f'<option value="{scenario.pk}" selected>关于深化本科教育教学改革的意见</option>' in page
    assert f"/tasks/?document={scenario.pk}&amp;year=2026&amp;overdue=1" in page


def test_dashboard_requires_login(client):
    assert client.get("/dashboard/").status_code == 302


def _bulk(n: int, departments: list) -> None:
    docs = [PolicyDocumentFactory() for _ in range(3)]
    for i in range(n):
        _make(
            departments[i % len(departments)],
            status=[S.NOT_STARTED, S.COMPLETED, S.IN_PROGRESS][i % 3],
            due=TODAY + dt.timedelta(days=(i % 40) - 20),
            completed_on=TODAY - dt.timedelta(days=i % 60) if i % 3 == 1 else None,
            document=docs[i % 3],
        )


@pytest.mark.parametrize("role_fixture", ["admin_user", "lead_a"])
def test_query_count_does_not_grow_with_rows(client, request, role_fixture, django_assert_max_num_queries, dept_a):
    """The page runs the same number of queries for 6 items and for 60: at most 10 for the
    administrator, whose figures the database keeps current (PostgreSQL; the first load of the day
    rebuilds them), 14 for a lead (scanned, then cached until the data changes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = request.getfixturevalue(role_fixture)
    departments = [dept_a, *(DepartmentFactory() for _ in range(2))]
    client.force_login(user)
    kept = role_fixture == "admin_user" and connection.vendor == "postgresql"
    counts, warm = [], []
    for n in (6, 60):
        _bulk(n, departments)  # new rows: a new data version, so the first load is cold
        for seen in (counts, warm):
            with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(10 if kept else 14):
                assert client.get("/dashboard/").status_code == 200
            seen.append(len(ctx.captured_queries))
    if kept:  # the tallies are read, never scanned: after the first load, one count for every load
        assert counts[1] == warm[0] == warm[1] <= 8, (counts, warm)
    else:
        assert counts[0] == counts[1], counts
        assert warm[0] == warm[1] == counts[0] - 3, (counts, warm)  # the three scans come from the cache


def test_cached_figures_change_as_soon_as_the_data_does(scenario, admin_user, lead_a, dept_a):
    """Warm loads reuse the figures; a save, a new item or a deletion shows on the next load."""
    from compliance.services import assignments as svc

    first = selectors_dashboard.dashboard(user=admin_user, filters={}).totals
    assert selectors_dashboard.dashboard(user=admin_user, filters={}).totals == first
    item = Assignment.objects.filter(department=dept_a, status=S.NOT_STARTED).get()
    svc.assignment_start(assignment=item, by=lead_a)  # the clock stands still: same updated_at
    after = selectors_dashboard.dashboard(user=admin_user, filters={}).totals
    assert after.by_status[S.IN_PROGRESS] == first.by_status[S.IN_PROGRESS] + 1
    extra = _make(dept_a, status=S.COMPLETED, due=dt.date(2026, 6, 30), completed_on=dt.date(2026, 5, 1))
    assert selectors_dashboard.dashboard(user=admin_user, filters={}).totals.completed == after.completed + 1
    extra.delete()
    assert selectors_dashboard.dashboard(user=admin_user, filters={}).totals.completed == after.completed


def test_cached_figures_stay_within_the_users_scope(scenario, admin_user, lead_a):
    """The cache key is the scoped query: a lead never gets the administrator's cached figures."""
    assert selectors_dashboard.dashboard(user=admin_user, filters={}).totals.total == 6
    assert selectors_dashboard.dashboard(user=lead_a, filters={}).totals.total == 4
    assert selectors_dashboard.dashboard(user=admin_user, filters={"year": 2025}).totals.total == 0


def test_an_unreachable_cache_only_costs_the_cold_path(scenario, admin_user, monkeypatch):
    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis down")

        set = get

    monkeypatch.setattr(selectors_dashboard, "cache", Broken())
    assert selectors_dashboard.dashboard(user=admin_user, filters={}).totals.total == 6


def test_with_many_documents_the_page_lists_those_needing_attention(client, admin_user, dept_a):
    """35 documents: 各文件进展 shows 30 — the one with an overdue item among them — and says where
    the other 5 are."""
    today = timezone.localdate()
    docs = [PolicyDocumentFactory(title=f"普通文件{i:02d}") for i in range(35)]
    for doc in docs:
        AssignmentFactory(
            department=dept_a,
            status=Assignment.Status.COMPLETED,
            due_date=today,
            requirement=RequirementFactory(document=doc),
        )
    late = PolicyDocumentFactory(title="有逾期事项的文件")
    AssignmentFactory(
        department=dept_a, due_date=today - dt.timedelta(days=5), requirement=RequirementFactory(document=late)
    )
    client.force_login(admin_user)
    page = client.get("/dashboard/").content.decode()
    assert "有逾期事项的文件" in page
    assert page.count('class="progress-label"') == 30
    assert "另有 6 份文件未列出" in page and 'href="/documents/"' in page
