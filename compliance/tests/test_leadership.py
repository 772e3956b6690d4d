"""The school leader (分管校领导): comments, 批示 on items and documents, 催办, his 我的部门 chips.

Services and selectors are called directly; the pages are checked as the leader, the department
and the office see them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import selectors_leadership
from compliance.models import Assignment, Instruction, Notification, Urge
from compliance.permissions import PermissionDeniedError
from compliance.services import ServiceError, leadership
from compliance.services import assignments as svc
from compliance.tests.factories import AssignmentFactory, RequirementFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Assignment.Status


@pytest.fixture
def other_leader(db, dept_b):
    user = UserFactory(username="t_leader_b", role="leader")
    dept_b.school_leader = user
    dept_b.save()
    return user


def test_the_leader_comments_on_his_departments_item_and_the_department_is_told(
    school_leader, lead_a, assignment_a, client
):
    svc.comment_add(assignment=assignment_a, by=school_leader, text="请加快进度，月底前报结果。")
    note = Notification.objects.get(user=lead_a, verb="commented")
    assert str(school_leader) in note.message and "月底前" in note.message
    client.force_login(school_leader)
    page = client.get(reverse("assignment_detail", args=[assignment_a.pk])).content.decode()
    assert reverse("assignment_comment", args=[assignment_a.pk]) in page


def test_a_reply_on_an_item_the_leader_commented_on_is_told_to_him(school_leader, lead_a, assignment_a):
    svc.comment_add(assignment=assignment_a, by=school_leader, text="进展如何？")
    svc.comment_add(assignment=assignment_a, by=lead_a, text="已完成方案，下周报送。")
    assert Notification.objects.filter(user=school_leader, verb="commented", message__contains="下周报送").exists()


def test_a_leader_cannot_comment_on_a_department_outside_his_charge(other_leader, assignment_a):
    with pytest.raises(PermissionDeniedError):
        svc.comment_add(assignment=assignment_a, by=other_leader, text="意见")


def test_an_instruction_on_an_item_is_shown_prominently_to_the_department_and_the_office(
    school_leader, lead_a, admin_user, assignment_a, client
):
    leadership.instruction_add(by=school_leader, assignment=assignment_a, text="此项列入学校年度重点，务必按期完成。")
    assert {n.user for n in Notification.objects.filter(verb="instruction")} >= {lead_a, admin_user}
    for user in (lead_a, admin_user):
        client.force_login(user)
        page = client.get(reverse("assignment_detail", args=[assignment_a.pk])).content.decode()
        banner = page[page.index('class="card instructions"') : page.index('class="tabs"')]
        assert "领导批示" in banner and "务必按期完成" in banner and str(school_leader) in banner


def test_an_instruction_on_a_document_shows_on_its_items_and_the_document_page(
    school_leader, lead_a, admin_user, assignment_a, client
):
    doc = assignment_a.requirement.document
    leadership.instruction_add(by=school_leader, document=doc, text="全文件任务由各分管部门抓落实。")
    assert Notification.objects.filter(user=lead_a, verb="instruction").exists()
    client.force_login(lead_a)
    item = client.get(reverse("assignment_detail", args=[assignment_a.pk])).content.decode()
    assert "抓落实" in item and "对全文件的批示" in item
    document = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert "抓落实" in document


def test_instructions_are_kept_in_the_history(school_leader, assignment_a):
    item = leadership.instruction_add(by=school_leader, assignment=assignment_a, text="抓紧办理。")
    record = item.history.get()
    assert (record.history_user, record.text, record.history_type) == (school_leader, "抓紧办理。", "+")


@pytest.mark.parametrize("who", ["lead_a", "admin_user", "other_leader"])
def test_only_the_leader_in_charge_writes_an_instruction(request, who, assignment_a):
    with pytest.raises(PermissionDeniedError):
        leadership.instruction_add(by=request.getfixturevalue(who), assignment=assignment_a, text="批示")
    assert not Instruction.objects.exists()


def test_an_empty_or_too_long_instruction_is_refused(school_leader, assignment_a):
    for text in ("   ", "批" * 4001):
        with pytest.raises(ServiceError):
            leadership.instruction_add(by=school_leader, assignment=assignment_a, text=text)
    assert not Instruction.objects.exists()


def test_the_instruction_page_action_refuses_a_member_with_403(client, member_a, assignment_a):
    client.force_login(member_a)
    resp = client.post(reverse("assignment_instruction", args=[assignment_a.pk]), {"text": "批示"})
    assert resp.status_code == 403 and not Instruction.objects.exists()


def test_urging_an_item_tells_the_department_and_counts_once(school_leader, lead_a, member_a, assignment_a, client):
    client.force_login(school_leader)
    url = reverse("assignment_urge", args=[assignment_a.pk])
    assert client.post(url, {"note": "本周内报进展。"}).status_code == 302
    urge = Urge.objects.get()
    assert (urge.department, urge.assignment, urge.by) == (assignment_a.department, assignment_a, school_leader)
    told = Notification.objects.filter(verb="urged")
    assert {n.user for n in told} == {lead_a, member_a}
    assert all("催办" in n.message and "本周内报进展" in n.message for n in told)
    client.post(url, {"note": "再催一次"})  # a second click the same day
    assert Urge.objects.count() == 1
    messages = [str(m) for m in client.get(reverse("assignment_detail", args=[assignment_a.pk])).context["messages"]]
    assert any("请勿重复催办" in m for m in messages)


def test_the_office_urges_any_department_staff_cannot(admin_user, lead_a, assignment_a, assignment_b):
    leadership.urge_create(by=admin_user, department=assignment_b.department, assignment=assignment_b)
    with pytest.raises(PermissionDeniedError):
        leadership.urge_create(by=lead_a, department=assignment_a.department)


def test_a_closed_item_is_not_urged(school_leader, assignment_a):
    assignment_a.status = S.COMPLETED
    assignment_a.save()
    with pytest.raises(ServiceError, match="无需催办"):
        leadership.urge_create(by=school_leader, department=assignment_a.department, assignment=assignment_a)
    assert not Urge.objects.exists()


def test_urges_received_is_scoped_and_dated(school_leader, other_leader, admin_user, lead_a, lead_b, dept_a, dept_b):
    leadership.urge_create(by=school_leader, department=dept_a)
    leadership.urge_create(by=other_leader, department=dept_b)
    leadership.urge_create(by=admin_user, department=dept_b, note="督查办催办")
    today = timezone.localdate()
    assert selectors_leadership.urge_counts(user=admin_user, start=today, end=today) == {dept_a.pk: 1, dept_b.pk: 2}
    assert selectors_leadership.urge_counts(user=admin_user, end=today - dt.timedelta(days=1)) == {}
    assert [u.department for u in selectors_leadership.urges_received(user=lead_a)] == [dept_a]
    assert selectors_leadership.urges_received(user=school_leader).count() == 1
    assert selectors_leadership.urges_received(user=lead_b, department=dept_a).count() == 0


def test_the_leaders_department_chips_are_links_with_counts_and_an_urge_button(client, school_leader, dept_a):
    today = timezone.localdate()
    AssignmentFactory(department=dept_a, due_date=today - dt.timedelta(days=2))
    AssignmentFactory(department=dept_a, due_date=today + dt.timedelta(days=20))
    client.force_login(school_leader)
    page = client.get(reverse("home")).content.decode()
    assert f'href="/tasks/?department={dept_a.pk}"' in page and "办理中 2" in page and "逾期 1" in page
    assert reverse("department_urge", args=[dept_a.pk]) in page
    listed = client.get(f"/tasks/?department={dept_a.pk}").content.decode()
    assert 'data-total="2"' in listed


@pytest.mark.parametrize(
    ("who", "title"),
    [("admin_user", "全部事项"), ("auditor", "全部事项"), ("school_leader", "分管部门事项"), ("lead_a", "我的任务")],
)
def test_the_task_list_is_titled_for_what_the_role_sees(client, request, who, title):
    client.force_login(request.getfixturevalue(who))
    assert f"<h1>{title}</h1>" in client.get(reverse("task_list")).content.decode()


def test_leader_attention_lists_overdue_returned_and_extension_items_once(school_leader, dept_a, dept_b, lead_a):
    today = timezone.localdate()
    overdue = AssignmentFactory(department=dept_a, status=S.IN_PROGRESS, due_date=today - dt.timedelta(days=3))
    returned = AssignmentFactory(department=dept_a, status=S.RETURNED, due_date=today + dt.timedelta(days=9))
    asked = AssignmentFactory(department=dept_a, status=S.IN_PROGRESS, due_date=today + dt.timedelta(days=5))
    svc.extension_request_create(
        assignment=asked, by=lead_a, reason="需要更多时间", proposed_date=today + dt.timedelta(days=40)
    )
    AssignmentFactory(department=dept_b, status=S.IN_PROGRESS, due_date=today - dt.timedelta(days=3))  # not his
    AssignmentFactory(
        requirement=RequirementFactory(), department=dept_a, status=S.COMPLETED, due_date=today - dt.timedelta(days=3)
    )
    found = selectors_leadership.leader_attention(leader=school_leader, today=today)
    assert found == {"overdue": [overdue], "returned": [returned], "extension": [asked]}


def test_instructions_and_urges_show_in_the_items_history_tab(client, school_leader, lead_a, assignment_a):
    leadership.instruction_add(by=school_leader, assignment=assignment_a, text="抓紧办理，月底见成效。")
    leadership.urge_create(by=school_leader, department=assignment_a.department, assignment=assignment_a)
    client.force_login(lead_a)
    page = client.get(reverse("assignment_detail", args=[assignment_a.pk]) + "?tab=history").content.decode()
    assert "抓紧办理，月底见成效。" in page and "催办" in page


def test_urges_count_in_the_ranking_and_appear_in_the_bulletin(school_leader, admin_user, assignment_a, dept_a):
    from compliance import selectors_dashboard, selectors_reports

    leadership.urge_create(by=school_leader, department=dept_a, assignment=assignment_a, note="抓紧")
    leadership.urge_create(by=admin_user, department=dept_a)
    today = timezone.localdate()
    base = selectors_dashboard.dashboard_assignments(user=admin_user, filters={})
    assert selectors_reports.urge_counts(base=base, start=today, end=today) == {dept_a.pk: 2}
    urged = selectors_reports.urged_items(user=admin_user, start=today, end=today)
    assert [u["department"] for u in urged] == ["教务处", "教务处"]
    assert urged[0]["title"] == (assignment_a.requirement.heading or assignment_a.requirement.text[:40])
