"""Sign-in with an optional second step, and the two-factor set-up pages.

A user with a confirmed TOTP device is not logged in by the password alone:
the password step stores a short-lived "pending" marker in the session and
only the one-time code step calls ``login()``. Until then the user is
anonymous everywhere, so no view can be reached half-authenticated.
"""

from __future__ import annotations

import logging
import time

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import TokenForm
from accounts.qr import qr_svg
from accounts.services import (
    totp_device_confirm,
    totp_device_pending,
    totp_devices_remove,
)

audit = logging.getLogger("glossa.audit")

PENDING_KEY = "glossa_2fa_pending"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Password step; hands over to the code step for users with 2FA."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not user_has_device(user, confirmed=True):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "next": self.get_redirect_url(),
            "until": time.time() + PENDING_SECONDS,
        }
        return HttpResponseRedirect(reverse("account-2fa-verify"))


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("until", 0) < time.time():
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user_id"]).first()
    if user is None or not user.is_active:
        return None, None
    return user, pending


@require_http_methods(["GET", "POST"])
def verify_view(request):
    """Second sign-in step: the six-digit code from the user's app."""
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, "Your sign-in expired. Please log in again.")
        return redirect("login")
    error = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        device = _verify(user, form.cleaned_data["token"]) if form.is_valid() else None
        if device is not None:
            del request.session[PENDING_KEY]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            target = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, require_https=request.is_secure()
            ):
                target = reverse("home")
            return HttpResponseRedirect(target)
        error = "That code is not valid. Check your app's clock and try again."
        audit.warning("2fa_failed user=%s", user.get_username())
        if _throttled(user):
            error = "Too many wrong codes: wait a few seconds, then try again."
    return TemplateResponse(
        request, "accounts/2fa_verify.html", {"error": error}, status=200
    )


def _verify(user, token: str):
    """The confirmed device that accepts ``token`` (digits only), or None.

    django-otp throttles each device: after a wrong code the next attempt
    must wait (1 s, 2 s, 4 s... doubling), so codes cannot be guessed.
    """
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def _throttled(user) -> bool:
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


@login_required
def twofactor_view(request):
    """Whether two-factor sign-in is on, with links to turn it on or off."""
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    return TemplateResponse(
        request, "accounts/2fa.html", {"devices": devices, "enabled": devices.exists()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def twofactor_setup_view(request):
    """Show a new secret as a QR code; turn 2FA on once a code checks out."""
    device = totp_device_pending(user=request.user)
    error = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            totp_device_confirm(user=request.user, device=device)
            otp_login(request, device)
            audit.info("2fa_enabled user=%s", request.user.get_username())
            messages.success(
                request, "Two-factor sign-in is on: you will be asked for a code."
            )
            return redirect("account-2fa")
        error = "That code is not valid. Scan the code again and enter a new one."
    return TemplateResponse(
        request,
        "accounts/2fa_setup.html",
        {
            "qr": qr_svg(device.config_url),
            "secret": _base32(device.bin_key),
            "error": error,
        },
    )


@login_required
@require_http_methods(["POST"])
def twofactor_disable_view(request):
    """Turn 2FA off; needs a current code so a stolen session cannot."""
    form = TokenForm(request.POST)
    if not form.is_valid() or _verify(request.user, form.cleaned_data["token"]) is None:
        messages.error(request, "That code is not valid; two-factor sign-in stays on.")
        return redirect("account-2fa")
    totp_devices_remove(user=request.user)
    audit.info("2fa_disabled user=%s", request.user.get_username())
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("account-2fa")


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")
