"""REST API routes of exchange (mounted under /api/)."""

from django.urls import path

from exchange.api import views

urlpatterns = [
    path("projects/<slug:slug>/export/", views.ExportView.as_view(), name="api-export"),
    path("projects/<slug:slug>/import/", views.ImportView.as_view(), name="api-import"),
    path(
        "imports/archive/",
        views.ArchiveImportView.as_view(),
        name="api-import-archive",
    ),
]
