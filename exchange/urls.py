"""HTML routes of exchange: the export page and export jobs."""

from django.urls import path

from exchange import views

urlpatterns = [
    path("p/<slug:slug>/export/", views.export_page, name="export"),
    path("p/<slug:slug>/export/jobs/<int:pk>/", views.export_job, name="export-job"),
    path(
        "p/<slug:slug>/export/jobs/<int:pk>/download/",
        views.export_job_download,
        name="export-job-download",
    ),
]
