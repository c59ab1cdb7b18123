"""HTML routes of annotations."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("annotations.legal_urls")),
    path("", include("annotations.trust_urls")),
]
