from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.my_exams, name="my_exams"),
    path("<int:exam_id>/", views.exam_start, name="exam_start"),
    path("attempts/<int:attempt_id>/", views.attempt_take, name="attempt_take"),
    path("attempts/<int:attempt_id>/save", views.response_save, name="response_save"),
    path("attempts/<int:attempt_id>/submit", views.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/event", views.attempt_event, name="attempt_event"),
    path("attempts/<int:attempt_id>/time", views.attempt_time, name="attempt_time"),
    path("attempts/<int:attempt_id>/result", views.attempt_result, name="attempt_result"),
    path("knowledge-check/answer", views.knowledge_check_answer, name="knowledge_check_answer"),
]
