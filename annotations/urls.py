"""HTML routes of annotations."""

from django.urls import include, path

from annotations import exchange_views, views

urlpatterns: list = [
    path("p/<slug:slug>/", views.project_dashboard_view, name="project-dashboard"),
    path("p/<slug:slug>/documents/", views.document_list_view, name="document-list"),
    path("p/<slug:slug>/d/<int:pk>/", views.annotator_view, name="annotator"),
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
