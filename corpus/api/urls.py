"""REST API routes of the corpus (mounted under /api/)."""

from django.urls import path

from corpus.api.routers import Router

from corpus.api import views
from corpus.api.auth import ObtainTokenView

router = Router(trailing_slash=True)
router.register("projects", views.ProjectViewSet, basename="project")
router.register("documents", views.DocumentViewSet, basename="api-document")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("search/", views.SearchView.as_view(), name="api-search"),
    *router.urls,
]
