"""The scanner: which reminder is due, for whom, written once to the ledger."""

import datetime as dt

import pytest

from compliance.models import Assignment, ReminderDelivery
from compliance.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from tasks.reminders import ReminderPolicy, reminders_due, scan

from .conftest import at

DUE = dt.date(2026, 6, 30)  # a Tuesday
POLICY = ReminderPolicy(days_before=(14, 7, 3, 1), repeat_workdays=3, head_after_days=3, leader_after_days=10)


def kinds(today, due=DUE, policy=POLICY):
    return [r.kind for r in reminders_due(due_date=due, today=today, policy=policy)]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 6, 15), []),  # 15 days before: nothing yet
        (dt.date(2026, 6, 16), ["before_14"]),
        (dt.date(2026, 6, 22), ["before_14"]),  # 8 days before: still the 14-day window
        (dt.date(2026, 6, 25), ["before_7"]),  # 5 days before: only the latest threshold, not 14 and 7
        (dt.date(2026, 6, 29), ["before_1"]),
        (dt.date(2026, 6, 30), ["due_today"]),
        (dt.date(2026, 7, 1), ["overdue_1"]),
        (dt.date(2026, 7, 3), ["overdue_1", "escalate_head"]),  # 3 working days late
        (dt.date(2026, 7, 6), ["overdue_2", "escalate_head"]),  # the 4th working day starts a new repeat
        (dt.date(2026, 7, 13), ["overdue_3", "escalate_head"]),  # 9 working days late
        (dt.date(2026, 7, 14), ["overdue_4", "escalate_head", "escalate_leader"]),  # 10 working days
    ],
)
def test_reminders_due_use_windows_and_the_latest_threshold(today, expected):
    """Before the deadline the latest threshold reached; on the day due_today; then overdue repeats."""
    assert kinds(today) == expected


def test_overdue_repeats_count_working_days_not_holidays():
    """Due 30 September 2026: the golden week does not count, so 8 October is the first overdue working day."""
    assert kinds(dt.date(2026, 10, 8), due=dt.date(2026, 9, 30))[0] == "overdue_1"
    assert kinds(dt.date(2026, 10, 12), due=dt.date(2026, 9, 30))[0] == "overdue_2"  # 8, 9, 10 (调休), 12


def test_thresholds_are_configurable(settings):
    """DUBAN_REMINDER_DAYS_BEFORE=30,5 reminds 30 and 5 days ahead, nothing at 14."""
    settings.DUBAN_REMINDER_DAYS_BEFORE = [30, 5]
    policy = ReminderPolicy.from_settings()
    assert kinds(dt.date(2026, 5, 31), policy=policy) == ["before_30"]
    assert kinds(dt.date(2026, 6, 25), policy=policy) == ["before_5"]


def rows(**filters):
    return sorted(
        ReminderDelivery.objects.filter(**filters).values_list("kind", "channel", "recipient"),
    )


@pytest.mark.django_db
def test_scan_writes_one_row_per_unit_person_and_is_safe_to_rerun(unit, make_assignment, liaison, lead_a, member_a):
    """The liaison and the members get the 7-day reminder; a second and third scan add nothing."""
    a = make_assignment(DUE)
    report = scan(now=at(dt.date(2026, 6, 25)))
    assert len(report.planned) == 3
    assert rows(assignment=a) == sorted(("before_7", "email", f"user:{u.pk}") for u in (liaison, lead_a, member_a))
    assert scan(now=at(dt.date(2026, 6, 25))).planned == []
    scan(now=at(dt.date(2026, 6, 25), hour=15))
    assert ReminderDelivery.objects.count() == 3


@pytest.mark.django_db
def test_after_downtime_the_missed_reminder_goes_out_once(unit, make_assignment):
    """Scanner down from 16 to 24 June: on the 25th only the 7-day reminder is written, once."""
    a = make_assignment(DUE)
    scan(now=at(dt.date(2026, 6, 25)))
    assert {k for k, _c, _r in rows(assignment=a)} == {"before_7"}


@pytest.mark.django_db
def test_no_reminders_on_a_holiday_the_next_working_day_catches_up(unit, make_assignment):
    """Due 2 October 2026: nothing is written during the golden week; on 8 October overdue_1 is (no escalation yet)."""
    a = make_assignment(dt.date(2026, 10, 2))
    for day in range(1, 8):
        report = scan(now=at(dt.date(2026, 10, day)))
        assert not report.workday
    assert not ReminderDelivery.objects.exists()
    scan(now=at(dt.date(2026, 10, 8)))
    assert {k for k, _c, _r in rows(assignment=a)} == {"overdue_1"}


@pytest.mark.django_db
def test_escalation_reaches_head_then_school_leader_and_administrators(
    unit, make_assignment, head_a, school_leader, admin_user, liaison
):
    """Head after 3 working days overdue; the school leader and administrators after 10; the unit throughout."""
    a = make_assignment(DUE)
    scan(now=at(dt.date(2026, 7, 1)))
    assert {r for _k, _c, r in rows(assignment=a)} == {
        f"user:{u.pk}" for u in (liaison, *[m.user for m in unit.memberships.all()])
    }
    scan(now=at(dt.date(2026, 7, 3)))
    assert rows(assignment=a, kind="escalate_head") == [("escalate_head", "email", f"user:{head_a.pk}")]
    scan(now=at(dt.date(2026, 7, 13)))
    assert not rows(assignment=a, kind="escalate_leader")
    scan(now=at(dt.date(2026, 7, 14)))
    assert rows(assignment=a, kind="escalate_leader") == sorted(
        ("escalate_leader", "email", f"user:{u.pk}") for u in (school_leader, admin_user)
    )


