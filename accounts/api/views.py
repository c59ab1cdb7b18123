"""Token sign-in for scripts, respecting two-factor sign-in."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from accounts.policy import second_factor_required
from projects.errors import ApplicationError


class ObtainTokenView(ObtainAuthToken):
    """Trade a username and password for an API token.

    Users who turned on two-factor sign-in are refused: a password alone
    must not yield a credential that skips the second factor. They create
    tokens from the web (signed in with both factors) or the admin.
    """

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if second_factor_required(user):
            raise ApplicationError(
                "This account uses two-factor sign-in; a password alone cannot "
                "obtain an API token. Sign in with both factors and create one in "
                "the admin (Auth Token).",
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
