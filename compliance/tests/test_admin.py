"""The Django admin cannot change tracked records past the services' guards, version and history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compliance.models import Assignment, PolicyDocument, ProgressUpdate
from compliance.services import assignments as assignment_services
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


def test_documents_and_progress_records_cannot_be_deleted_in_the_admin(superuser_client, item):
    doc = item.requirement.document
    update = ProgressUpdate.objects.get(assignment=item)
    for name, obj in (("policydocument", doc), ("progressupdate", update)):
        url = reverse(f"admin:compliance_{name}_delete", args=[obj.pk])
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert PolicyDocument.objects.filter(pk=doc.pk).exists()
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_the_directory_stays_editable(superuser_client, dept_a):
    url = reverse("admin:compliance_department_change", args=[dept_a.pk])
    assert 'name="name"' in superuser_client.get(url).content.decode()
