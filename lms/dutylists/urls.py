from django.urls import path

from . import views

app_name = "dutylists"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("acknowledge/<int:pk>/", views.acknowledge, name="acknowledge"),
    path("coverage/", views.coverage, name="coverage"),
    path("positions/<int:position_id>/", views.edit, name="edit"),
    path("positions/<int:position_id>/courses/", views.add_courses, name="add_courses"),
]
