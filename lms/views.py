from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from lms.resilience import health


@require_GET
def healthz(request):
    """Each dependency (database, cache, broker) and the degraded-operation counters; 503 when
    one is down, so the load balancer and the monitoring see it."""
    ok, body = health.report()
    return JsonResponse(body, status=200 if ok else 503)


# --- error pages: in the site's frame and the reader's language, with a way back ----------------
# 403, 404 and the CSRF failure extend base.html (the request's context processors run); 500 is a
# page of its own that needs no database, no context processor and no static manifest.


def way_back(request) -> dict:
    """The page the reader came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return {"back_url": referer if safe and referer != request.build_absolute_uri() else ""}


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", way_back(request), status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", way_back(request), status=404)


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", way_back(request), status=403)


@requires_csrf_token
def server_error(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return HttpResponseServerError(
        loader.render_to_string("errors/500.html", {"LANGUAGE_CODE": language})
    )


_FAVICON = Path(__file__).resolve().parent / "static" / "favicon.svg"


@require_GET
def favicon(request):
    """/favicon.ico for browsers that ask there: the same SVG the base templates link to."""
    response = HttpResponse(_FAVICON.read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
