from django.urls import path

from . import views

app_name = "duties"
urlpatterns = [
    path("", views.entries, name="entries"),
    path("new/", views.entry_new, name="entry_new"),
    path("summary/", views.summary, name="summary"),
    path("summary/export.xlsx", views.summary_export, name="summary_export"),
    path("summary/export.docx", views.summary_word, name="summary_word"),
    path(
        "<int:pk>/files/<int:file_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
