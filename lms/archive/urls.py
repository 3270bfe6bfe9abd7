from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("people/<int:staff_id>/", views.person, name="person"),
    path("people/<int:staff_id>/pdf/", views.person_pdf, name="person_pdf"),
    path("", views.inspections, name="inspections"),
    path("<int:archive_id>/", views.archive, name="archive"),
    path("<int:archive_id>/status/", views.archive_status, name="status"),
    path("<int:archive_id>/download/", views.archive_download, name="download"),
    path("<int:archive_id>/retry/", views.archive_retry, name="retry"),
]
