"""The exam token and the cross-site rule, pure: no database, no request."""

from datetime import UTC, datetime, timedelta

import pytest

from assessments import tokens

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def issue(**overrides):
    args = {
        "attempt_id": 7,
        "user_id": 11,
        "deadline": NOW + timedelta(minutes=30),
        "grace": timedelta(seconds=60),
        "language": "en",
        "now": NOW,
    }
    return tokens.token_issue(**{**args, **overrides})


def test_a_token_is_valid_for_its_attempt_until_the_deadline_and_grace():
    token = tokens.token_verify(issue(), attempt_id=7, now=NOW + timedelta(minutes=30))
    assert (token.attempt_id, token.user_id, token.language) == (7, 11, "en")
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.token_verify(issue(), attempt_id=7, now=NOW + timedelta(minutes=31))
    assert refused.value.code == "expired" and refused.value.token.language == "en"


def test_a_token_lives_at_most_its_maximum_age():
    far = issue(deadline=NOW + timedelta(days=10))
    tokens.token_verify(far, attempt_id=7, now=NOW + tokens.TOKEN_MAX_AGE - timedelta(seconds=1))
    with pytest.raises(tokens.TokenRefused):
        tokens.token_verify(far, attempt_id=7, now=NOW + tokens.TOKEN_MAX_AGE)


def test_a_token_of_another_attempt_or_tampered_is_refused():
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.token_verify(issue(), attempt_id=8, now=NOW)
    assert refused.value.code == "attempt"
    value, signature = issue().rsplit(":", 1)
    for text in (value.replace(".11.", ".12.") + ":" + signature, value, "", "e1.7:x"):
        with pytest.raises(tokens.TokenRefused) as refused:
            tokens.token_verify(text, attempt_id=7, now=NOW)
        assert refused.value.code == "invalid" and refused.value.token is None


def test_a_token_signed_with_another_key_is_refused(settings):
    token = issue()
    settings.SECRET_KEY = "another key" * 5
    with pytest.raises(tokens.TokenRefused):
        tokens.token_verify(token, attempt_id=7, now=NOW)


@pytest.mark.parametrize(
    ("meta", "refused"),
    [
        ({}, False),  # not a browser acting for another site
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, False),
        ({"HTTP_SEC_FETCH_SITE": "none"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, True),
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, True),
        ({"HTTP_ORIGIN": "https://exam.example"}, False),
        ({"HTTP_ORIGIN": "https://trusted.example"}, False),
        ({"HTTP_ORIGIN": "https://evil.example"}, True),
        ({"HTTP_ORIGIN": "null"}, True),
        ({"HTTP_ORIGIN": "https://exam.example", "HTTP_SEC_FETCH_SITE": "cross-site"}, True),
    ],
)
def test_cross_site_requests_are_told_apart(meta, refused):
    assert (
        tokens.cross_site(
            meta, own_origin="https://exam.example", trusted=["https://trusted.example"]
        )
        is refused
    )


def test_an_unknown_host_is_never_its_own_origin():
    assert tokens.cross_site({"HTTP_ORIGIN": "https://x.example"}, own_origin=None)
