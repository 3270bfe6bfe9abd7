from django.urls import include, path

from . import views

urlpatterns = [
    path(
        "wecom/<str:provider_id>/",
        include(
            [
                path("login/", views.login, name="wecom_login"),
                path("login/callback/", views.callback, name="wecom_callback"),
            ]
        ),
    )
]
