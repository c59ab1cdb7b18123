"""HTML routes of the corpus."""

from django.urls import path

from corpus import views, views_ingest, views_members

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:slug>/members/", views_members.members_view, name="members"),
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
