"""Token sign-in for scripts, respecting two-factor sign-in."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from accounts.policy import second_factor_required
from projects.api.schema import ErrorOutputSerializer
from projects.errors import ApplicationError


class ObtainTokenView(ObtainAuthToken):
    """Trade a username and password for an API token.

    Users who turned on two-factor sign-in are refused: a password alone
    must not yield a credential that skips the second factor. They create
    tokens from the web (signed in with both factors) or the admin.
    """

    class InputSerializer(AuthTokenSerializer):
        """``username`` and ``password``, checked by DRF's own serializer
        (``authenticate``, with its messages)."""

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(help_text="Send as 'Authorization: Token …'.")

    serializer_class = InputSerializer

    @extend_schema(
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                ErrorOutputSerializer,
                description="Wrong credentials, or the account uses two factors.",
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = data.validated_data["user"]
        if second_factor_required(user):
            raise ApplicationError(
                "This account uses two-factor sign-in; a password alone cannot "
                "obtain an API token. Sign in with both factors and create one in "
                "the admin (Auth Token).",
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response(self.OutputSerializer({"token": token.key}).data)
