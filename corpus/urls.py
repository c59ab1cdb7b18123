"""HTML routes of the corpus: ingestion, jobs, originals and assignments."""

from django.urls import path

from corpus import edit_views, social_views, views

urlpatterns = [
    path("p/<slug:slug>/ingest/", views.ingest, name="ingest"),
    path("p/<slug:slug>/jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path(
        "p/<slug:slug>/d/<int:pk>/original/",
        views.document_original,
        name="document-original",
    ),
    path("p/<slug:slug>/d/<int:pk>/warc/", views.document_warc, name="document-warc"),
    path(
        "p/<slug:slug>/d/<int:pk>/edit/",
        edit_views.document_edit_view,
        name="document-edit",
    ),
    path(
        "p/<slug:slug>/d/<int:pk>/source/",
        views.document_source_view,
        name="document-source",
    ),
    path(
        "p/<slug:slug>/social/accounts/",
        social_views.social_accounts_view,
        name="social-accounts",
    ),
    path(
        "p/<slug:slug>/social/accounts/<int:pk>/",
        social_views.social_account_edit_view,
        name="social-account-edit",
    ),
    path("p/<slug:slug>/assignments/", views.assignments_view, name="assignments"),
    path(
        "p/<slug:slug>/assignments/settings/",
        views.blind_mode_view,
        name="assignments-settings",
    ),
    path(
        "p/<slug:slug>/assignments/<int:pk>/<str:action>/",
        views.assignment_action_view,
        name="assignment-action",
    ),
]
