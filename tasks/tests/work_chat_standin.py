"""A local stand-in for the WeCom and DingTalk "send to user" APIs (real HTTP on 127.0.0.1).

It speaks the same request and response shapes as the real services: gettoken with the app's
credentials, then a message call with ``access_token`` in the query string, answering
``{"errcode": 0, ...}`` or the real error codes (40013/40089 bad credentials, 40014 invalid
token, 42001 expired token, 81013 no valid recipient, 33 / 40103 for DingTalk). Tests read what
it received and can expire its tokens.
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CORP_ID, CORP_SECRET = "ww-test-corp", "wecom-secret"
APP_KEY, APP_SECRET = "ding-test-key", "ding-secret"


class StandIn:
    def __init__(self, known_users: set[str]) -> None:
        self.known_users = set(known_users)
        self.invalid_users: set[str] = set()  # WeCom: errcode 0, but listed in "invaliduser"
        self.messages: list[dict] = []  # {"channel", "to", "body"}
        self.token_requests = {"wecom": 0, "dingtalk": 0}
        self.tokens: dict[str, str] = {}
        self._serial = itertools.count(1)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    # --- the API ------------------------------------------------------------------------------

    def _issue(self, channel: str) -> dict:
        with self._lock:
            self.token_requests[channel] += 1
            token = f"{channel}-token-{next(self._serial)}"
            self.tokens[channel] = token
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def gettoken(self, channel: str, query: dict) -> dict:
        if channel == "wecom":
            if query.get("corpid") != CORP_ID or query.get("corpsecret") != CORP_SECRET:
                return {"errcode": 40013, "errmsg": "invalid corpid"}
        elif query.get("appkey") != APP_KEY or query.get("appsecret") != APP_SECRET:
            return {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}
        return self._issue(channel)

    def _token_error(self, channel: str, token: str) -> dict | None:
        with self._lock:
            current = self.tokens.get(channel)
        if current is None or token != current:
            # A token the server no longer knows: expired after two hours, or never issued.
            return {"errcode": 42001 if token.startswith(channel) else 40014, "errmsg": "access_token expired"}
        return None

    def wecom_send(self, token: str, body: dict) -> dict:
        error = self._token_error("wecom", token)
        if error:
            return error
        if body.get("msgtype") != "markdown" or "agentid" not in body:
            return {"errcode": 40008, "errmsg": "invalid message type"}
        users = [u for u in body.get("touser", "").split("|") if u]
        valid = [u for u in users if u in self.known_users and u not in self.invalid_users]
        invalid = [u for u in users if u not in valid]
        if not valid and not (set(users) & self.invalid_users):
            return {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
        for u in valid:
            self.messages.append({"channel": "wecom", "to": u, "body": body})
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": "msg-1"}

    def dingtalk_send(self, token: str, body: dict) -> dict:
        error = self._token_error("dingtalk", token)
        if error:
            return error
        msg = body.get("msg") or {}
        if "agent_id" not in body or msg.get("msgtype") != "markdown":
            return {"errcode": 40103, "errmsg": "agentid不存在"}
        users = [u for u in str(body.get("userid_list", "")).split(",") if u]
        if not users or any(u not in self.known_users for u in users):
            return {"errcode": 33, "errmsg": "userid_list中存在无效的userid"}
        for u in users:
            self.messages.append({"channel": "dingtalk", "to": u, "body": body})
        return {"errcode": 0, "errmsg": "ok", "task_id": 256271667526, "request_id": "req-1"}

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _answer(self, payload: dict, status: int = 200) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/cgi-bin/gettoken":
                    return self._answer(standin.gettoken("wecom", query))
                if url.path == "/gettoken":
                    return self._answer(standin.gettoken("dingtalk", query))
                return self._answer({"errcode": 404, "errmsg": "not found"}, 404)

            def do_POST(self) -> None:
                url = urlparse(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                length = int(self.headers.get("Content-Length", 0))
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return self._answer({"errcode": 44004, "errmsg": "invalid json"})
                if url.path == "/cgi-bin/message/send":
                    return self._answer(standin.wecom_send(token, body))
                if url.path == "/topapi/message/corpconversation/asyncsend_v2":
                    return self._answer(standin.dingtalk_send(token, body))
                return self._answer({"errcode": 404, "errmsg": "not found"}, 404)

        return Handler
