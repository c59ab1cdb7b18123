"""Token sign-in for scripts, respecting two-factor sign-in."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
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
            429: OpenApiResponse(
                ErrorOutputSerializer,
                description="Locked after too many failed sign-ins (as /login/).",
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        valid = data.is_valid()
        if _locked_out(request):
            # As the login page does (django-axes' lockout, 429), instead of
            # DRF's "Unable to log in", which would hide the lockout.
            return Response(
                {
                    "message": "Too many failed sign-ins for this account from "
                    "this address; it is locked for "
                    f"{settings.AXES_COOLOFF_TIME} hour(s). Try again later.",
                    "extra": {"code": "locked_out"},
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if not valid:
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


def _locked_out(request) -> bool:
    """Whether django-axes refused this sign-in as locked out.

    Its backend marks the request it was given: DRF's serializer passes the
    DRF request, the middleware sees Django's.
    """
    return bool(
        getattr(request, "axes_locked_out", False)
        or getattr(getattr(request, "_request", None), "axes_locked_out", False)
    )
