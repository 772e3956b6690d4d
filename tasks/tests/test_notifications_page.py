"""通知 page: each user lists and marks only their own notifications."""

import pytest

from compliance.models import Notification
from compliance.services.notifications import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(lead_a, lead_b, assignment_a, assignment_b):
    mine = notify(users=[lead_a], verb="returned", message="“甲事项”被退回：材料不全", assignment=assignment_a)[0]
    theirs = notify(users=[lead_b], verb="approved", message="“乙事项”已审核办结。", assignment=assignment_b)[0]
    return mine, theirs


def test_the_list_shows_only_my_notifications_with_a_link_to_the_item(client, lead_a, notes, assignment_a):
    """A lead sees their own notification and its item link, never another department's."""
    client.force_login(lead_a)
    page = client.get("/notifications/").content.decode()
    assert "甲事项”被退回" in page and f"/assignments/{assignment_a.pk}/" in page
    assert "乙事项" not in page
    assert "未读 1" in page


def test_mark_as_read_then_the_unread_filter_is_empty(client, lead_a, notes):
    """Marking a notification read records the time and it leaves the unread list."""
    mine, _theirs = notes
    client.force_login(lead_a)
    resp = client.post(f"/notifications/{mine.pk}/read/")
    assert resp.status_code == 302 and resp["Location"] == "/notifications/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "暂无通知" in client.get("/notifications/?unread=1").content.decode()


def test_another_users_notification_cannot_be_marked(client, lead_a, notes):
    """Posting to someone else's notification is a 404 and changes nothing."""
    _mine, theirs = notes
    client.force_login(lead_a)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_my_notifications(client, lead_a, lead_b, notes):
    """全部标为已读 marks every one of mine and none of anyone else's."""
    notify(users=[lead_a], verb="assigned", message="新分配事项：“丙事项”")
    client.force_login(lead_a)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=lead_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=lead_b, read_at__isnull=True).count() == 1


def test_mark_read_needs_post_and_login(client, lead_a, notes):
    mine, _theirs = notes
    assert client.get("/notifications/").status_code == 302  # to the login page
    client.force_login(lead_a)
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405


def test_an_open_redirect_is_refused(client, lead_a, notes):
    """A 'next' pointing off-site falls back to the notification list."""
    mine, _theirs = notes
    client.force_login(lead_a)
    resp = client.post(f"/notifications/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert resp["Location"] == "/notifications/"
