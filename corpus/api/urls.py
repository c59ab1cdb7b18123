"""REST API routes of the corpus (mounted under /api/)."""

from django.urls import path

from corpus.api import social, views
from projects.api.routers import Router

router = Router(trailing_slash=True)
router.register("documents", views.DocumentViewSet, basename="api-document")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register(
    "social-accounts", social.SocialAccountViewSet, basename="api-social-account"
)

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="api-search"),
    *router.urls,
]
