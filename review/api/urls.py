"""REST API routes of review (mounted under /api/)."""

from django.urls import path

from review.api.views import AgreementView

urlpatterns = [
    path("agreement/", AgreementView.as_view(), name="api-agreement"),
]
