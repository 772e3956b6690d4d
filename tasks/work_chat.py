"""Messages to one person through the WeCom (企业微信) and DingTalk (钉钉) apps' "send to user" APIs.

WeCom: ``GET /cgi-bin/gettoken?corpid=&corpsecret=`` then ``POST /cgi-bin/message/send?access_token=``
with ``{"touser", "msgtype": "markdown", "agentid", "markdown": {"content"}}``.
DingTalk: ``GET /gettoken?appkey=&appsecret=`` then
``POST /topapi/message/corpconversation/asyncsend_v2?access_token=`` with ``{"agent_id",
"userid_list", "msg": {"msgtype": "markdown", "markdown": {"title", "text"}}}``.

Both answer ``{"errcode": 0, ...}`` on success. The access token (valid two hours) is kept in the
cache and fetched again when the API says it expired or is invalid. As with the group robots,
only network errors are worth retrying: an errcode (an unknown user, a disabled app) will be
refused again.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

from compliance.models import User

logger = logging.getLogger(__name__)

WECOM, DINGTALK = "wecom", "dingtalk"
TIMEOUT_SECONDS = 5
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout)
# invalid credential, invalid access_token, access_token expired (both APIs use these codes)
TOKEN_ERRCODES = {40001, 40014, 42001}


class WorkChatRejected(Exception):
    """The API answered but refused (errcode != 0, an HTTP error, an invalid user id)."""


def configured(channel: str) -> bool:
    if channel == WECOM:
        return bool(settings.DUBAN_WECOM_CORP_ID and settings.DUBAN_WECOM_SECRET and settings.DUBAN_WECOM_AGENT_ID)
    if channel == DINGTALK:
        return bool(
            settings.DUBAN_DINGTALK_APP_KEY and settings.DUBAN_DINGTALK_APP_SECRET and settings.DUBAN_DINGTALK_AGENT_ID
        )
    return False


def person_channels(user: User) -> list[tuple[str, str]]:
    """(channel, user id) for each app that is configured and knows this person."""
    pairs = [(WECOM, user.wecom_userid.strip()), (DINGTALK, user.dingtalk_userid.strip())]
    return [(channel, uid) for channel, uid in pairs if uid and configured(channel)]


def _json(resp: requests.Response) -> dict[str, Any]:
    try:
        body = resp.json()
    except ValueError:
        raise WorkChatRejected(f"HTTP {resp.status_code}: not JSON") from None
    if resp.status_code != 200 or not isinstance(body, dict):
        raise WorkChatRejected(f"HTTP {resp.status_code}")
    return body


def _token_request(channel: str) -> tuple[str, dict[str, str]]:
    if channel == WECOM:
        url = settings.DUBAN_WECOM_API_URL.rstrip("/") + "/cgi-bin/gettoken"
        return url, {"corpid": settings.DUBAN_WECOM_CORP_ID, "corpsecret": settings.DUBAN_WECOM_SECRET}
    url = settings.DUBAN_DINGTALK_API_URL.rstrip("/") + "/gettoken"
    return url, {"appkey": settings.DUBAN_DINGTALK_APP_KEY, "appsecret": settings.DUBAN_DINGTALK_APP_SECRET}


def _cache_key(channel: str, params: dict[str, str]) -> str:
    digest = hashlib.sha256(repr(sorted(params.items())).encode()).hexdigest()[:16]
    return f"duban:workchat:token:{channel}:{digest}"


def access_token(channel: str, *, refresh: bool = False) -> str:
    """The app's access token, from the cache unless ``refresh`` (a cache outage only costs a fetch)."""
    url, params = _token_request(channel)
    key = _cache_key(channel, params)
    if not refresh:
        try:
            cached = cache.get(key)
        except Exception:
            cached = None
        if cached:
            return cached
    body = _json(requests.get(url, params=params, timeout=TIMEOUT_SECONDS))
    if body.get("errcode", 0) != 0 or not body.get("access_token"):
        raise WorkChatRejected(f"gettoken errcode={body.get('errcode')} {body.get('errmsg', '')}".strip())
    token = body["access_token"]
    try:
        cache.set(key, token, max(60, int(body.get("expires_in", 7200)) - 300))
    except Exception:
        logger.info("Could not cache the %s access token.", channel, exc_info=True)
    return token


def _send(channel: str, token: str, userid: str, title: str, markdown: str) -> dict[str, Any]:
    if channel == WECOM:
        url = settings.DUBAN_WECOM_API_URL.rstrip("/") + "/cgi-bin/message/send"
        payload: dict[str, Any] = {
            "touser": userid,
            "msgtype": "markdown",
            "agentid": int(settings.DUBAN_WECOM_AGENT_ID),
            "markdown": {"content": markdown},
        }
    else:
        url = settings.DUBAN_DINGTALK_API_URL.rstrip("/") + "/topapi/message/corpconversation/asyncsend_v2"
        payload = {
            "agent_id": int(settings.DUBAN_DINGTALK_AGENT_ID),
            "userid_list": userid,
            "msg": {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}},
        }
    resp = requests.post(url, params={"access_token": token}, json=payload, timeout=TIMEOUT_SECONDS)
    return _json(resp)


def person_message_send(*, channel: str, userid: str, title: str, markdown: str) -> None:
    """Send one markdown message to one person; raise WorkChatRejected, or a network error to retry."""
    if channel not in (WECOM, DINGTALK):
        raise ValueError(f"unknown work chat channel {channel!r}")
    body = _send(channel, access_token(channel), userid, title, markdown)
    if body.get("errcode") in TOKEN_ERRCODES:
        body = _send(channel, access_token(channel, refresh=True), userid, title, markdown)
    if body.get("errcode") != 0:
        raise WorkChatRejected(f"errcode={body.get('errcode')} {body.get('errmsg', '')}".strip())
    if channel == WECOM and (body.get("invaliduser") or body.get("unlicenseduser")):
        # errcode 0 with the recipient listed as invalid: the message reached nobody.
        raise WorkChatRejected(f"invalid user {userid}")
