"""The short public verification address printed in the QR code: /verify/<token>/."""

from django.urls import path

from . import views

app_name = "verify"
urlpatterns = [
    path("", views.verify_by_serial, name="search"),
    path("<str:token>/", views.verify, name="certificate"),
]
