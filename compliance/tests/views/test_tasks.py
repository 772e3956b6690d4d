"""我的任务: scoping, filters, sorting and warning colours."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from compliance.models import Assignment
from compliance.tests.factories import (
    AssignmentFactory,
    PolicyDocumentFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def items(dept_a, dept_b):
    doc = PolicyDocumentFactory(title="本科教学工作要点")
    return {
        "late": AssignmentFactory(
            department=dept_a,
            due_date=TODAY - dt.timedelta(days=3),
            requirement=RequirementFactory(document=doc, heading="修订培养方案"),
        ),
        "soon": AssignmentFactory(
            department=dept_a,
            due_date=TODAY + dt.timedelta(days=2),
            requirement=RequirementFactory(heading="课程思政示范课"),
        ),
        "later": AssignmentFactory(
            department=dept_a,
            due_date=TODAY + dt.timedelta(days=60),
            requirement=RequirementFactory(heading="一流专业建设"),
        ),
        "done": AssignmentFactory(
            department=dept_a,
            status=Assignment.Status.COMPLETED,
            due_date=TODAY,
            requirement=RequirementFactory(heading="已完成的事项"),
        ),
        "other": AssignmentFactory(
            department=dept_b, due_date=TODAY, requirement=RequirementFactory(heading="科研项目申报")
        ),
    }


@time_machine.travel(TODAY, tick=False)
def test_lead_sees_only_own_department_items_with_warning_colours(as_user, lead_a, items):
    """A lead's list shows their department's items, coloured 正常 / 临期 / 逾期, never another department's."""
    page = as_user(lead_a).get("/tasks/").content.decode()
    assert "修订培养方案" in page and "课程思政示范课" in page and "一流专业建设" in page
    assert "科研项目申报" not in page
    assert 'class="row-overdue"' in page and 'class="row-due_soon"' in page and 'class="row-normal"' in page


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("status=open", ["修订培养方案", "课程思政示范课"], ["已完成的事项"]),
        ("status=completed", ["已完成的事项"], ["修订培养方案"]),
        ("overdue=1", ["修订培养方案"], ["课程思政示范课", "一流专业建设"]),
        ("due_within=7", ["课程思政示范课"], ["修订培养方案", "一流专业建设"]),
        ("q=一流", ["一流专业建设"], ["修订培养方案"]),
    ],
)
def test_filters(as_user, lead_a, items, query, expected, absent):
    """The filters the dashboard links to narrow the list as their names say."""
    page = as_user(lead_a).get(f"/tasks/?{query}").content.decode()
    for text in expected:
        assert text in page
    for text in absent:
        assert text not in page


@time_machine.travel(TODAY, tick=False)
def test_document_filter_and_deadline_sort(as_user, admin_user, items):
    """Filtering by document keeps its items; sorting by deadline puts the earliest first, or last with -due."""
    client = as_user(admin_user)
    doc = items["late"].requirement.document
    page = client.get(f"/tasks/?document={doc.pk}").content.decode()
    assert "修订培养方案" in page and "一流专业建设" not in page
    # The filter keeps the chosen document selected (its options are joined in Python: FastSelect).
    assert f'<option value="{doc.pk}" selected>本科教学工作要点</option>' in page
    assert '<select name="document" id="id_document">' in page and '<option value="">全部文件</option>' in page
    asc = client.get("/tasks/?sort=due").content.decode()
    assert asc.index("修订培养方案") < asc.index("一流专业建设")
    desc = client.get("/tasks/?sort=-due").content.decode()
    assert desc.index("一流专业建设") < desc.index("修订培养方案")


def test_department_filter_for_administrators(as_user, admin_user, items, dept_b):
    """An administrator sees every department and can narrow to one."""
    page = as_user(admin_user).get(f"/tasks/?department={dept_b.pk}").content.decode()
    assert "科研项目申报" in page and "修订培养方案" not in page


def test_a_lead_cannot_widen_the_list_with_another_departments_filter(as_user, lead_a, items, dept_b):
    """Asking for another department's items with the filter shows nothing of theirs."""
    page = as_user(lead_a).get(f"/tasks/?department={dept_b.pk}").content.decode()
    assert "科研项目申报" not in page


def test_list_needs_a_bounded_number_of_queries(as_user, admin_user, dept_a, django_assert_max_num_queries):
    """The list costs the same few queries for 40 items as for one."""
    AssignmentFactory.create_batch(40, department=dept_a)
    client = as_user(admin_user)
    with django_assert_max_num_queries(12):
        assert client.get("/tasks/").status_code == 200


def test_login_is_required(client):
    """Anonymous visitors are sent to the login page."""
    resp = client.get("/tasks/")
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")


def test_a_long_list_counts_no_further_than_the_cap(as_user, admin_user, dept_a, settings):
    """With more items than DUBAN_LIST_COUNT_CAP the list says "more than N" and asks for a
    filter; the count query stops at the cap (LIMIT) instead of counting every row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DUBAN_LIST_COUNT_CAP = 60
    AssignmentFactory.create_batch(75, department=dept_a)
    client = as_user(admin_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tasks/").content.decode()
    assert "超过 60 项，只列出前 60 项，请用筛选条件缩小范围" in page and 'data-capped="1"' in page
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "compliance_assignment" in q["sql"]]
    assert counts and all("LIMIT 61" in sql and "ORDER BY" not in sql for sql in counts)
    assert "1 / 2" in page  # 60 rows, 50 a page
    last = client.get("/tasks/?page=3").content.decode()  # past the cap: the last page
    assert "2 / 2" in last
    settings.DUBAN_LIST_COUNT_CAP = 10_000
    assert "共 75 项" in client.get("/tasks/").content.decode()
