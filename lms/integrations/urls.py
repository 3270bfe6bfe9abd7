"""The HR API (/api/v1/) and its OpenAPI schema and docs (/api/schema/, /api/docs/)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

v1_urlpatterns = [
    path("roster/", views.RosterBatch.as_view(), name="roster"),
    path("enrolments/", views.EnrolmentList.as_view(), name="enrolments"),
    path("enrolments/<int:pk>/", views.EnrolmentDetail.as_view(), name="enrolment"),
    path("results/", views.ResultList.as_view(), name="results"),
    path("results/<int:pk>/", views.ResultDetail.as_view(), name="result"),
    path("certificates/", views.CertificateList.as_view(), name="certificates"),
    path("certificates/<int:pk>/", views.CertificateDetail.as_view(), name="certificate"),
    path("performance/appraisals/", views.AppraisalList.as_view(), name="appraisals"),
    path("performance/appraisals/<int:pk>/", views.AppraisalDetail.as_view(), name="appraisal"),
    path("performance/ledger/", views.LedgerEntryList.as_view(), name="ledger"),
    path("performance/ledger/<int:pk>/", views.LedgerEntryDetail.as_view(), name="ledger_entry"),
]

urlpatterns = [
    path("v1/", include(v1_urlpatterns)),
    # the schema covers the HR API only (not Wagtail's admin API, also built on DRF)
    path(
        "schema/",
        SpectacularAPIView.as_view(urlconf="lms.integrations.schema_urls"),
        name="schema",
    ),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
