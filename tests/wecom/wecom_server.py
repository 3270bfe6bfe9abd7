"""A local stand-in for WeCom (企业微信): its login page and the four server APIs a sign-in calls,
answering with the JSON its developer documentation shows (企业微信开发者中心, 服务端API):

- "获取access_token" (document/path/91039): GET /cgi-bin/gettoken
- "获取访问用户身份" (身份验证 › 网页授权登录, document/path/91023): GET /cgi-bin/auth/getuserinfo,
  for a member ``userid`` + ``user_ticket``, for a non-member ``openid`` + ``external_userid``
- "获取访问用户敏感信息" (document/path/95833): POST /cgi-bin/auth/getuserdetail
- "读取成员" (通讯录管理 › 成员管理, document/path/90196): GET /cgi-bin/user/get
- "全局错误码" (document/path/90313): 40001 invalid secret, 40029 invalid code, 40014 invalid
  access_token, 60111 userid not found; always HTTP 200 with errcode ≠ 0
- "企业微信Web登录" › "构造企业微信登录链接" (document/path/98152): GET /wwlogin/sso/login, which
  the real page answers, once the person has scanned or clicked, by sending the browser to
  ``redirect_uri?code=CODE&state=STATE``.

The sample values are the documentation's (lisi, zhangsan@gzdev.com, 13800000000 ...).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CORP_ID = "ww1234567890abcdef"
SECRET = "corpsecret-of-the-app"
AGENT_ID = "1000002"
ACCESS_TOKEN = "accesstoken000001"

GETTOKEN_OK = {"errcode": 0, "errmsg": "ok", "access_token": ACCESS_TOKEN, "expires_in": 7200}
INVALID_SECRET = {
    "errcode": 40001,
    "errmsg": "invalid credential, more info at https://open.work.weixin.qq.com/devtool/query?e=40001",
}
INVALID_CODE = {
    "errcode": 40029,
    "errmsg": "invalid code, more info at https://open.work.weixin.qq.com/devtool/query?e=40029",
}
INVALID_TOKEN = {"errcode": 40014, "errmsg": "invalid access_token"}
NO_SUCH_USER = {"errcode": 60111, "errmsg": "userid not found"}

MEMBER_CODE = "CODE-OF-LISI"
VISITOR_CODE = "CODE-OF-A-VISITOR"
USER_TICKET = "USER_TICKET-OF-LISI"

GETUSERINFO = {
    MEMBER_CODE: {"errcode": 0, "errmsg": "ok", "userid": "lisi", "user_ticket": USER_TICKET},
    VISITOR_CODE: {
        "errcode": 0,
        "errmsg": "ok",
        "openid": "OPENID",
        "external_userid": "EXTERNAL_USERID",
    },
}
USER_GET = {
    # An app made after mid-2022 no longer gets e-mail or mobile here (读取成员's note).
    "lisi": {
        "errcode": 0,
        "errmsg": "ok",
        "userid": "lisi",
        "name": "李四",
        "department": [1, 2],
        "order": [1, 2],
        "position": "后台工程师",
        "gender": "1",
        "is_leader_in_dept": [1, 0],
        "direct_leader": ["zhangsan"],
        "avatar": "http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/0",
        "thumb_avatar": "http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/100",
        "telephone": "020-123456",
        "alias": "jackzhang",
        "status": 1,
        "main_department": 1,
    }
}
GETUSERDETAIL = {
    USER_TICKET: {
        "errcode": 0,
        "errmsg": "ok",
        "userid": "lisi",
        "gender": "1",
        "avatar": "http://shp.qpic.cn/bizmp/xxxxxxxxxxx/0",
        "qr_code": "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=vcfc13b01dfs78e981c",
        "mobile": "13800000000",
        "email": "zhangsan@gzdev.com",
        "biz_mail": "zhangsan@qyycs2.wecom.work",
        "address": "广州市海珠区新港中路",
    }
}


@dataclass
class FakeWeCom:
    """The server's state: which code the login page hands out, and every call it received."""

    next_code: str = MEMBER_CODE
    calls: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    base_url: str = ""
    _httpd: ThreadingHTTPServer | None = None

    def paths(self) -> list[str]:
        return [path for _, path, _, _ in self.calls if path.startswith("/cgi-bin/")]

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        self.calls.append((method, path, query, body))
        if path == "/wwlogin/sso/login" and method == "GET":
            if query.get("appid") != CORP_ID or query.get("login_type") != "CorpApp":
                return 200, "<p>参数错误</p>"
            back = f"{query['redirect_uri']}?{urlencode({'code': self.next_code, 'state': query['state']})}"
            return 302, back
        if path == "/cgi-bin/gettoken" and method == "GET":
            if query.get("corpid") != CORP_ID or query.get("corpsecret") != SECRET:
                return 200, INVALID_SECRET
            return 200, GETTOKEN_OK
        if query.get("access_token") != ACCESS_TOKEN:
            return 200, INVALID_TOKEN
        if path == "/cgi-bin/auth/getuserinfo" and method == "GET":
            return 200, GETUSERINFO.get(query.get("code", ""), INVALID_CODE)
        if path == "/cgi-bin/user/get" and method == "GET":
            return 200, USER_GET.get(query.get("userid", ""), NO_SUCH_USER)
        if path == "/cgi-bin/auth/getuserdetail" and method == "POST":
            ticket = body.get("user_ticket", "") if isinstance(body, dict) else ""
            return 200, GETUSERDETAIL.get(ticket, {"errcode": 40031, "errmsg": "invalid ticket"})
        return 404, {"errcode": 404, "errmsg": "no such API"}

    def start(self) -> FakeWeCom:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                body = None
                if method == "POST":
                    raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    body = json.loads(raw or b"null")
                status, payload = fake.answer(method, parts.path, query, body)
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", payload)
                    self.end_headers()
                    return
                data = (
                    payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
