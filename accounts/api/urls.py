"""REST API routes of accounts (mounted under /api/)."""

from django.urls import path

from accounts.api.views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
]