@pytest.mark.django_db
def test_the_requirements_own_school_leader_is_escalated_to(unit, make_assignment):
    """A 责任校领导 named on the requirement is told too, besides the department's 分管校领导."""
    other_leader = UserFactory(username="t_leader2", role="leader")
    a = make_assignment(DUE)
    a.requirement.school_leader = other_leader
    a.requirement.save()
    scan(now=at(dt.date(2026, 7, 14)))
    assert ("escalate_leader", "email", f"user:{other_leader.pk}") in rows(assignment=a)


@pytest.mark.django_db
def test_closed_and_undated_items_get_no_reminders(unit, make_assignment):
    """Submitted, completed and not-applicable items, and items without a deadline, are left alone."""
    for status in (Assignment.Status.SUBMITTED, Assignment.Status.COMPLETED, Assignment.Status.NOT_APPLICABLE):
        make_assignment(DUE, status=status)
    make_assignment(None)
    assert scan(now=at(dt.date(2026, 7, 1))).planned == []


@pytest.mark.django_db
def test_returned_items_are_reminded(unit, make_assignment):
    """An item sent back (已退回) is open again, so its reminders go on."""
    a = make_assignment(DUE, status=Assignment.Status.RETURNED)
    scan(now=at(dt.date(2026, 7, 1)))
    assert rows(assignment=a)


@pytest.mark.django_db
def test_department_robots_get_a_ledger_row_each(unit, make_assignment):
    """A unit with WeCom and DingTalk robots gets one row per robot for unit reminders, none for escalations."""
    unit.wecom_webhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    unit.dingtalk_webhook = "https://oapi.dingtalk.com/robot/send?access_token=t"
    unit.save()
    a = make_assignment(DUE)
    scan(now=at(dt.date(2026, 7, 3)))
    robots = [(k, c) for k, c, r in rows(assignment=a) if r == f"dept:{unit.pk}"]
    assert sorted(robots) == [("overdue_1", "dingtalk"), ("overdue_1", "wecom")]


@pytest.mark.django_db
def test_an_extension_starts_a_fresh_series_for_the_new_date(unit, make_assignment):
    """After the due date moves, the reminders for the new date are new rows; old ones stay as history."""
    a = make_assignment(DUE)
    scan(now=at(dt.date(2026, 6, 29)))
    a.due_date = dt.date(2026, 7, 31)
    a.save()
    scan(now=at(dt.date(2026, 7, 20)))
    assert set(ReminderDelivery.objects.filter(assignment=a).values_list("kind", "occurrence")) == {
        ("before_1", "2026-06-30"),
        ("before_14", "2026-07-31"),
    }


@pytest.mark.django_db
def test_dry_run_writes_nothing(unit, make_assignment):
    """A dry run lists the reminders it would write and leaves the ledger empty."""
    make_assignment(DUE)
    report = scan(now=at(dt.date(2026, 6, 25)), dry_run=True)
    assert len(report.planned) == 3
    assert not ReminderDelivery.objects.exists()


@pytest.mark.django_db
def test_scan_queries_are_constant_per_batch(django_assert_max_num_queries, unit, make_assignment):
    """The scan's query count does not grow with the number of assignments or departments in a batch."""
    for i in range(30):
        dept = DepartmentFactory(name=f"学院{i}")
        MembershipFactory(user=UserFactory(username=f"m{i}"), department=dept)
        make_assignment(DUE, department=dept)
    # Directory (4) + the open assignments, read in pages from one cursor (1); per page: the page's
    # transaction (a savepoint here, inside the test's transaction: 2), its lock (1) and the
    # existing keys (1); the COPY of the new rows is not a query Django records.
    with django_assert_max_num_queries(9):
        report = scan(now=at(dt.date(2026, 6, 25)))
    assert report.batches == 1
    with django_assert_max_num_queries(5 + 4 * 4):
        scan(now=at(dt.date(2026, 6, 26)), batch=10)  # 4 pages: 4 queries each, nothing new to insert


def test_a_page_that_collides_with_rows_written_meanwhile_is_inserted_again(unit, make_assignment, monkeypatch):
    """A writer that does not take the scanner's lock (an older scanner during an upgrade) puts the
    same reminder in between the scanner's read and its COPY: the COPY collides, the page is read and
    written again with ON CONFLICT DO NOTHING, and every recipient has exactly one row."""
    from compliance.models import ReminderDelivery
    from tasks import reminders

    a = make_assignment(DUE, department=unit)
    real_plan = reminders._plan_batch
    raced = []

    def plan_then_race(rows, **kwargs):
        planned = real_plan(rows, **kwargs)
        if planned and not raced:  # the other writer commits its rows now
            raced.append(len(planned))
            ReminderDelivery.objects.bulk_create([ReminderDelivery(**p._asdict()) for p in planned])
        return planned

    monkeypatch.setattr(reminders, "_plan_batch", plan_then_race)
    scan(now=at(dt.date(2026, 6, 25)))
    rows = ReminderDelivery.objects.filter(assignment=a)
    assert raced and rows.count() == raced[0] >= 2
    assert len({(r.kind, r.occurrence, r.channel, r.recipient) for r in rows}) == raced[0]
