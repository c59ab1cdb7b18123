"""REST API routes of the legal analysis (mounted under /api/)."""

from legal.api import views
from projects.api.routers import Router

router = Router(trailing_slash=True)
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("incidents", views.IncidentViewSet, basename="incident")

urlpatterns = [*router.urls]
