"""The exam day's hot path: an answer save (or the submit, an integrity event, the countdown's
poll) carrying the exam token goes straight to its view, past the middleware it does not need.

Placed right after Django's SecurityMiddleware (HTTPS redirect, HSTS, nosniff, Referrer-Policy
stay). A POST to an attempt's save, submit or event address, or a GET of its time, with an
X-Exam-Token header is answered here: the token (assessments/tokens.py) stands for the session and the user, so no session is
read, no user is loaded, and sessions, locale, CSRF, authentication, messages, allauth,
redirects and the audit context are skipped; the save's conditional UPDATE is its only query,
an integrity event takes two (the attempt locked, the event written and counted), the time one.
What they would have given it is done here instead:

- cross-site requests are refused (Sec-Fetch-Site / Origin, `tokens.cross_site`): the token in a
  header is what CSRF's cookie-and-header pair proves, and a page of another site can neither
  read it nor send it without a CORS preflight this site never grants;
- the language of its messages is the token's (the exam page's), else the address's prefix, as
  LocaleMiddleware would choose;
- the JSON answer is never stored (Cache-Control: no-store), never framed and allowed nothing
  (a Content-Security-Policy of its own, Permissions-Policy);
- the submit, which writes an audit entry, reads the person (one query) and sets the audit
  context itself.

Without the header (a page from before tokens, a token refused and dropped by the page) the
request takes the whole stack and the session, as any other.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import DisallowedHost
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from lms.audit.context import RequestContext, client_ip, current
from lms.security import PERMISSIONS_POLICY

from . import services, tokens, views

# What each address takes; any other method goes down the whole stack (and is refused there).
METHODS = {"save": "POST", "submit": "POST", "event": "POST", "time": "GET"}
# A JSON answer: nothing to load, nothing to frame.
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"


def _path_pattern() -> re.Pattern:
    """The save, submit, event and time addresses under lms/urls.py's i18n_patterns (`exams/`), unprefixed
    for the default language (tests/assessments/test_exam_token.py checks it against reverse)."""
    prefixes = "|".join(
        re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    )
    return re.compile(
        rf"^/(?:(?P<language>{prefixes})/)?exams/attempts/(?P<attempt>[0-9]{{1,18}})/"
        r"(?P<action>save|submit|event|time)$"
    )


class ExamTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pattern = _path_pattern()
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        text = request.META.get(tokens.HEADER)
        if text is None:
            return self.get_response(request)
        match = self.pattern.match(request.path_info)
        if match is None or request.method != METHODS[match["action"]]:
            return self.get_response(request)
        attempt_id = int(match["attempt"])
        language = match["language"] or settings.LANGUAGE_CODE
        token = None
        refusal = None
        try:
            token = services.attempt_token_verify(text, attempt_id=attempt_id)
        except tokens.TokenRefused as exc:
            refusal = exc
            token = exc.token
        if token is not None and token.language in self.languages:
            language = token.language
        with translation.override(language):
            response = self._answer(request, match["action"], attempt_id, token, refusal)
        add_never_cache_headers(response)
        response["Content-Security-Policy"] = JSON_CSP
        response["X-Frame-Options"] = "DENY"
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response["Content-Language"] = language
        return response

    def _answer(self, request, action, attempt_id, token, refusal):
        try:
            own = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            own = None
        if tokens.cross_site(request.META, own_origin=own, trusted=settings.CSRF_TRUSTED_ORIGINS):
            return views.json_error(
                _("Answers are accepted only from this site's exam page."), 403, reason="cross_site"
            )
        if refusal is not None:
            return views.json_error(_token_message(refusal.code), 401, reason="token")
        if action == "save":
            return views.answers_save(request, attempt_id=attempt_id, user_id=token.user_id)
        if action == "event":
            return views.integrity_event(request, attempt_id=attempt_id, user_id=token.user_id)
        if action == "time":
            return views.clock(request, attempt_id=attempt_id, user_id=token.user_id)
        user = get_user_model().objects.filter(pk=token.user_id, is_active=True).first()
        if user is None:
            return views.json_error(_token_message("invalid"), 401, reason="token")
        context = current.set(RequestContext(user=user, ip_address=client_ip(request)))
        try:
            return views.paper_submit(request, attempt_id=attempt_id, user=user, as_json=True)
        finally:
            current.reset(context)


def _token_message(code: str) -> str:
    if code == "expired":
        return _(
            "The exam page's token has expired. Your answers are kept: the page sends them with your session."
        )
    if code == "attempt":
        return _("The exam page's token is for another attempt. Reload the exam page.")
    return _("The exam page's token is not valid. Reload the exam page: your answers are kept.")
