"""REST API routes of annotations (mounted under /api/)."""

from rest_framework.routers import DefaultRouter

from .annotations import AnnotationViewSet
from .comments import CommentViewSet
from .suggestions import SuggestionViewSet

router = DefaultRouter(trailing_slash=True)
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("comments", CommentViewSet, basename="comment")

urlpatterns = router.urls
