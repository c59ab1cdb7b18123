"""REST API routes of annotations (mounted under /api/)."""

from django.urls import path

from corpus.api.routers import Router

from annotations.api import exchange
from annotations.api.annotations import AnnotationViewSet
from annotations.api.comments import CommentViewSet
from annotations.api.legal import AssessmentViewSet, ClaimViewSet, FrameworkViewSet
from annotations.api.suggestions import SuggestionViewSet
from annotations.api.trust import AgreementView, AssignmentViewSet, HistoryViewSet

router = Router(trailing_slash=True)
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("comments", CommentViewSet, basename="comment")
router.register("tags", exchange.TagViewSet, basename="tag")
router.register("claims", ClaimViewSet, basename="claim")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("history", HistoryViewSet, basename="history")

urlpatterns = [
    path("agreement/", AgreementView.as_view(), name="api-agreement"),
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
