from django.urls import path

from . import views

app_name = "spotchecks"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_form, name="campaign_new"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("recusals/", views.recusals, name="recusals"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_form, name="campaign_edit"),
    path("<int:pk>/commit/", views.campaign_commit, name="campaign_commit"),
    path("<int:pk>/draw/", views.campaign_draw, name="campaign_draw"),
    path("<int:pk>/start/", views.campaign_start, name="campaign_start"),
    path("<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("<int:pk>/progress.json", views.campaign_progress_json, name="campaign_progress"),
    path("<int:pk>/results.xlsx", views.campaign_export, name="campaign_export"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/files/<int:attachment_id>/",
        views.rectification_attachment,
        name="rectification_attachment",
    ),
    path("enterprise/", views.enterprise_list, name="enterprise_list"),
    path("enterprise/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("mine/", views.my_spot_checks, name="my_spot_checks"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("public/<int:pk>/record.json", views.public_record, name="public_record"),
    path("public/<int:pk>/results.xlsx", views.public_export, name="public_export"),
]
