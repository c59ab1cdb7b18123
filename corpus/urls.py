"""HTML routes of the corpus."""

from django.urls import path

from . import views, views_ingest

urlpatterns = [
    path("", views.home, name="home"),
    # Ingestion (ingest branch).
    path("p/<slug:slug>/ingest/", views_ingest.ingest, name="ingest"),
    path("p/<slug:slug>/jobs/<int:pk>/", views_ingest.job_detail, name="job-detail"),
    path(
        "p/<slug:slug>/d/<int:pk>/original/",
        views_ingest.document_original,
        name="document-original",
    ),
    path(
        "p/<slug:slug>/d/<int:pk>/warc/",
        views_ingest.document_warc,
        name="document-warc",
    ),
]
