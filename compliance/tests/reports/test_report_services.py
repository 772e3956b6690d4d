"""Reporting rounds and reports, through the services and selectors directly."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError

from compliance import selectors_dashboard, selectors_reports
from compliance.models import Assignment, Notification, ProgressReport, ReportRound
from compliance.services import PermissionDeniedError, ServiceError
from compliance.services.reports import (
    report_save,
    report_submit,
    round_close,
    round_open,
    round_open_due,
    schedule_create,
)
from compliance.tests.factories import AssignmentFactory, PolicyDocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def test_a_round_asks_every_open_item_in_scope_for_one_report(rnd, items, lead_a):
    """Open items report (one draft each, for their department); closed items do not."""
    reports = ProgressReport.objects.filter(round=rnd)
    assert {r.assignment_id for r in reports} == {items["a1"].pk, items["a2"].pk, items["b1"].pk}
    assert all(r.status == ProgressReport.Status.DRAFT for r in reports)
    assert Notification.objects.filter(user=lead_a, verb="report_round").count() == 1


def test_a_round_for_chosen_documents_covers_only_them(admin_user, items, dept_a):
    other = AssignmentFactory(requirement__document=PolicyDocumentFactory(), department=dept_a)
    rnd = round_open(
        by=admin_user,
        title="专项报送",
        period="2027-02",
        period_start=dt.date(2027, 2, 1),
        period_end=dt.date(2027, 2, 28),
        due_date=dt.date(2027, 2, 25),
        documents=[other.requirement.document],
    )
    assert list(rnd.reports.values_list("assignment_id", flat=True)) == [other.pk]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "请填写报送标题"),
        ("period", " ", "请填写期次"),
        ("period_end", dt.date(2026, 12, 1), "期间结束日期不能早于开始日期"),
        ("due_date", dt.date(2026, 12, 1), "报送截止日期不能早于期间开始日期"),
    ],
)
def test_opening_a_round_with_bad_input_is_refused_and_changes_nothing(admin_user, items, field, value, message):
    args = {
        "title": "报送",
        "period": "2027-01",
        "period_start": dt.date(2027, 1, 1),
        "period_end": dt.date(2027, 1, 31),
        "due_date": dt.date(2027, 1, 25),
        field: value,
    }
    with pytest.raises(ServiceError, match=message):
        round_open(by=admin_user, **args)
    assert not ReportRound.objects.exists()


def test_only_the_office_opens_rounds(lead_a, items):
    with pytest.raises(PermissionDeniedError):
        round_open(
            by=lead_a,
            title="报送",
            period="2027-01",
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 1, 31),
            due_date=dt.date(2027, 1, 25),
        )


def test_a_draft_is_saved_then_submitted_and_locked(rnd, items, lead_a, member_a):
    report = ProgressReport.objects.get(round=rnd, assignment=items["a2"])
    report = report_save(report=report, by=member_a, progress_text="方案已起草", percent=30, problems="经费未到位")
    assert report.status == ProgressReport.Status.DRAFT
    report = report_submit(report=report, by=lead_a)
    assert report.status == ProgressReport.Status.SUBMITTED and report.submitted_by == lead_a
    # The report's figure becomes the item's progress.
    a = Assignment.objects.get(pk=items["a2"].pk)
    assert (a.progress, a.progress_note) == (30, "方案已起草")
    with pytest.raises(ServiceError, match="已提交"):
        report_save(report=report, by=lead_a, progress_text="改一下", percent=50)
    assert ProgressReport.objects.get(pk=report.pk).progress_text == "方案已起草"


def test_another_department_cannot_write_a_report(rnd, items, lead_b, school_leader):
    report = ProgressReport.objects.get(round=rnd, assignment=items["a1"])
    for user in (lead_b, school_leader):
        with pytest.raises(PermissionDeniedError):
            report_save(report=report, by=user, progress_text="越权", percent=10)
    assert ProgressReport.objects.get(pk=report.pk).progress_text == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"progress_text": "x", "percent": 101}, "0 到 100"),
        ({"progress_text": "x", "percent": "abc"}, "0 到 100"),
        ({"progress_text": "", "percent": 10, "submit": True}, "请填写进展情况"),
        ({"progress_text": "长" * 5001, "percent": 10}, "不能超过"),
    ],
)
def test_bad_report_input_is_refused_and_changes_nothing(rnd, items, lead_a, kwargs, message):
    report = ProgressReport.objects.get(round=rnd, assignment=items["a1"])
    with pytest.raises(ServiceError, match=message):
        report_save(report=report, by=lead_a, **kwargs)
    fresh = ProgressReport.objects.get(pk=report.pk)
    assert (fresh.status, fresh.progress_text, fresh.percent) == ("draft", "", 0)


def test_a_closed_round_takes_no_more_reports(rnd, items, admin_user, lead_a):
    round_close(rnd=rnd, by=admin_user)
    report = ProgressReport.objects.get(round=rnd, assignment=items["a1"])
    with pytest.raises(ServiceError, match="已结束"):
        report_save(report=report, by=lead_a, progress_text="晚了", percent=10, submit=True)


def test_who_has_reported_per_department_and_who_is_late(rnd, items, lead_a, admin_user, school_leader, lead_b):
    """On time: 教务处 files one of two before the due date; 科学技术处 files after it (late)."""
    with time_machine.travel(dt.datetime(2027, 1, 20, 10, tzinfo=TZ)):
        report_save(
            report=ProgressReport.objects.get(round=rnd, assignment=items["a1"]),
            by=lead_a,
            progress_text="按期报送",
            percent=50,
            submit=True,
        )
    with time_machine.travel(dt.datetime(2027, 1, 27, 10, tzinfo=TZ)):
        report_save(
            report=ProgressReport.objects.get(round=rnd, assignment=items["b1"]),
            by=lead_b,
            progress_text="迟报",
            percent=20,
            submit=True,
        )
        rows = {d.name: d for d in selectors_reports.round_progress(user=admin_user, rnd=rnd)}
        assert (rows["教务处"].total, rows["教务处"].submitted, rows["教务处"].late) == (
            2,
            1,
            1,
        )  # the draft is late now
        assert (rows["科学技术处"].submitted, rows["科学技术处"].late) == (1, 1)
        # A school leader sees the departments they oversee; a lead only their own.
        assert [d.name for d in selectors_reports.round_progress(user=school_leader, rnd=rnd)] == ["教务处"]
        assert [d.name for d in selectors_reports.round_progress(user=lead_b, rnd=rnd)] == ["科学技术处"]


def test_a_lead_never_sees_another_departments_reports(rnd, items, lead_b):
    assert {r.department.name for r in selectors_reports.report_list(user=lead_b)} == {"科学技术处"}
    with pytest.raises(ProgressReport.DoesNotExist):
        selectors_reports.report_get(user=lead_b, pk=ProgressReport.objects.get(assignment=items["a1"]).pk)


def test_late_reports_count_in_the_dashboard_ranking(rnd, items, admin_user, lead_b):
    """The ranking shows late reports per department, and they break ties between equal departments."""
    with time_machine.travel(dt.datetime(2027, 2, 1, 10, tzinfo=TZ)):
        report_save(
            report=ProgressReport.objects.get(round=rnd, assignment=items["b1"]),
            by=lead_b,
            progress_text="已报",
            percent=20,
            submit=True,
        )
        data = selectors_dashboard.dashboard(
            user=admin_user, filters={}, rank_from=dt.date(2026, 1, 1), rank_to=dt.date(2027, 12, 31)
        )
    by_name = {r.name: r for r in data.ranking}
    assert by_name["教务处"].late_reports == 2  # two drafts past the due date
    assert by_name["科学技术处"].late_reports == 1  # filed after the due date
    assert by_name["教务处"].urges == 0  # nobody urged 教务处 in this test


def test_recurring_rounds_open_once_per_period_whatever_beat_does(admin_user, items, lead_a):
    schedule = schedule_create(by=admin_user, name="月度进展", recurrence="monthly", due_day=31)
    opened = round_open_due(today=dt.date(2027, 2, 3))
    assert [(r.period, r.due_date) for r in opened] == [("2027-02", dt.date(2027, 2, 28))]
    assert round_open_due(today=dt.date(2027, 2, 20)) == []  # same period: nothing more
    assert ReportRound.objects.filter(schedule=schedule).count() == 1
    assert len(round_open_due(today=dt.date(2027, 3, 1))) == 1  # the next period opens its own
    with pytest.raises(IntegrityError):
        ReportRound.objects.create(
            title="重复",
            period="2027-03",
            period_start=dt.date(2027, 3, 1),
            period_end=dt.date(2027, 3, 31),
            due_date=dt.date(2027, 3, 31),
            schedule=schedule,
        )


def test_a_schedule_with_bad_input_is_refused(admin_user):
    with pytest.raises(ServiceError, match="每月或每季度"):
        schedule_create(by=admin_user, name="x", recurrence="weekly", due_day=5)
    with pytest.raises(ServiceError, match="1 到 31"):
        schedule_create(by=admin_user, name="x", recurrence="monthly", due_day=32)


def test_a_requirement_that_is_not_a_task_does_not_report(admin_user, dept_a):
    heading = RequirementFactory(is_requirement=False)
    AssignmentFactory(requirement=heading, department=dept_a)
    rnd = round_open(
        by=admin_user,
        title="报送",
        period="2027-01",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 1, 31),
        due_date=dt.date(2027, 1, 25),
    )
    assert not rnd.reports.exists()
