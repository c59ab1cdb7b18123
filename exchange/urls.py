"""HTML routes of exchange: the export page, export jobs and the documents'
text representation."""

from django.urls import path

from exchange import views

urlpatterns = [
    path("p/<slug:slug>/export/", views.export_page, name="export"),
    path(
        "p/<slug:slug>/d/<int:pk>/text.txt", views.document_text, name="document-text"
    ),
    path("p/<slug:slug>/export/jobs/<int:pk>/", views.export_job, name="export-job"),
    path(
        "p/<slug:slug>/export/jobs/<int:pk>/download/",
        views.export_job_download,
        name="export-job-download",
    ),
]
