"""REST API routes of annotations (mounted under /api/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .trust import AgreementView, AssignmentViewSet, HistoryViewSet

router = DefaultRouter(trailing_slash=True)
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("history", HistoryViewSet, basename="history")

urlpatterns = [
    path("agreement/", AgreementView.as_view(), name="api-agreement"),
    *router.urls,
]
