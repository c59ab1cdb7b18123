"""REST API routes of projects (mounted under /api/)."""

from projects.api.routers import Router
from projects.api.views import ProjectViewSet

router = Router(trailing_slash=True)
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = [*router.urls]
