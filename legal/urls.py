"""HTML routes of the legal analysis (included from the project URLconf)."""

from django.urls import path

from legal import views

urlpatterns = [
    path("p/<slug:slug>/claims/", views.claim_list_view, name="claim-list"),
    path(
        "p/<slug:slug>/claims/<int:pk>/", views.claim_detail_view, name="claim-detail"
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/edit/", views.claim_edit_view, name="claim-edit"
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/delete/",
        views.claim_delete_view,
        name="claim-delete",
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/link/", views.claim_link_view, name="claim-link"
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/unlink/",
        views.claim_unlink_view,
        name="claim-unlink",
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/translate/",
        views.claim_translate_view,
        name="claim-translate",
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/quantities/",
        views.quantity_add_view,
        name="claim-quantity-add",
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/quantities/<int:qpk>/remove/",
        views.quantity_remove_view,
        name="claim-quantity-remove",
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/assessments/",
        views.assessment_create_view,
        name="assessment-create",
    ),
    path(
        "p/<slug:slug>/claims/<int:pk>/assessments/<int:apk>/",
        views.assessment_edit_view,
        name="assessment-edit",
    ),
    path("p/<slug:slug>/incidents/", views.incident_list_view, name="incidents"),
    path("p/<slug:slug>/incidents/tallies/", views.tallies_view, name="tallies"),
    path(
        "p/<slug:slug>/incidents/proposals/",
        views.incident_proposals_view,
        name="incident-proposals",
    ),
    path(
        "p/<slug:slug>/incidents/export.<str:fmt>",
        views.incident_export_view,
        name="incident-export",
    ),
    path(
        "p/<slug:slug>/incidents/<int:pk>/",
        views.incident_detail_view,
        name="incident-page",
    ),
    path(
        "p/<slug:slug>/incidents/<int:pk>/edit/",
        views.incident_edit_view,
        name="incident-edit",
    ),
    path(
        "p/<slug:slug>/incidents/<int:pk>/delete/",
        views.incident_delete_view,
        name="incident-delete",
    ),
    path(
        "p/<slug:slug>/incidents/<int:pk>/claims/<str:action>/",
        views.incident_claim_view,
        name="incident-claim",
    ),
    path(
        "p/<slug:slug>/incidents/<int:pk>/grade/<str:what>/",
        views.incident_grade_view,
        name="incident-grade",
    ),
    path("p/<slug:slug>/framework/", views.framework_view, name="framework"),
    path(
        "p/<slug:slug>/framework/import/",
        views.framework_import_view,
        name="framework-import",
    ),
    path(
        "p/<slug:slug>/framework/edit/",
        views.framework_edit_view,
        name="framework-edit",
    ),
    path(
        "p/<slug:slug>/framework/<int:fpk>/export/",
        views.framework_export_view,
        name="framework-export",
    ),
    path("p/<slug:slug>/matrix/", views.matrix_view, name="matrix"),
    path(
        "p/<slug:slug>/matrix/element/<int:epk>/",
        views.matrix_drilldown_view,
        name="matrix-drilldown",
    ),
    path("p/<slug:slug>/timeline/", views.timeline_view, name="timeline"),
    path("p/<slug:slug>/reports/", views.reports_view, name="reports"),
    path(
        "p/<slug:slug>/reports/brief.html", views.report_html_view, name="report-html"
    ),
    path("p/<slug:slug>/reports/brief.pdf", views.report_pdf_view, name="report-pdf"),
]
