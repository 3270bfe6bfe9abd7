from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """Liveness and database readiness for the load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
