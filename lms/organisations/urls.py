from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisations/coverage/", views.coverage_report, name="coverage"),
    path("organisations/group/", views.group, name="group"),
    path(
        "organisations/group/<int:organisation_id>/",
        views.group_subsidiary,
        name="group_subsidiary",
    ),
]
