from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.home, name="home"),
    path("ask/", views.ask, name="ask"),
    path("faq/", views.faq, name="faq"),
    path("faq/<int:pk>/withdraw/", views.faq_withdraw, name="faq_withdraw"),
    path("settings/", views.settings_view, name="settings"),
    path("<int:pk>/", views.question, name="question"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/files/<int:file_id>/", views.question_file, name="question_file"),
    path("report/", views.report_new, name="report_new"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/close/", views.report_close, name="report_close"),
    path("reports/<int:pk>/record/", views.report_record, name="report_record"),
    path("reports/<int:pk>/files/<int:file_id>/", views.report_file, name="report_file"),
]
