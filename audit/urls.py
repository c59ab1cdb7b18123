"""HTML routes of audit: the project's change history and its exports."""

from django.urls import path

from audit import views

urlpatterns = [
    path("p/<slug:slug>/history/", views.project_history_view, name="project-history"),
    path(
        "p/<slug:slug>/history/export.<str:fmt>",
        views.history_export_view,
        name="history-export",
    ),
    path(
        "p/<slug:slug>/history/<str:object_type>/<int:object_id>/",
        views.object_history_view,
        name="object-history",
    ),
]
