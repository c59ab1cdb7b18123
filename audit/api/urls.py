"""REST API routes of audit (mounted under /api/)."""

from audit.api.views import HistoryViewSet
from projects.api.routers import Router

router = Router(trailing_slash=True)
router.register("history", HistoryViewSet, basename="history")

urlpatterns = [*router.urls]
