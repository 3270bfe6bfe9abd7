from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("assign/", views.assign, name="assign"),
    path("enrolments/<int:enrolment_id>/waive/", views.waive, name="waive"),
]
