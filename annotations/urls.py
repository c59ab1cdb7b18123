"""HTML routes of annotations."""

from django.urls import include, path

from . import exchange_views

urlpatterns: list = [
    path("", include("annotations.legal_urls")),
    path("", include("annotations.trust_urls")),
    path("p/<slug:slug>/export/", exchange_views.export_page, name="export"),
    path(
        "p/<slug:slug>/export/jobs/<int:pk>/",
        exchange_views.export_job,
        name="export-job",
    ),
    path(
        "p/<slug:slug>/export/jobs/<int:pk>/download/",
        exchange_views.export_job_download,
        name="export-job-download",
    ),
]
