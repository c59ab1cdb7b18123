"""REST API routes of annotations (mounted under /api/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import exchange

router = DefaultRouter(trailing_slash=True)
router.register("tags", exchange.TagViewSet, basename="tag")

urlpatterns = [
    path(
        "projects/<slug:slug>/export/", exchange.ExportView.as_view(), name="api-export"
    ),
    path(
        "projects/<slug:slug>/import/", exchange.ImportView.as_view(), name="api-import"
    ),
    path(
        "imports/archive/",
        exchange.ArchiveImportView.as_view(),
        name="api-import-archive",
    ),
    *router.urls,
]
