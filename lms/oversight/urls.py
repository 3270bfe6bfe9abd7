from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("self-inspections/", views.self_inspections, name="self_inspections"),
    path(
        "self-inspections/due/<int:regulator_id>/<int:year>/",
        views.self_inspection_due_set,
        name="self_inspection_due_set",
    ),
    path("enterprise/<int:organisation_id>/", views.enterprise, name="enterprise"),
    path(
        "enterprise/<int:organisation_id>/risk-grade/",
        views.risk_grade_confirm,
        name="risk_grade_confirm",
    ),
    path("self-inspection/", views.self_inspection, name="self_inspection"),
    path(
        "self-inspection/<int:organisation_id>/<int:year>/draft.docx",
        views.self_inspection_draft,
        name="self_inspection_draft",
    ),
    path(
        "self-inspection/<int:organisation_id>/<int:year>/submit/",
        views.self_inspection_submit,
        name="self_inspection_submit",
    ),
    path(
        "self-inspection/<int:organisation_id>/<int:year>/report/",
        views.self_inspection_file,
        name="self_inspection_file",
    ),
]
