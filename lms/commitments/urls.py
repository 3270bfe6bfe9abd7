from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.letter, name="letter"),
    path("<int:pk>/pdf/", views.letter_pdf, name="pdf"),
    path("check/<str:token>/", views.check, name="check"),
    path("campaigns/<int:pk>/progress/", views.campaign_progress, name="progress"),
]
