"""The URLs the OpenAPI schema describes: the HR API alone, at its real address."""

from django.urls import include, path

from .urls import v1_urlpatterns

urlpatterns = [path("api/v1/", include(v1_urlpatterns))]
