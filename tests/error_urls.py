"""The site's URLs plus one that fails and one that is refused, to see the 500 and the refusal
pages (tests only)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from lms.organisations.services import AppointmentRefused
from lms.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def _boom(request):
    raise RuntimeError("a test failure")


def _refused(request):
    raise AppointmentRefused(["马海燕尚未通过任前合规考核。", "请先完成考试。"])


urlpatterns = [
    *i18n_patterns(path("boom/", _boom), path("refused/", _refused), prefix_default_language=False),
    *urlpatterns,
]
