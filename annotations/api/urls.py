"""REST API routes of annotations (mounted under /api/)."""

from django.urls import include, path

from annotations.api import views
from projects.api.routers import Router

router = Router(trailing_slash=True)
router.register("annotations", views.AnnotationViewSet, basename="annotation")
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("tags", views.TagViewSet, basename="tag")

urlpatterns = [*router.urls, path("", include("annotations.learning.api_urls"))]
