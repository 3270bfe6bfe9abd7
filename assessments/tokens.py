"""The exam token: what the exam page shows the answer-save and submit endpoints instead of a
session. Pure: no database, no request.

A token names one attempt, its person, the moment it stops being valid and the page's
language, signed with HMAC-SHA256 under the site's secret key (django.core.signing, so
SECRET_KEY_FALLBACKS keep tokens valid through a key rotation). It is valid until the
attempt's deadline plus the grace for saves in flight, and never more than TOKEN_MAX_AGE after
it was issued; after that the page falls back to its session, whose path reads the outage
windows that may keep the attempt open longer.

The page sends it in a header (X-Exam-Token), never in a cookie: a browser does not attach it to
a request another site makes, and a cross-site request carrying a custom header needs a CORS
preflight the site never grants. The endpoints still refuse a request that says it is
cross-site (`cross_site`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing

HEADER = "HTTP_X_EXAM_TOKEN"  # request.META key of the X-Exam-Token header
SALT = "assessments.exam-token"
VERSION = "e1"
# A page left open for a day on an exam without a time limit reloads for a new token, or uses
# its session.
TOKEN_MAX_AGE = timedelta(hours=12)


@dataclass(frozen=True)
class ExamToken:
    attempt_id: int
    user_id: int
    expires: int  # seconds since the epoch
    language: str


class TokenRefused(Exception):
    """`code`: "invalid" (tampered, malformed, another key), "expired" or "attempt" (a token
    of another attempt). A token is only ever issued to the attempt's person; the save's
    UPDATE still names the person as well as the attempt."""

    def __init__(self, code: str, token: ExamToken | None = None):
        super().__init__(code)
        self.code = code
        self.token = token  # the signed content when the signature held, for its language


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, algorithm="sha256")


def token_issue(
    *, attempt_id: int, user_id: int, deadline: datetime, grace: timedelta, language: str, now
) -> str:
    expires = min(deadline + grace, now + TOKEN_MAX_AGE)
    value = f"{VERSION}.{attempt_id}.{user_id}.{int(expires.timestamp())}.{language}"
    return _signer().sign(value)


def token_read(text: str) -> ExamToken:
    """The token's content if its signature holds (expired or not), else TokenRefused."""
    try:
        value = _signer().unsign(text)
        version, attempt_id, user_id, expires, language = value.split(".", 4)
        if version != VERSION:
            raise ValueError(version)
        return ExamToken(
            attempt_id=int(attempt_id),
            user_id=int(user_id),
            expires=int(expires),
            language=language,
        )
    except (signing.BadSignature, ValueError) as exc:
        raise TokenRefused("invalid") from exc


def token_verify(text: str, *, attempt_id: int, now: datetime) -> ExamToken:
    """The token's content if it is valid for this attempt at `now`, else TokenRefused."""
    token = token_read(text)
    if token.attempt_id != attempt_id:
        raise TokenRefused("attempt", token)
    if now.timestamp() >= token.expires:
        raise TokenRefused("expired", token)
    return token


def cross_site(meta: dict, *, own_origin: str | None, trusted: list[str] | tuple = ()) -> bool:
    """A request the browser says another site made: Sec-Fetch-Site other than same-origin (or
    "none", typed by the person), or an Origin that is neither this site's nor trusted. Every
    browser the site supports sends one of them with a POST made by script; a client that
    sends neither is not a browser acting for another site. `own_origin` None: the request's
    host is not one this site serves."""
    site = meta.get("HTTP_SEC_FETCH_SITE")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = meta.get("HTTP_ORIGIN")
    if origin is None:
        return False
    return origin != own_origin and origin not in trusted
