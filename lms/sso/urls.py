from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("<int:idp_id>/start/", views.start, name="start"),
]
