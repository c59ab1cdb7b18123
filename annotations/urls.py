"""HTML routes of annotations: dashboard, document list, annotator, tags."""

from django.urls import include, path

from annotations import bulk_assign, triage, views

urlpatterns = [
    path("p/<slug:slug>/", views.project_dashboard_view, name="project-dashboard"),
    path("p/<slug:slug>/documents/", views.document_list_view, name="document-list"),
    path(
        "p/<slug:slug>/documents/assign/",
        bulk_assign.documents_assign_view,
        name="documents-assign",
    ),
    path("p/<slug:slug>/d/<int:pk>/", views.annotator_view, name="annotator"),
    path(
        "p/<slug:slug>/d/<int:pk>/submit-next/",
        views.annotator_submit_next_view,
        name="annotator-submit-next",
    ),
    path("p/<slug:slug>/queue/", views.my_queue_view, name="my-queue"),
    path(
        "p/<slug:slug>/suggestions/",
        triage.suggestion_triage_view,
        name="triage",
    ),
    path("p/<slug:slug>/tags/", views.tags_view, name="tags"),
    path("p/<slug:slug>/tags/<int:pk>/", views.tag_edit_view, name="tag-edit"),
    path(
        "p/<slug:slug>/tags/distinct-colours/",
        views.tag_colours_distinct_view,
        name="tags-distinct-colours",
    ),
    path("", include("annotations.learning.urls")),
]
