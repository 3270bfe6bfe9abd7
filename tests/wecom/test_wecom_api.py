"""WeCom's sign-in API read as its documentation says (pure: no Django, no network)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from lms.wecom import api


def test_the_web_login_link_is_wecoms_with_appid_agentid_and_state():
    url = api.authorize_url(
        corp_id="ww1", agent_id="1000002", redirect_uri="https://lms.cn/cb/?x=1", state="s t"
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == api.WEB_LOGIN_URL
    assert parse_qs(parts.query) == {
        "login_type": ["CorpApp"],
        "appid": ["ww1"],
        "agentid": ["1000002"],
        "redirect_uri": ["https://lms.cn/cb/?x=1"],
        "state": ["s t"],
    }


def test_the_in_app_link_ends_with_wechat_redirect():
    url = api.authorize_url(
        corp_id="ww1", agent_id="7", redirect_uri="https://lms.cn/cb/", state="s", in_app=True
    )
    assert url.startswith(api.IN_APP_AUTHORIZE_URL + "?")
    assert url.endswith("#wechat_redirect")
    assert parse_qs(urlsplit(url).query)["scope"] == ["snsapi_base"]


@pytest.mark.parametrize(
    ("payload", "errcode"),
    [
        ({"errcode": 40029, "errmsg": "invalid code"}, 40029),
        ({"errcode": "40001", "errmsg": "invalid credential"}, None),
        (["not", "an", "object"], None),
        (None, None),
    ],
)
def test_an_answer_with_errcode_other_than_zero_is_a_refusal(payload, errcode):
    with pytest.raises(api.WeComError) as refused:
        api.checked("step", payload)
    assert refused.value.errcode == errcode


def test_an_answer_with_errcode_zero_is_read():
    assert api.checked("gettoken", {"errcode": 0, "access_token": "t"})["access_token"] == "t"


def test_only_a_member_has_a_userid():
    assert api.member_id({"errcode": 0, "userid": "lisi"}) == "lisi"
    assert api.member_id({"errcode": 0, "UserId": "lisi"}) == "lisi"  # the older endpoint
    with pytest.raises(api.WeComError):
        api.member_id({"errcode": 0, "openid": "OPENID", "external_userid": "E"})


def test_the_member_merges_the_directory_and_the_sensitive_details():
    member = api.member_from(
        "lisi",
        {"userid": "lisi", "name": " 李四 ", "email": "", "mobile": ""},
        {"email": "ZhangSan@GZDEV.com", "biz_mail": "zhangsan@qyycs2.wecom.work", "mobile": "138"},
    )
    assert member.name == "李四"
    assert member.emails == ["zhangsan@gzdev.com", "zhangsan@qyycs2.wecom.work"]
    assert member.mobile == "138"
    same = api.member_from("x", {"email": "a@b.cn", "biz_mail": "a@b.cn"})
    assert same.emails == ["a@b.cn"]
