"""HTML routes of annotations."""

from django.urls import path

from . import exchange_views

urlpatterns: list = [
    path("p/<slug:slug>/export/", exchange_views.export_page, name="export"),
]
