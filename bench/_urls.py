"""The site's URLs plus the bench's floor view (bench/_floor.py)."""

from django.urls import path

from bench import _floor
from lms.urls import urlpatterns as site

urlpatterns = [path("bench/floor/save", _floor.save, name="bench_floor_save"), *site]
