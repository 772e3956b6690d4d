"""What a department notices on an item: a return asks for progress again, long notes are refused,
a reassignment tells the department that loses the item, and its old notifications stay true."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compliance.models import Assignment, Notification
from compliance.models.tracking import NOTE_MAX_LENGTH
from compliance.services import ServiceError
from compliance.services import assignments as svc
from compliance.tests.factories import EvidenceFactory, RequirementFactory

pytestmark = pytest.mark.django_db
S = Assignment.Status


def _submitted(assignment: Assignment, lead) -> Assignment:
    EvidenceFactory(assignment=assignment)
    return svc.assignment_submit(assignment=assignment, by=lead, note="已完成")


def test_a_returned_item_asks_the_department_to_set_its_progress_again(lead_a, admin_user, assignment_a):
    a = _submitted(assignment_a, lead_a)
    assert a.progress == 100
    a = svc.assignment_return(assignment=a, by=admin_user, reason="材料不全")
    a.refresh_from_db()
    assert (a.status, a.progress) == (S.RETURNED, 0)
    told = Notification.objects.get(user=lead_a, verb="returned")
    assert "请重新填写进度" in told.message and "材料不全" in told.message


def test_the_item_page_of_a_returned_item_says_to_set_progress_again(client, lead_a, admin_user, assignment_a):
    svc.assignment_return(assignment=_submitted(assignment_a, lead_a), by=admin_user, reason="材料不全")
    client.force_login(lead_a)
    page = client.get(reverse("assignment_detail", args=[assignment_a.pk])).content.decode()
    assert "请重新填写进度后再提交" in page and 'aria-valuenow="0"' in page


@pytest.mark.parametrize(
    "action",
    [
        lambda a, u, text: svc.assignment_update_progress(assignment=a, by=u, percent=50, note=text),
        lambda a, u, text: svc.comment_add(assignment=a, by=u, text=text),
        lambda a, u, text: svc.assignment_submit(assignment=a, by=u, note=text),
    ],
    ids=["progress", "comment", "submit"],
)
def test_notes_longer_than_the_limit_are_refused_and_change_nothing(lead_a, assignment_a, action):
    EvidenceFactory(assignment=assignment_a)
    with pytest.raises(ServiceError, match=str(NOTE_MAX_LENGTH)):
        action(assignment_a, lead_a, "很" * (NOTE_MAX_LENGTH + 1))
    assignment_a.refresh_from_db()
    assert (assignment_a.status, assignment_a.progress, assignment_a.progress_note) == (S.NOT_STARTED, 0, "")
    assert not assignment_a.updates.exists()


def test_a_note_at_the_limit_is_kept_and_folds_on_the_item_page(client, lead_a, member_a, assignment_a):
    note = "进" * NOTE_MAX_LENGTH
    svc.assignment_update_progress(assignment=assignment_a, by=member_a, percent=50, note=note)
    client.force_login(lead_a)
    page = client.get(reverse("assignment_detail", args=[assignment_a.pk])).content.decode()
    assert '<details class="fold">' in page and f"展开全文（{NOTE_MAX_LENGTH} 字）" in page


def test_the_progress_form_refuses_a_note_over_the_limit(client, member_a, assignment_a):
    client.force_login(member_a)
    resp = client.post(
        reverse("assignment_progress", args=[assignment_a.pk]),
        {"percent": 10, "note": "长" * (NOTE_MAX_LENGTH + 1), "version": 1},
    )
    assert resp.status_code == 400
    assignment_a.refresh_from_db()
    assert assignment_a.progress == 0


def test_reassigning_tells_the_department_that_loses_the_item(admin_user, lead_a, lead_b, assignment_a, dept_a, dept_b):
    svc.assignment_reassign(assignment=assignment_a, by=admin_user, department=dept_b)
    away = Notification.objects.get(user=lead_a, verb="reassigned_away")
    assert "科学技术处" in away.message and away.department == dept_a
    assert Notification.objects.get(user=lead_b, verb="assigned").department == dept_b


def test_an_old_notification_keeps_the_department_it_was_about(client, admin_user, lead_a, dept_a, dept_b):
    requirement = RequirementFactory(heading="建立督办台账")
    a = svc.assignment_create(requirement=requirement, department=dept_a, by=admin_user)
    svc.assignment_reassign(assignment=a, by=admin_user, department=dept_b)
    client.force_login(lead_a)
    page = client.get(reverse("notification_list")).content.decode()
    rows = [row for row in page.split("<tr") if "建立督办台账" in row]
    assert len(rows) == 2  # 新分配 and 已改派
    assert all("教务处" in row and "科学技术处</span>" not in row for row in rows)
    # The item is no longer theirs: its title is shown without a link that would be a 404.
    assert reverse("assignment_detail", args=[a.pk]) not in page
