"""WeCom's (企业微信) sign-in API, as its developer documentation describes it, with no Django in
it: where the browser is sent, which server calls follow, and what their answers mean.

The flow (自建应用, one app per organisation, corp ID and secret from its admin console):

1. The browser goes to WeCom's web login page (企业微信Web登录, "构造企业微信登录链接":
   ``https://login.work.weixin.qq.com/wwlogin/sso/login?login_type=CorpApp&appid=CORPID&agentid=
   AGENTID&redirect_uri=...&state=...``), or inside the WeCom client to the OAuth2 page
   ("构造网页授权链接": ``https://open.weixin.qq.com/connect/oauth2/authorize?appid=CORPID&
   redirect_uri=...&response_type=code&scope=snsapi_base&state=...&agentid=AGENTID#wechat_redirect``),
   and comes back to ``redirect_uri?code=CODE&state=STATE``.
2. ``GET {api}/cgi-bin/gettoken?corpid=&corpsecret=`` ("获取access_token") gives the app's token.
3. ``GET {api}/cgi-bin/auth/getuserinfo?access_token=&code=`` ("获取访问用户身份") gives the
   member's ``userid`` (and a ``user_ticket`` when the scope was snsapi_privateinfo); someone who
   is not a member of the enterprise gets ``openid`` instead, and is refused here.
4. ``GET {api}/cgi-bin/user/get?access_token=&userid=`` ("读取成员") gives the name, and for apps
   made before mid-2022 the e-mail; ``POST {api}/cgi-bin/auth/getuserdetail?access_token=`` with
   ``{"user_ticket": ...}`` ("获取访问用户敏感信息") gives e-mail, ``biz_mail`` and mobile.

Every answer is HTTP 200 with ``errcode``: anything but 0 is a refusal ("全局错误码").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

WEB_LOGIN_URL = "https://login.work.weixin.qq.com/wwlogin/sso/login"
IN_APP_AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
API_BASE_URL = "https://qyapi.weixin.qq.com"


class WeComError(Exception):
    """WeCom refused (errcode ≠ 0), answered something unreadable, or the person is no member."""

    def __init__(self, step: str, errcode: int | None, errmsg: str) -> None:
        super().__init__(f"WeCom {step}: errcode={errcode} errmsg={errmsg}")
        self.step = step
        self.errcode = errcode
        self.errmsg = errmsg


def authorize_url(
    *,
    corp_id: str,
    agent_id: str,
    redirect_uri: str,
    state: str,
    in_app: bool = False,
    scope: str = "snsapi_base",
    web_login_url: str = WEB_LOGIN_URL,
    in_app_authorize_url: str = IN_APP_AUTHORIZE_URL,
) -> str:
    """Where the browser is sent: the web login page (QR code or the desktop client's one click),
    or inside the WeCom client its OAuth2 page (scope snsapi_privateinfo also yields e-mail)."""
    if in_app:
        query = urlencode(
            {
                "appid": corp_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": scope,
                "state": state,
                "agentid": agent_id,
            }
        )
        return f"{in_app_authorize_url}?{query}#wechat_redirect"
    query = urlencode(
        {
            "login_type": "CorpApp",
            "appid": corp_id,
            "agentid": agent_id,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{web_login_url}?{query}"


def checked(step: str, payload: Any) -> dict[str, Any]:
    """The answer of one call, or WeComError if it is not a JSON object with errcode 0."""
    if not isinstance(payload, dict):
        raise WeComError(step, None, "not a JSON object")
    errcode = payload.get("errcode", 0)
    if errcode != 0:
        code = errcode if isinstance(errcode, int) else None
        raise WeComError(step, code, str(payload.get("errmsg", "")))
    return payload


def member_id(payload: dict[str, Any]) -> str:
    """The member's userid from 获取访问用户身份 (``userid``; the older endpoint said ``UserId``).
    A visitor who is not a member of the enterprise has only an openid: refused."""
    userid = payload.get("userid") or payload.get("UserId")
    if not isinstance(userid, str) or not userid:
        raise WeComError("getuserinfo", None, "not a member of the enterprise")
    return userid


@dataclass(frozen=True)
class Member:
    """What the sign-in learned about the person; ``userid`` is usable as the employee number."""

    userid: str
    name: str
    email: str
    biz_mail: str
    mobile: str

    @property
    def emails(self) -> list[str]:
        """The addresses WeCom holds for the person, the one set by the admin first."""
        return [a for a in dict.fromkeys((self.email, self.biz_mail)) if a]


def member_from(userid: str, *answers: dict[str, Any]) -> Member:
    """One member from 读取成员 and 获取访问用户敏感信息's answers (later answers win)."""
    merged: dict[str, Any] = {}
    for answer in answers:
        merged.update({k: v for k, v in answer.items() if v not in (None, "")})

    def text(key: str) -> str:
        value = merged.get(key, "")
        return value.strip() if isinstance(value, str) else ""

    return Member(
        userid=userid,
        name=text("name"),
        email=text("email").lower(),
        biz_mail=text("biz_mail").lower(),
        mobile=text("mobile"),
    )
