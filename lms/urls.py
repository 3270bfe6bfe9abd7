from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from content import admin_reports
from content import admin_views as content_admin_views
from lms import views
from lms.accounts import admin_views

# Wagtail admin views replaced by scoped ones (content/admin_reports.py, content/admin_views.py),
# in front of Wagtail's and wrapped as Wagtail wraps its own: admin access required (sign-in,
# "no permission" redirect), the admin's 404 page, never cached.
admin_overrides = [
    # Wagtail's reports, read through the page permission policy (content/admin_reports.py).
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
    path("admin/reports/workflow/", admin_reports.ScopedWorkflowView.as_view()),
    path(
        "admin/reports/workflow/results/",
        admin_reports.ScopedWorkflowView.as_view(results_only=True),
    ),
    path("admin/reports/workflow_tasks/", admin_reports.ScopedWorkflowTasksView.as_view()),
    path(
        "admin/reports/workflow_tasks/results/",
        admin_reports.ScopedWorkflowTasksView.as_view(results_only=True),
    ),
    # The page chooser does not open inside a page one may not see (content/admin_views.py).
    path(
        "admin/choose-page/<int:parent_page_id>/",
        content_admin_views.ScopedPageChooserBrowseView.as_view(),
    ),
]
admin_overrides = decorate_urlpatterns(admin_overrides, require_admin_access)
admin_overrides = decorate_urlpatterns(admin_overrides, display_custom_404)
admin_overrides = decorate_urlpatterns(admin_overrides, never_cache)

urlpatterns = [
    # Wagtail's own login form would bypass allauth's rate limits and MFA.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login_redirect",
    ),
    path("admin/account/", admin_views.account_view, name="wagtailadmin_account"),
    *admin_overrides,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("lms.integrations.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    # E-mail addresses come from the roster; people may not add or change their own.
    path("accounts/email/", RedirectView.as_view(pattern_name="account_change_password")),
    # Identity providers are linked to an account only by signing in through them (lms/sso):
    # allauth's page for connecting and disconnecting them, which lists every provider, is not
    # offered.
    path(
        "accounts/3rdparty/",
        RedirectView.as_view(pattern_name="account_change_password"),
        name="socialaccount_connections_off",
    ),
    path("accounts/", include("allauth.urls")),
    path("sso/", include("lms.sso.urls")),
    path("", include("lms.organisations.urls")),
    # 通知 lived under learning until notices got an app of their own; old links still work.
    path("learn/notifications/", RedirectView.as_view(pattern_name="notifications:list")),
    # search of courses and regulations is content's; the old address still works
    path(
        "learn/search/",
        RedirectView.as_view(pattern_name="content:search", query_string=True, permanent=True),
    ),
    path("learn/", include("lms.learning.urls")),
    path("search/", include("content.urls")),
    path("notifications/", include("lms.notifications.urls")),
    path("records/", include("lms.records.urls")),
    path("commitments/", include("lms.commitments.urls")),
    path("duties/", include("lms.duties.urls")),
    path("dispatch/", include("lms.dispatch.urls")),
    path("duty-lists/", include("lms.dutylists.urls")),
    path("archive/", include("lms.archive.urls")),
    path("consultations/", include("lms.consultations.urls")),
    path("oversight/", include("lms.oversight.urls")),
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
