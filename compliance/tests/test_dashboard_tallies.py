"""Dashboard figures kept current by the database (PostgreSQL triggers) match a full scan.

Every test changes assignments the ways Duban and its operators do (services, save(),
QuerySet.update(), bulk_create(), delete(), archiving, the day turning, the 临期 window changing)
and compares what the tallies say with what scanning every assignment says.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from compliance import selectors, selectors_dashboard, selectors_tallies
from compliance.models import Assignment, DashboardTallyState, PolicyDocument
from compliance.tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    PolicyDocumentFactory,
    RequirementFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=False),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the tallies' triggers are PostgreSQL's"),
]

S = Assignment.Status
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _private_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tally"}}


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), tick=False)


def _normal(figures: dict) -> dict:
    """Rows without zero counts, in a fixed order (the scan and the tallies group alike)."""
    out = {}
    for name, key in (("by_department", "department_id"), ("by_document", "requirement__document_id")):
        rows = []
        for r in figures[name]:
            row = {k: r[k] for k in ("status", "n", "on_time", "past_due", "due_soon")}
            if name == "by_department":
                row.update({k: r[k] for k in ("p_n", "p_on_time", "p_past_due")})
            rows.append((r[key], row["status"], tuple(sorted(row.items()))))
        out[name] = sorted(rows)
    out["monthly"] = {m: n for m, n in figures["monthly"].items() if n}
    return out


def _both(admin) -> tuple[dict, dict]:
    today = selectors.today()
    months = selectors_dashboard._month_starts(today)
    kw = {"today": today, "rank_from": today.replace(month=1, day=1), "rank_to": today, "months": months}
    kept = selectors_tallies.tally_figures(**kw)
    assert kept is not None
    scanned = selectors_dashboard._grouped_figures(
        selectors_dashboard.dashboard_assignments(user=admin, filters={}), **kw
    )
    return _normal(kept), _normal(scanned)


def _random_items(rng: random.Random, departments, documents, n: int) -> list[Assignment]:
    today = selectors.today()
    items = []
    for _ in range(n):
        status = rng.choice(S.values)
        due = None if rng.random() < 0.1 else today + dt.timedelta(days=rng.randint(-400, 60))
        a = AssignmentFactory(
            requirement=RequirementFactory(document=rng.choice(documents)),
            department=rng.choice(departments),
            status=status,
            due_date=due,
        )
        if status == S.COMPLETED and rng.random() < 0.9:
            a.completed_at = timezone.make_aware(
                dt.datetime.combine(today - dt.timedelta(days=rng.randint(0, 420)), dt.time(rng.choice([1, 12, 23])))
            )
            a.save(update_fields=["completed_at"])
        items.append(a)
    return items


@pytest.fixture
def world(admin_user):
    rng = random.Random(17)
    with _at(dt.date(2026, 3, 10)):
        departments = [DepartmentFactory() for _ in range(4)]
        documents = [PolicyDocumentFactory() for _ in range(3)]
        items = _random_items(rng, departments, documents, 60)
        yield rng, departments, documents, items


def test_tallies_match_a_scan_through_every_kind_of_write(world, admin_user):
    rng, departments, documents, items = world
    kept, scanned = _both(admin_user)  # the first read builds the tallies
    assert kept == scanned and kept["by_department"]

    for a in rng.sample(items, 15):  # save(): status, due date, department, completion
        a.status = rng.choice(S.values)
        a.due_date = rng.choice(
            [None, selectors.today(), selectors.today() + dt.timedelta(days=3), dt.date(2025, 12, 1)]
        )
        a.department = rng.choice(departments)
        a.completed_at = timezone.now() if a.status == S.COMPLETED else None
        a.save()
    assert _both(admin_user)[0] == _both(admin_user)[1]

    Assignment.objects.filter(pk__in=[a.pk for a in items[:20]]).update(status=S.IN_PROGRESS)  # one statement
    Assignment.objects.filter(pk__in=[a.pk for a in items[20:25]]).delete()
    Assignment.objects.bulk_create(
        [
            Assignment(requirement=RequirementFactory(document=documents[0]), department=departments[0], status=s)
            for s in S.values
        ]
    )
    kept, scanned = _both(admin_user)
    assert kept == scanned
    assert _urgency_kept() == _urgency_scanned()


def _urgency_kept() -> dict:
    from compliance.models import DocumentUrgency

    return {u.document_id: (u.overdue, u.not_completed, u.total) for u in DocumentUrgency.objects.filter(total__gt=0)}


def _urgency_scanned() -> dict:
    from django.db.models import Count, Q

    today = selectors.today()
    rows = (
        Assignment.objects.filter(requirement__document__archived_at__isnull=True)
        .values("requirement__document_id")
        .annotate(
            overdue=Count("id", filter=Q(status__in=Assignment.OPEN_STATUSES, due_date__lt=today)),
            not_completed=Count("id", filter=~Q(status=S.COMPLETED)),
            total=Count("id"),
        )
    )
    return {r["requirement__document_id"]: (r["overdue"], r["not_completed"], r["total"]) for r in rows}


def test_a_change_shows_on_the_next_dashboard_without_a_rebuild(world, admin_user):
    items = world[3]
    selectors_dashboard.dashboard(user=admin_user, filters={})
    rebuilt = DashboardTallyState.objects.get().rebuilt_at
    before = selectors_dashboard.dashboard(user=admin_user, filters={}).totals
    item = next(a for a in items if a.status in Assignment.OPEN_STATUSES)
    Assignment.objects.filter(pk=item.pk).update(status=S.COMPLETED, completed_at=timezone.now())
    after = selectors_dashboard.dashboard(user=admin_user, filters={}).totals
    assert after.completed == before.completed + 1
    assert DashboardTallyState.objects.get().rebuilt_at == rebuilt  # kept current, not rebuilt


def test_archiving_a_document_marks_the_tallies_stale_and_the_next_read_rebuilds(world, admin_user):
    _, _, documents, _ = world
    total = selectors_dashboard.dashboard(user=admin_user, filters={}).totals.total
    on_doc = Assignment.objects.filter(requirement__document=documents[0]).count()
    PolicyDocument.objects.filter(pk=documents[0].pk).update(archived_at=timezone.now())
    assert DashboardTallyState.objects.get().ref_day is None
    assert selectors_dashboard.dashboard(user=admin_user, filters={}).totals.total == total - on_doc
    doc = PolicyDocument.objects.get(pk=documents[0].pk)
    doc.archived_at = None
    doc.save()
    kept, scanned = _both(admin_user)
    assert kept == scanned
    assert sum(dict(r[2])["n"] for r in kept["by_department"]) == total


def test_the_next_day_moves_items_into_overdue(world, admin_user):
    _, departments, documents, _ = world
    a = AssignmentFactory(
        requirement=RequirementFactory(document=documents[0]),
        department=departments[0],
        status=S.IN_PROGRESS,
        due_date=selectors.today(),
    )
    overdue = selectors_dashboard.dashboard(user=admin_user, filters={}).totals.overdue
    with _at(a.due_date + dt.timedelta(days=1)):
        assert selectors_dashboard.dashboard(user=admin_user, filters={}).totals.overdue == overdue + 1
        assert DashboardTallyState.objects.get().ref_day == a.due_date + dt.timedelta(days=1)
        kept, scanned = _both(admin_user)
        assert kept == scanned


def test_a_new_due_soon_window_rebuilds(world, admin_user, settings):
    selectors_dashboard.dashboard(user=admin_user, filters={})
    settings.DUBAN_DUE_SOON_DAYS = 30
    kept, scanned = _both(admin_user)
    assert kept == scanned
    assert DashboardTallyState.objects.get().soon_days == 30


def test_another_ranking_period_or_a_filter_scans(world, admin_user):
    today = selectors.today()
    months = selectors_dashboard._month_starts(today)
    assert (
        selectors_tallies.tally_figures(
            today=today, rank_from=dt.date(2025, 1, 1), rank_to=dt.date(2025, 12, 31), months=months
        )
        is None
    )
    documents = world[2]
    by_doc = selectors_dashboard.dashboard(user=admin_user, filters={"document": documents[1].pk})
    assert by_doc.totals.total == Assignment.objects.filter(requirement__document=documents[1]).count()


def test_a_rebuild_running_elsewhere_leaves_the_page_to_the_scan(world, admin_user):
    """While another session holds the rebuild lock, the page scans (and shows the same figures)."""
    import psycopg
    from django.conf import settings as dj

    db = dj.DATABASES["default"]
    PolicyDocument.objects.filter(pk=world[2][0].pk).update(archived_at=timezone.now())  # stale
    other = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=connection.settings_dict["NAME"],
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [selectors_tallies.REBUILD_LOCK])
        assert not selectors_tallies.rebuild(selectors.today())
        data = selectors_dashboard.dashboard(user=admin_user, filters={})
        expected = Assignment.objects.filter(requirement__document__archived_at__isnull=True).count()
        assert data.totals.total == expected
    finally:
        other.close()


def test_the_daily_beat_task_rebuilds_for_the_new_day_once(world, admin_user):
    from tasks.dashboard import rebuild_tallies

    selectors_dashboard.dashboard(user=admin_user, filters={})
    with _at(dt.date(2026, 3, 11)):
        assert rebuild_tallies.apply(kwargs={"slot_seconds": 86400}).get() is True
        assert DashboardTallyState.objects.get().ref_day == dt.date(2026, 3, 11)
        assert rebuild_tallies.apply(kwargs={"slot_seconds": 86400}).get() is False  # a second beat: no work
        kept, scanned = _both(admin_user)
        assert kept == scanned


def test_the_documents_most_in_need_of_attention_are_the_same_from_tallies_and_scan(world, admin_user, monkeypatch):
    _, departments, _, _ = world
    rng = random.Random(5)
    _random_items(rng, departments, [PolicyDocumentFactory() for _ in range(12)], 80)

    def shown():
        data = selectors_dashboard.dashboard(user=admin_user, filters={}, document_limit=5)
        return [(r.id, r.counts.total, r.counts.overdue) for r in data.by_document], data.documents_total

    kept = shown()
    monkeypatch.setattr(selectors_tallies, "available", lambda: False)
    assert shown() == kept
    assert len(kept[0]) == 5 and kept[1] == 15
