"""Selectors, called directly: each read is scoped to the user, so another department gets nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from compliance import selectors
from compliance.models import (
    Assignment,
    ExportJob,
    ExtensionRequest,
    ImportJob,
    JobStatus,
    ProgressUpdate,
)
from compliance.services.assignments import comment_add
from compliance.tests.factories import AssignmentFactory, RequirementFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Assignment.Status


@pytest.fixture
def jobs(admin_user):
    imp = ImportJob.objects.create(created_by=admin_user, source_name="通知.txt")
    imp.file.save("job.txt", ContentFile(b"x"), save=True)
    exp = ExportJob.objects.create(created_by=admin_user, status=JobStatus.DONE, file_name="审计.xlsx")
    return imp, exp


def test_import_jobs_are_the_offices_alone(jobs, admin_user, auditor, lead_a, school_leader):
    imp, _ = jobs
    assert list(selectors.import_job_list(user=admin_user)) == [imp]
    for user in (auditor, lead_a, school_leader):
        assert not selectors.import_job_list(user=user).exists()


def test_export_jobs_are_for_the_office_and_auditors(jobs, admin_user, auditor, lead_a, member_a, school_leader):
    _, exp = jobs
    assert list(selectors.export_job_list(user=admin_user)) == [exp]
    assert list(selectors.export_job_list(user=auditor)) == [exp]
    for user in (lead_a, member_a, school_leader):
        assert not selectors.export_job_list(user=user).exists()


def test_an_items_updates_are_read_only_by_those_who_read_the_item(assignment_a, lead_a, lead_b, auditor):
    comment_add(assignment=assignment_a, by=lead_a, text="第一条")
    comment_add(assignment=assignment_a, by=lead_a, text="第二条")
    ProgressUpdate.objects.create(assignment=assignment_a, author=lead_a, kind=ProgressUpdate.Kind.PROGRESS, percent=5)
    comments = selectors.progress_update_list(user=auditor, assignment=assignment_a, kind=ProgressUpdate.Kind.COMMENT)
    assert [c.note for c in comments] == ["第一条", "第二条"]  # oldest first
    assert selectors.progress_update_list(user=lead_a, assignment=assignment_a).count() == 3
    assert not selectors.progress_update_list(user=lead_b, assignment=assignment_a).exists()


def test_extension_requests_of_one_item_are_scoped(assignment_a, member_a, lead_a, lead_b):
    ext = ExtensionRequest.objects.create(
        assignment=assignment_a, requested_by=member_a, reason="材料未齐", proposed_date=dt.date(2026, 9, 1)
    )
    AssignmentFactory(department=assignment_a.department).extension_requests.create(
        requested_by=member_a, reason="另一项", proposed_date=dt.date(2026, 9, 1)
    )
    assert list(selectors.extension_request_list(user=lead_a, assignment=assignment_a)) == [ext]
    assert not selectors.extension_request_list(user=lead_b, assignment=assignment_a).exists()


def test_assignment_get_refuses_another_departments_item(assignment_a, lead_a, lead_b):
    assert selectors.assignment_get(user=lead_a, pk=assignment_a.pk) == assignment_a
    with pytest.raises(Assignment.DoesNotExist):
        selectors.assignment_get(user=lead_b, pk=assignment_a.pk)


def test_a_document_shows_each_user_only_their_own_assignments(dept_a, dept_b, lead_a, admin_user):
    req = RequirementFactory()
    mine = AssignmentFactory(requirement=req, department=dept_a)
    AssignmentFactory(requirement=req, department=dept_b, role=Assignment.Role.COOPERATING)
    rows = list(selectors.document_requirements(user=lead_a, document=req.document))
    assert [r.pk for r in rows] == [req.pk] and rows[0].visible_assignments == [mine]
    assert len(selectors.document_requirements(user=admin_user, document=req.document)[0].visible_assignments) == 2


def test_the_routing_rows_are_the_offices_alone(assignment_a, admin_user, auditor, lead_a):
    doc = assignment_a.requirement.document
    rows = list(selectors.document_routing_requirements(user=admin_user, document=doc))
    assert [list(r.assignments.all()) for r in rows] == [[assignment_a]]
    assert not selectors.document_routing_requirements(user=auditor, document=doc).exists()
    assert not selectors.document_routing_requirements(user=lead_a, document=doc).exists()


def test_the_lead_part_is_found_only_by_those_who_read_it(dept_a, dept_b, lead_a, lead_b):
    req = RequirementFactory()
    lead = AssignmentFactory(requirement=req, department=dept_a)
    co = AssignmentFactory(requirement=req, department=dept_b, role=Assignment.Role.COOPERATING)
    assert selectors.assignment_lead_part(user=lead_a, assignment=co) == lead
    assert selectors.assignment_lead_part(user=lead_b, assignment=co) is None


def test_the_review_queue_holds_submitted_lead_items_for_the_office_and_auditors(
    dept_a, dept_b, admin_user, auditor, lead_a
):
    now = timezone.now()
    later = AssignmentFactory(department=dept_a, status=S.SUBMITTED, submitted_at=now)
    earlier = AssignmentFactory(department=dept_b, status=S.SUBMITTED, submitted_at=now - dt.timedelta(days=1))
    AssignmentFactory(department=dept_a, status=S.SUBMITTED, role=Assignment.Role.COOPERATING)
    AssignmentFactory(department=dept_a, status=S.IN_PROGRESS)
    assert list(selectors.review_queue(user=admin_user)) == [earlier, later]
    assert list(selectors.review_queue(user=auditor)) == [earlier, later]
    assert not selectors.review_queue(user=lead_a).exists()


def test_home_counts_follow_the_users_scope_and_the_shared_overdue_rule(dept_a, dept_b, lead_a, admin_user):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    AssignmentFactory(department=dept_a, status=S.IN_PROGRESS, due_date=yesterday)
    AssignmentFactory(department=dept_a, status=S.SUBMITTED, due_date=yesterday)  # submitted: not overdue
    AssignmentFactory(department=dept_a, status=S.COMPLETED)
    AssignmentFactory(department=dept_b, status=S.RETURNED, due_date=yesterday)
    assert selectors.assignment_counts(user=lead_a) == {
        "total": 3,
        "open": 1,
        "overdue": 1,
        "submitted": 1,
        "completed": 1,
    }
    assert selectors.assignment_counts(user=admin_user)["overdue"] == 2


def test_school_leaders_are_offered_to_the_office_only(school_leader, admin_user, lead_a):
    UserFactory(username="retired_leader", role="leader", is_active=False)
    assert list(selectors.school_leader_list(user=admin_user)) == [school_leader]
    assert not selectors.school_leader_list(user=lead_a).exists()
