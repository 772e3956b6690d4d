"""The Django admin cannot change tracked records past the services' guards, version and history."""

from __future__ import annotations

import os

import pytest
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse

from compliance.models import Assignment, Evidence, PolicyDocument, ProgressUpdate, Requirement
from compliance.services import assignments as assignment_services
from compliance.services.evidence import evidence_upload
from compliance.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    return client


@pytest.fixture
def item(dept_a, lead_a):
    a = AssignmentFactory(department=dept_a)
    return assignment_services.assignment_update_progress(assignment=a, by=lead_a, percent=40, note="进展")


def test_a_superuser_cannot_edit_an_assignment_status(superuser_client, item):
    url = reverse("admin:compliance_assignment_change", args=[item.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200  # the record is shown, read-only
    assert 'name="status"' not in page.content.decode()
    resp = superuser_client.post(url, {"status": "completed", "progress": 100, "version": item.version})
    assert resp.status_code == 403
    item.refresh_from_db()
    assert item.status == Assignment.Status.IN_PROGRESS


def test_a_history_revert_post_is_refused(superuser_client, item):
    """simple-history's revert form saves on POST even when the button is hidden: refused here."""
    first = item.history.order_by("history_id").first()
    url = reverse("admin:compliance_assignment_simple_history", args=[item.pk, first.history_id])
    assert superuser_client.get(url).status_code == 200
    resp = superuser_client.post(url, {"status": "not_started", "progress": 0})
    assert resp.status_code == 403
    item.refresh_from_db()
    assert item.progress == 40


@pytest.fixture
def worked_item(item, lead_a):
    """An item with a progress note, a comment and an evidence file on disk."""
    assignment_services.comment_add(assignment=item, by=lead_a, text="请补充会议纪要")
    evidence_upload(assignment=item, by=lead_a, name="纪要.txt", data="会议纪要".encode())
    return item


def test_deleting_a_document_with_items_in_the_admin_is_refused_with_a_message(superuser_client, worked_item):
    """The delete confirmation POST of a superuser loses nothing: items, records, evidence and its file stay."""
    doc = worked_item.requirement.document
    evidence = Evidence.objects.get(assignment=worked_item)
    url = reverse("admin:compliance_policydocument_delete", args=[doc.pk])
    resp = superuser_client.post(url, {"post": "yes"})
    assert resp.status_code == 302
    assert resp["Location"] == reverse("admin:compliance_policydocument_change", args=[doc.pk])
    assert any("归档" in str(m) for m in get_messages(resp.wsgi_request))
    page = superuser_client.get(resp["Location"]).content.decode()
    assert "不能在管理后台删除" in page
    assert PolicyDocument.objects.filter(pk=doc.pk).exists()
    assert Requirement.objects.filter(document=doc).count() == 1
    assert Assignment.objects.filter(pk=worked_item.pk).exists()
    assert ProgressUpdate.objects.filter(assignment=worked_item).count() == 2
    assert os.path.exists(evidence.file.path)


def test_progress_records_cannot_be_deleted_in_the_admin(superuser_client, worked_item):
    update = ProgressUpdate.objects.filter(assignment=worked_item).first()
    url = reverse("admin:compliance_progressupdate_delete", args=[update.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_the_database_refuses_to_cascade_records_away(worked_item):
    """Outside the admin too (a shell, a script): a document or item with records cannot be deleted."""
    doc = worked_item.requirement.document
    for obj in (doc, worked_item.requirement, worked_item):
        with pytest.raises(ProtectedError):
            obj.delete()
    assert ProgressUpdate.objects.filter(assignment=worked_item).count() == 2
    assert Evidence.objects.filter(assignment=worked_item).count() == 1


def test_progress_records_have_a_history_naming_their_author(worked_item, lead_a, superuser_client):
    """A comment changed or deleted behind the services' back still shows what it said and who wrote it."""
    comment = ProgressUpdate.objects.get(assignment=worked_item, kind=ProgressUpdate.Kind.COMMENT)
    assert comment.history.get().history_user == lead_a
    comment.note = "改过的内容"
    comment.save()
    assert [h.note for h in comment.history.order_by("history_id")] == ["请补充会议纪要", "改过的内容"]
    url = reverse("admin:compliance_progressupdate_history", args=[comment.pk])
    assert superuser_client.get(url).status_code == 200


def test_the_directory_stays_editable(superuser_client, dept_a):
    url = reverse("admin:compliance_department_change", args=[dept_a.pk])
    assert 'name="name"' in superuser_client.get(url).content.decode()
