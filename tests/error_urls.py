"""The site's URLs plus one that fails, to see the 500 page (tests only)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from lms.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def _boom(request):
    raise RuntimeError("a test failure")


urlpatterns = [
    *i18n_patterns(path("boom/", _boom), prefix_default_language=False),
    *urlpatterns,
]
