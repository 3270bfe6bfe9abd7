from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from content import admin_reports
from lms import views
from lms.accounts import admin_views

urlpatterns = [
    # Wagtail's own login form would bypass allauth's rate limits and MFA.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login_redirect",
    ),
    path("admin/account/", admin_views.account_view, name="wagtailadmin_account"),
    # Two of Wagtail's reports, read through the page permission policy (content/admin_reports.py).
    path("admin/reports/site-history/", admin_reports.ScopedLogEntriesView.as_view()),
    path(
        "admin/reports/site-history/results/",
        admin_reports.ScopedLogEntriesView.as_view(results_only=True),
    ),
    path(
        "admin/reports/page-types-usage/",
        admin_reports.ScopedPageTypesUsageReportView.as_view(),
    ),
    path(
        "admin/reports/page-types-usage/results/",
        admin_reports.ScopedPageTypesUsageReportView.as_view(results_only=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    # E-mail addresses come from the roster; people may not add or change their own.
    path("accounts/email/", RedirectView.as_view(pattern_name="account_change_password")),
    path("accounts/", include("allauth.urls")),
    path("", include("lms.organisations.urls")),
    # 通知 lived under learning until notices got an app of their own; old links still work.
    path("learn/notifications/", RedirectView.as_view(pattern_name="notifications:list")),
    path("learn/", include("lms.learning.urls")),
    path("notifications/", include("lms.notifications.urls")),
    path("records/", include("lms.records.urls")),
    path("exams/", include("assessments.urls")),
    path("spotchecks/", include("assessments.spotchecks.urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.verify_urls")),  # the QR code's short address
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler403 = "lms.views.permission_denied"
handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
