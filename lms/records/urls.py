from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.my_record, name="my_record"),
    path("appraisal/", views.appraisal, name="appraisal"),
    path("appraisal/export.csv", views.appraisal_export, {"fmt": "csv"}, name="export_csv"),
    path("appraisal/export.xlsx", views.appraisal_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("appraisal/people/<int:staff_id>/", views.person, name="person"),
    path("appraisal/people/<int:staff_id>/amend/", views.appraisal_amend, name="appraisal_amend"),
    path("appraisal/close/", views.year_close, name="year_close"),
    path("honour-roll/", views.honour_roll, name="honour_roll"),
    path("awards/new/", views.award_new, name="award_new"),
    path("policy/", views.policy, name="policy"),
    path("violations/", views.violations, name="violations"),
    path("violations/new/", views.violation_new, name="violation_new"),
    path("violations/<int:pk>/", views.violation, name="violation"),
]
