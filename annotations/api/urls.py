"""REST API routes of annotations (mounted under /api/)."""

from rest_framework.routers import DefaultRouter

from .legal import AssessmentViewSet, ClaimViewSet, FrameworkViewSet

router = DefaultRouter(trailing_slash=True)
router.register("claims", ClaimViewSet, basename="claim")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("frameworks", FrameworkViewSet, basename="framework")

urlpatterns = router.urls
