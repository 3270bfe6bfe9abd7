from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("", views.quarters, name="quarters"),
    path("quarter/", views.quarter, name="quarter"),
    path("quarter/report.docx", views.quarter_word, name="quarter_word"),
    path("quarter/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/finalise/", views.meeting_lock, name="meeting_lock"),
    path("meetings/<int:pk>/files/<int:file_id>/", views.attachment_download, name="attachment"),
]
