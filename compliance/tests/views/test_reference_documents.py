"""A document without items is flagged, cannot be published, and may be kept as a reference document."""

from __future__ import annotations

import pytest

from compliance.models import Assignment, ImportJob, PolicyDocument
from compliance.tests.factories import PolicyDocumentFactory, RequirementFactory

from .test_import_preview import HOLIDAY, LAB, _preview

pytestmark = pytest.mark.django_db


def _import(client, text: str, **post) -> PolicyDocument:
    job, _page = _preview(client, text)
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"], **post})
    return PolicyDocument.objects.get()


def test_a_document_without_items_is_flagged_in_the_preview(as_user, admin_user):
    """ "未解析出条款" marks the document, and the page says what can be done with it."""
    _job, page = _preview(as_user(admin_user), HOLIDAY + "\n" + LAB)
    assert page.count("未解析出条款") == 1
    assert "导入后不能发布任务" in page and "作为参考文件（不产生任务）" in page


def test_a_document_without_items_cannot_be_published(as_user, admin_user):
    """Publishing it is refused with a clear message; it stays a draft without tasks."""
    client = as_user(admin_user)
    doc = _import(client, HOLIDAY)
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "未解析出条款：该文件没有需跟踪的条款，不能发布任务" in page
    resp = client.post(f"/documents/{doc.pk}/publish/", follow=True)
    assert "没有需跟踪的条款，不能发布" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.status == PolicyDocument.Status.DRAFT and not Assignment.objects.exists()


def test_a_document_with_only_context_rows_cannot_be_published(as_user, admin_user, dept_a):
    """Section titles alone (no tracked requirement) publish nothing, so publishing is refused."""
    doc = PolicyDocumentFactory()
    RequirementFactory(document=doc, is_requirement=False, lead_units_text=[dept_a.name])
    resp = as_user(admin_user).post(f"/documents/{doc.pk}/publish/", follow=True)
    assert "没有需跟踪的条款，不能发布" in resp.content.decode()
    assert not Assignment.objects.exists()


def test_the_office_keeps_it_as_a_reference_document(as_user, admin_user):
    """Marked 参考文件 on its page: listed with a badge, no assignment screen, never published."""
    client = as_user(admin_user)
    doc = _import(client, HOLIDAY)
    resp = client.post(f"/documents/{doc.pk}/reference/", {"is_reference": "1"}, follow=True)
    assert "已标为参考文件" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.is_reference
    assert doc.history.first().history_change_reason == "标为参考文件"
    listing = client.get("/documents/").content.decode()
    assert doc.title in listing and "参考文件" in listing
    detail = client.get(f"/documents/{doc.pk}/").content.decode()
    assert f"/documents/{doc.pk}/assign/" not in detail and "不分配、不发布任务" in detail
    assert f"/documents/{doc.pk}/publish/" not in client.get(f"/documents/{doc.pk}/assign/").content.decode()
    resp = client.post(f"/documents/{doc.pk}/publish/", follow=True)
    assert "是参考文件，不产生任务，不能发布" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.status == PolicyDocument.Status.DRAFT
    client.post(f"/documents/{doc.pk}/reference/", {"is_reference": "0"})
    doc.refresh_from_db()
    assert not doc.is_reference


def test_a_reference_document_is_never_routed(as_user, admin_user, dept_a):
    """The assignment screen's bulk actions refuse a reference document."""
    client = as_user(admin_user)
    doc = _import(client, LAB, reference=["0"])
    assert doc.is_reference and doc.requirements.count() == 2
    req = doc.requirements.first()
    resp = client.post(
        f"/documents/{doc.pk}/assign/", {"action": "lead", "lead": dept_a.pk, "requirements": [req.pk]}, follow=True
    )
    assert "是参考文件，不分配任务" in resp.content.decode()
    req.refresh_from_db()
    assert req.routing_plan is None


def test_importing_as_a_reference_document_from_the_preview(as_user, admin_user):
    """Ticking "作为参考文件" imports it as one; the result offers no assignment link."""
    client = as_user(admin_user)
    doc = _import(client, HOLIDAY, reference=["0"])
    assert doc.is_reference
    page = client.get(f"/import/{ImportJob.objects.get().pk}/").content.decode()
    assert "已作为参考文件导入（不产生任务）" in page and f"/documents/{doc.pk}/assign/" not in page


def test_a_published_document_cannot_become_a_reference_document(as_user, admin_user):
    """It already has tasks: refused with a message."""
    doc = PolicyDocumentFactory(status=PolicyDocument.Status.PUBLISHED)
    resp = as_user(admin_user).post(f"/documents/{doc.pk}/reference/", {"is_reference": "1"}, follow=True)
    assert "已发布任务，不能再标为参考文件" in resp.content.decode()
    doc.refresh_from_db()
    assert not doc.is_reference


def test_a_lead_may_not_mark_a_reference_document(as_user, lead_a):
    doc = PolicyDocumentFactory()
    assert as_user(lead_a).post(f"/documents/{doc.pk}/reference/", {"is_reference": "1"}).status_code == 403
    doc.refresh_from_db()
    assert not doc.is_reference
