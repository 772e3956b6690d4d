"""WeCom / DingTalk messages to a person, against a local stand-in of the two APIs."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import requests
import time_machine

from compliance.services.notifications import notify
from compliance.tests.factories import UserFactory
from tasks import notifiers, work_chat
from tasks.reminders import deliver_pending, scan

from .conftest import at
from .work_chat_standin import APP_KEY, APP_SECRET, CORP_ID, CORP_SECRET, StandIn

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 25)


@pytest.fixture
def standin(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wc"}}
    from django.core.cache import cache

    cache.clear()
    with StandIn(known_users={"zhangsan", "lisi", "ding-zhang"}) as server:
        settings.DUBAN_WECOM_API_URL = server.url
        settings.DUBAN_WECOM_CORP_ID, settings.DUBAN_WECOM_SECRET = CORP_ID, CORP_SECRET
        settings.DUBAN_WECOM_AGENT_ID = "1000002"
        settings.DUBAN_DINGTALK_API_URL = server.url
        settings.DUBAN_DINGTALK_APP_KEY, settings.DUBAN_DINGTALK_APP_SECRET = APP_KEY, APP_SECRET
        settings.DUBAN_DINGTALK_AGENT_ID = "2000003"
        yield server
    cache.clear()


def test_a_wecom_message_reaches_the_person_with_the_apps_request_shape(standin):
    work_chat.person_message_send(channel="wecom", userid="zhangsan", title="督办提醒", markdown="### 督办提醒\n- 事项")
    [msg] = standin.messages
    assert msg["to"] == "zhangsan"
    assert msg["body"] == {
        "touser": "zhangsan",
        "msgtype": "markdown",
        "agentid": 1000002,
        "markdown": {"content": "### 督办提醒\n- 事项"},
    }


def test_a_dingtalk_message_reaches_the_person_with_the_apps_request_shape(standin):
    work_chat.person_message_send(channel="dingtalk", userid="ding-zhang", title="督办提醒", markdown="- 事项")
    [msg] = standin.messages
    assert msg["body"] == {
        "agent_id": 2000003,
        "userid_list": "ding-zhang",
        "msg": {"msgtype": "markdown", "markdown": {"title": "督办提醒", "text": "- 事项"}},
    }


@pytest.mark.parametrize("channel,userid", [("wecom", "zhangsan"), ("dingtalk", "ding-zhang")])
def test_the_access_token_is_fetched_once_and_refreshed_when_it_expires(standin, channel, userid):
    for _ in range(3):
        work_chat.person_message_send(channel=channel, userid=userid, title="t", markdown="m")
    assert standin.token_requests[channel] == 1
    standin.expire_tokens()
    work_chat.person_message_send(channel=channel, userid=userid, title="t", markdown="m")
    assert standin.token_requests[channel] == 2
    assert len(standin.messages) == 4


@pytest.mark.parametrize("channel", ["wecom", "dingtalk"])
def test_an_unknown_user_id_is_a_refusal_not_a_retry(standin, channel):
    with pytest.raises(work_chat.WorkChatRejected, match="errcode"):
        work_chat.person_message_send(channel=channel, userid="left-the-school", title="t", markdown="m")
    assert standin.messages == []


def test_a_wecom_recipient_listed_as_invalid_is_a_refusal(standin):
    standin.known_users.add("suspended")
    standin.invalid_users.add("suspended")
    with pytest.raises(work_chat.WorkChatRejected, match="invalid user"):
        work_chat.person_message_send(channel="wecom", userid="suspended", title="t", markdown="m")


def test_wrong_credentials_are_a_refusal(standin, settings):
    settings.DUBAN_WECOM_SECRET = "not-the-secret"
    with pytest.raises(work_chat.WorkChatRejected, match="gettoken errcode=40013"):
        work_chat.person_message_send(channel="wecom", userid="zhangsan", title="t", markdown="m")


def test_a_network_error_is_raised_for_the_worker_to_retry(standin, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.DUBAN_WECOM_API_URL = f"http://127.0.0.1:{closed}"
    with pytest.raises(requests.ConnectionError):
        work_chat.person_message_send(channel="wecom", userid="zhangsan", title="t", markdown="m")
    assert requests.ConnectionError in notifiers.send_person_message.autoretry_for
    assert notifiers.send_person_message.max_retries == 5


def test_an_unreachable_app_hands_the_message_to_the_worker(standin, settings, monkeypatch):
    queued = []
    monkeypatch.setattr(notifiers.send_person_message, "delay", lambda *args: queued.append(args))
    user = UserFactory(username="u1", wecom_userid="zhangsan")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        settings.DUBAN_WECOM_API_URL = f"http://127.0.0.1:{s.getsockname()[1]}"
    assert notifiers.person_messages_send(user=user, title="t", markdown="m") == {"wecom": "queued"}
    assert queued == [(user.pk, "wecom", "t", "m")]


def test_only_configured_apps_and_known_ids_are_used(standin, settings):
    both = UserFactory(username="both", wecom_userid="zhangsan", dingtalk_userid="ding-zhang")
    nobody = UserFactory(username="nobody")
    assert work_chat.person_channels(both) == [("wecom", "zhangsan"), ("dingtalk", "ding-zhang")]
    assert work_chat.person_channels(nobody) == []
    settings.DUBAN_DINGTALK_AGENT_ID = ""
    assert work_chat.person_channels(both) == [("wecom", "zhangsan")]


# --- reminders and notifications use it ------------------------------------------------------


def test_reminders_reach_people_with_an_id_on_their_app(standin, unit, lead_a, member_a, make_assignment):
    """The reminder digest goes to WeCom/DingTalk for people the apps know, besides the e-mail."""
    lead_a.wecom_userid = "zhangsan"
    lead_a.save()
    member_a.dingtalk_userid = "ding-zhang"
    member_a.save()
    a = make_assignment(dt.date(2026, 6, 29), heading="修订人才培养方案")
    with time_machine.travel(at(DAY), tick=False):
        scan(now=at(DAY))
        deliver_pending(today=DAY)
    to = {(m["channel"], m["to"]) for m in standin.messages}
    assert to == {("wecom", "zhangsan"), ("dingtalk", "ding-zhang")}
    wecom = next(m for m in standin.messages if m["channel"] == "wecom")["body"]["markdown"]["content"]
    assert "修订人才培养方案" in wecom and f"/assignments/{a.pk}/" in wecom


def test_status_notifications_reach_the_person_too(standin, lead_a, assignment_a, monkeypatch):
    monkeypatch.setattr(notifiers.send_person_message, "delay", lambda *args: notifiers.send_person_message(*args))
    lead_a.wecom_userid = "lisi"
    lead_a.save()
    notes = notify(users=[lead_a], verb="returned", message="事项已退回：材料不全", assignment=assignment_a)
    notifiers.notification_emails_send(ids=[n.pk for n in notes])
    [msg] = standin.messages
    assert msg["to"] == "lisi" and "事项已退回：材料不全" in msg["body"]["markdown"]["content"]


def test_a_deactivated_person_gets_no_message(standin, lead_a):
    lead_a.wecom_userid = "zhangsan"
    lead_a.is_active = False
    lead_a.save()
    assert notifiers.send_person_message(lead_a.pk, "wecom", "t", "m") == "skipped"
    assert standin.messages == []
