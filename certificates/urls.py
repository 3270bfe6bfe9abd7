from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/pdf/", views.download_pdf, name="download"),
    path("verify/", views.verify_by_serial, name="search"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
