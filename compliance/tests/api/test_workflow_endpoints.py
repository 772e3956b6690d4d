"""The steps that once needed a browser, through the API: route, publish, rules, 任务分解表,
history, archive, notifications read in bulk, and who am I."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import Assignment, Notification, PolicyDocument
from compliance.tests.exports.test_taskbook import DOC, _xlsx
from compliance.tests.factories import PolicyDocumentFactory, RequirementFactory

from .conftest import assert_error, token_client

pytestmark = pytest.mark.django_db

FUTURE = dt.date(2030, 6, 30)


@pytest.fixture
def draft(db):
    """A draft document with two tracked clauses (one printed for 教务处) and a heading."""
    doc = PolicyDocumentFactory(status=PolicyDocument.Status.DRAFT)
    RequirementFactory(document=doc, is_requirement=False, heading="总体要求", deadline_date=None)
    first = RequirementFactory(document=doc, lead_units_text=["教务处"], deadline_date=FUTURE)
    second = RequirementFactory(document=doc, deadline_date=dt.date(2020, 12, 31))
    return doc, first, second


def test_routing_then_publishing_creates_the_items(admin_user, dept_a, dept_b, school_leader, draft):
    """The office reads the proposals, routes in bulk, and publishing creates the assignments."""
    doc, first, second = draft
    client = token_client(admin_user)
    screen = client.get(f"/api/documents/{doc.pk}/routing/").json()
    rows = {r["id"]: r for r in screen["rows"]}
    assert rows[first.pk]["lead"] == [dept_a.pk] and rows[first.pk]["source"] == "annotation"
    assert rows[second.pk]["past_deadline"] is True and rows[second.pk]["lead"] == []

    routed = client.post(
        f"/api/documents/{doc.pk}/routing/",
        {"requirements": [second.pk], "lead": dept_b.pk, "co": [dept_a.pk], "deadline": "2030-12-31"},
        format="json",
    )
    assert routed.status_code == 200, routed.content
    assert routed.json() == {"changed": 1, "problems": []}
    leader = client.post(
        f"/api/documents/{doc.pk}/routing/",
        {"requirements": [first.pk, second.pk], "school_leader": school_leader.pk},
        format="json",
    )
    assert leader.json()["changed"] == 2
    second.refresh_from_db()
    assert second.deadline_date == dt.date(2030, 12, 31) and second.school_leader == school_leader

    published = client.post(f"/api/documents/{doc.pk}/publish/", {}, format="json")
    assert published.status_code == 200, published.content
    assert published.json()["created"] == 3 and published.json()["document"]["status"] == "published"
    assert set(Assignment.objects.filter(requirement__document=doc).values_list("department__name", "role")) == {
        ("教务处", "lead"),
        ("科学技术处", "lead"),
        ("教务处", "co"),
    }


def test_publishing_with_past_deadlines_needs_confirmation(admin_user, dept_a, draft):
    """As on the page: a first publication with deadlines already past is refused until confirmed."""
    doc, _first, second = draft
    client = token_client(admin_user)
    refused = assert_error(client.post(f"/api/documents/{doc.pk}/publish/", {}, format="json"), 400, "rule_violation")
    assert refused["details"]["past_deadlines"] == [second.pk]
    assert not Assignment.objects.exists()
    confirmed = client.post(f"/api/documents/{doc.pk}/publish/", {"confirm_past_deadlines": True}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["created"] == 1


def test_routing_refuses_an_empty_decision_and_foreign_rows(admin_user, dept_a, draft):
    doc, first, _second = draft
    client = token_client(admin_user)
    url = f"/api/documents/{doc.pk}/routing/"
    assert_error(client.post(url, {"requirements": [first.pk]}, format="json"), 400, "validation_error")
    other = RequirementFactory()
    bad = assert_error(
        client.post(url, {"requirements": [other.pk], "lead": dept_a.pk}, format="json"), 400, "validation_error"
    )
    assert "requirements" in bad["details"]
    bad = assert_error(client.post(url, {"requirements": [first.pk], "lead": 999999}, format="json"), 400)
    assert "lead" in bad["details"]


def test_a_lead_cannot_route_publish_or_archive(lead_a, assignment_a):
    """Department staff are refused the office's work, even for their own department's document."""
    client = token_client(lead_a)
    doc = assignment_a.requirement.document_id
    before = Assignment.objects.get(pk=assignment_a.pk).due_date
    body = {"requirements": [assignment_a.requirement_id], "deadline": "2031-01-01"}
    assert_error(client.post(f"/api/documents/{doc}/routing/", body, format="json"), 403, "permission_denied")
    assert_error(client.post(f"/api/documents/{doc}/publish/", {}, format="json"), 403, "permission_denied")
    assert_error(client.post(f"/api/documents/{doc}/archive/", {"reason": "完成"}, format="json"), 403)
    assert Assignment.objects.get(pk=assignment_a.pk).due_date == before
    assert PolicyDocument.objects.get(pk=doc).archived_at is None


def test_history_is_the_items_and_hidden_from_other_departments(admin_user, lead_a, lead_b, assignment_a):
    """The item's own department reads its history; another department's lead gets 404."""
    url = f"/api/assignments/{assignment_a.pk}/start/"
    assert token_client(lead_a).post(url, {"version": assignment_a.version}, format="json").status_code == 200
    entries = token_client(lead_a).get(f"/api/assignments/{assignment_a.pk}/history/").json()
    assert any(e["field"] and e["new"] for e in entries), entries
    assert {"when", "who", "subject", "action", "field", "old", "new", "note", "department"} == set(entries[0])
    assert_error(token_client(lead_b).get(f"/api/assignments/{assignment_a.pk}/history/"), 404, "not_found")


def test_archive_needs_a_reason_and_unarchive_brings_the_document_back(admin_user, assignment_a):
    client = token_client(admin_user)
    doc = assignment_a.requirement.document_id
    assert_error(client.post(f"/api/documents/{doc}/archive/", {}, format="json"), 400, "rule_violation")
    archived = client.post(f"/api/documents/{doc}/archive/", {"reason": "已全部办结"}, format="json").json()
    assert archived["archived_at"].endswith("+08:00") and archived["archive_reason"] == "已全部办结"
    assert doc not in [d["id"] for d in client.get("/api/documents/").json()["results"]]
    restored = client.post(f"/api/documents/{doc}/unarchive/", {}, format="json").json()
    assert restored["archived_at"] is None
    assert doc in [d["id"] for d in client.get("/api/documents/").json()["results"]]


def test_keywords_and_aliases_are_listed_added_and_removed(admin_user, dept_a, dept_b):
    client = token_client(admin_user)
    added = client.post(f"/api/departments/{dept_a.pk}/keywords/", {"value": "本科教学"}, format="json")
    assert added.status_code == 201 and added.json()["keywords"] == ["本科教学"]
    alias = client.post(f"/api/departments/{dept_a.pk}/aliases/", {"value": "教务部"}, format="json").json()
    assert alias["aliases"] == ["本科生院", "教务部"]
    taken = client.post(f"/api/departments/{dept_a.pk}/aliases/", {"value": "科研处"}, format="json")
    assert "科学技术处" in assert_error(taken, 400, "rule_violation")["message"]
    rules = {r["name"]: r for r in client.get("/api/department-rules/").json()}
    assert rules["教务处"]["keywords"] == ["本科教学"] and rules["科学技术处"]["aliases"] == ["科研处"]

    assert client.delete(f"/api/departments/{dept_a.pk}/aliases/本科生院/").status_code == 204
    assert client.delete(f"/api/departments/{dept_a.pk}/keywords/本科教学/").status_code == 204
    assert_error(client.delete(f"/api/departments/{dept_a.pk}/keywords/本科教学/"), 404)
    dept_a.refresh_from_db()
    assert (dept_a.keywords, dept_a.aliases) == ([], ["教务部"])


def test_taskbook_import_reports_each_row_and_dry_run_keeps_nothing(admin_user, dept_a, dept_b):
    data = _xlsx(
        [
            [1, DOC, "一", "健全安全责任体系。", "教务处", "科技处", "", "2030-06-30"],
            [2, DOC, "二", "", "教务处", "", "", ""],
        ]
    )
    client = token_client(admin_user)

    def upload(**extra):
        body = {"file": SimpleUploadedFile("分解表.xlsx", data), **extra}
        return client.post("/api/taskbook-imports/", body, format="multipart")

    dry = upload(dry_run="true").json()
    assert dry["dry_run"] is True and dry["documents_created"] == ["关于加强实验室安全的通知"]
    assert not PolicyDocument.objects.exists()
    report = upload().json()
    assert report["assignments_created"] == 2 and [r["row"] for r in report["rows"]] == [3, 4]
    assert report["rows"][1]["problems"]
    assert Assignment.objects.filter(requirement__document__title="关于加强实验室安全的通知").count() == 2
    bad = upload(document=999999)
    assert "document" in assert_error(bad, 400, "validation_error")["details"]


def test_read_all_marks_only_the_callers_notifications(lead_a, member_a, assignment_a):
    for user in (lead_a, lead_a, member_a):
        Notification.objects.create(user=user, verb="assigned", message="新分配事项", assignment=assignment_a)
    answer = token_client(lead_a).post("/api/notifications/read-all/")
    assert answer.json() == {"marked": 2}
    assert not Notification.objects.filter(user=lead_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=member_a, read_at__isnull=True).count() == 1
    assert token_client(lead_a).post("/api/notifications/read-all/").json() == {"marked": 0}


def test_me_names_role_departments_and_overseen_departments(lead_a, school_leader, admin_user, dept_a):
    me = token_client(lead_a).get("/api/me/").json()
    assert (me["username"], me["role"]) == ("t_lead_a", "staff")
    assert me["departments"] == [{"id": dept_a.pk, "name": "教务处", "role": "lead"}]
    assert me["overseen_departments"] == []
    leader = token_client(school_leader).get("/api/me/").json()
    assert leader["role"] == "leader" and leader["overseen_departments"] == [{"id": dept_a.pk, "name": "教务处"}]
    assert token_client(admin_user).get("/api/me/").json()["role"] == "admin"
    assert_error(token_client(None).get("/api/me/"), 401)
