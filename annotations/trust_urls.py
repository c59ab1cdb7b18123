"""HTML routes of the team and trust pages (assignments, agreement,
adjudication, history, tags). Included from ``annotations/urls.py``."""

from django.urls import path

from annotations import views_adjudication, views_agreement, views_assignments, views_history, views_taxonomy

urlpatterns = [
    path(
        "p/<slug:slug>/assignments/",
        views_assignments.assignments_view,
        name="assignments",
    ),
    path(
        "p/<slug:slug>/assignments/settings/",
        views_assignments.blind_mode_view,
        name="assignments-settings",
    ),
    path(
        "p/<slug:slug>/assignments/<int:pk>/<str:action>/",
        views_assignments.assignment_action_view,
        name="assignment-action",
    ),
    path("p/<slug:slug>/queue/", views_assignments.my_queue_view, name="my-queue"),
    path("p/<slug:slug>/agreement/", views_agreement.agreement_view, name="agreement"),
    path(
        "p/<slug:slug>/agreement/export.csv",
        views_agreement.agreement_csv_view,
        name="agreement-csv",
    ),
    path(
        "p/<slug:slug>/adjudicate/",
        views_adjudication.adjudication_list_view,
        name="adjudication-list",
    ),
    path(
        "p/<slug:slug>/adjudicate/<int:pk>/",
        views_adjudication.adjudicate_view,
        name="adjudicate",
    ),
    path(
        "p/<slug:slug>/history/",
        views_history.project_history_view,
        name="project-history",
    ),
    path(
        "p/<slug:slug>/history/export.<str:fmt>",
        views_history.history_export_view,
        name="history-export",
    ),
    path(
        "p/<slug:slug>/history/<str:object_type>/<int:object_id>/",
        views_history.object_history_view,
        name="object-history",
    ),
    path("p/<slug:slug>/tags/", views_taxonomy.tags_view, name="tags"),
    path("p/<slug:slug>/tags/<int:pk>/", views_taxonomy.tag_edit_view, name="tag-edit"),
]
