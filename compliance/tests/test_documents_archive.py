"""The office's document list (search, progress) and archiving: finished or superseded documents
leave lists, dashboards and reminders, and are never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import selectors
from compliance.models import Assignment, PolicyDocument, ReminderDelivery
from compliance.permissions import PermissionDeniedError
from compliance.services import ServiceError
from compliance.services.documents import document_archive, document_unarchive
from compliance.tests.factories import AssignmentFactory, PolicyDocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db
S = Assignment.Status


@pytest.fixture
def old_plan(dept_a):
    """A 2024 plan, finished except one item that is overdue, with a reminder waiting in the ledger."""
    doc = PolicyDocumentFactory(title="2024年工作要点", doc_number="校发〔2024〕3号")
    today = timezone.localdate()
    done = AssignmentFactory(requirement=RequirementFactory(document=doc), department=dept_a, status=S.COMPLETED)
    late = AssignmentFactory(
        requirement=RequirementFactory(document=doc), department=dept_a, due_date=today - dt.timedelta(days=5)
    )
    ReminderDelivery.objects.create(
        assignment=late, kind="overdue_1", occurrence=late.due_date.isoformat(), channel="email", recipient="user:1"
    )
    return doc, done, late


@pytest.fixture
def current_plan(dept_a):
    doc = PolicyDocumentFactory(title="2026年工作要点")
    due = timezone.localdate() + dt.timedelta(days=30)
    AssignmentFactory(requirement=RequirementFactory(document=doc, deadline_date=due), department=dept_a)
    return doc


def test_archiving_keeps_everything_and_records_who_why_and_when(old_plan, admin_user):
    doc, done, late = old_plan
    document_archive(document=doc, by=admin_user, reason="已被2026年工作要点替代")
    doc.refresh_from_db()
    assert doc.is_archived and doc.archived_by == admin_user and doc.archive_reason == "已被2026年工作要点替代"
    assert Assignment.objects.filter(pk__in=[done.pk, late.pk]).count() == 2
    record = doc.history.first()
    assert record.history_user == admin_user and record.history_change_reason == "已被2026年工作要点替代"
    assert ReminderDelivery.objects.get().status == "skipped"


@pytest.mark.parametrize(("who", "reason"), [("lead_a", "已办结"), ("auditor", "已办结"), ("admin_user", "  ")])
def test_archiving_is_the_offices_with_a_reason(request, old_plan, who, reason):
    doc = old_plan[0]
    with pytest.raises((PermissionDeniedError, ServiceError)):
        document_archive(document=doc, by=request.getfixturevalue(who), reason=reason)
    doc.refresh_from_db()
    assert not doc.is_archived


def test_archiving_twice_is_refused_and_unarchive_brings_it_back(old_plan, admin_user):
    doc = old_plan[0]
    document_archive(document=doc, by=admin_user, reason="已全部办结")
    with pytest.raises(ServiceError, match="已于"):
        document_archive(document=doc, by=admin_user, reason="再次归档")
    document_unarchive(document=doc, by=admin_user)
    doc.refresh_from_db()
    assert not doc.is_archived and doc.archive_reason == ""


def test_an_archived_documents_items_leave_lists_and_dashboards_unless_asked(
    client, old_plan, current_plan, admin_user, lead_a
):
    doc, _done, late = old_plan
    document_archive(document=doc, by=admin_user, reason="已被替代")
    client.force_login(lead_a)
    assert 'data-total="1"' in client.get(reverse("task_list")).content.decode()
    assert 'data-total="3"' in client.get(reverse("task_list") + "?include_archived=1").content.decode()
    assert selectors.assignment_counts(user=lead_a)["overdue"] == 0
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "2024年工作要点" not in dashboard
    # The item itself still opens (links in e-mails and history keep working).
    assert client.get(reverse("assignment_detail", args=[late.pk])).status_code == 200
    assert client.get(reverse("document_detail", args=[doc.pk])).status_code == 200


def test_an_archived_documents_items_get_no_reminders(old_plan, admin_user, school_leader):
    from tasks.reminders import scan

    doc, _done, late = old_plan
    document_archive(document=doc, by=admin_user, reason="已被替代")
    report = scan(now=timezone.now() + dt.timedelta(days=1), dry_run=True)
    assert late.pk not in {p.assignment_id for p in report.planned}


def test_the_document_list_searches_and_shows_each_documents_progress(client, old_plan, current_plan, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("document_list")).content.decode()
    assert 'data-total="2"' in page and "办结 1/2" in page and "逾期 1" in page
    found = client.get(reverse("document_list") + "?q=2024").content.decode()
    assert 'data-total="1"' in found and "2024年工作要点" in found
    by_number = client.get(reverse("document_list") + "?q=" + "校发〔2024〕3号").content.decode()
    assert 'data-total="1"' in by_number


def test_archiving_from_the_document_list(client, old_plan, current_plan, admin_user):
    doc = old_plan[0]
    client.force_login(admin_user)
    resp = client.post(reverse("document_archive", args=[doc.pk]), {"reason": "已全部办结"}, follow=True)
    body = resp.content.decode()
    assert "已归档《2024年工作要点》" in body and 'data-total="1"' in body
    archived = client.get(reverse("document_list") + "?archived=1").content.decode()
    assert "2024年工作要点" in archived and "已全部办结" in archived
    refused = client.post(reverse("document_archive", args=[current_plan.pk]), {"reason": ""}, follow=True)
    assert "归档时请说明原因" in refused.content.decode()
    assert not PolicyDocument.objects.get(pk=current_plan.pk).is_archived


def test_only_the_office_may_archive_from_the_page(client, old_plan, lead_a, auditor):
    for user in (lead_a, auditor):
        client.force_login(user)
        assert client.post(reverse("document_archive", args=[old_plan[0].pk]), {"reason": "x"}).status_code == 403
    assert not PolicyDocument.objects.get(pk=old_plan[0].pk).is_archived


def test_a_department_sees_progress_over_its_own_items_only(client, old_plan, dept_b, lead_b):
    AssignmentFactory(requirement=RequirementFactory(document=old_plan[0]), department=dept_b, status=S.COMPLETED)
    client.force_login(lead_b)
    page = client.get(reverse("document_list")).content.decode()
    assert 'data-total="1"' in page and "办结 1/1" in page
