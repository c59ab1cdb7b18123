"""The user's own page: name, email, and links to password and two-factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from accounts.forms import ProfileForm
from accounts.services import profile_update
from projects.forms import form_errors_from
from projects.permissions import signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    """Show and change the signed-in user's name and email."""
    user = signed_in_user(request)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("account-profile")
    return TemplateResponse(
        request,
        "accounts/profile.html",
        {"form": form, "two_factor": user_has_device(user, confirmed=True)},
        status=400 if form.errors else 200,
    )
