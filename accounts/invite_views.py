"""Invitations by email: owners send them from the members page, and the
link lets the invited person create an account or join with their own.

The link is a bearer secret: it works once, until it expires. A visitor
who already has an account with the invited address is asked to sign in
first, so nobody creates a second account by mistake.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import InviteForm, InviteSignupForm
from accounts.models import ProjectInvitation
from accounts.services import (
    invitation_accept,
    invitation_accept_new_user,
    invitation_for_key,
    invitation_problem,
    invitation_revoke,
    invitation_send,
)
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.htmx import page_or_partial
from projects.models import Role
from projects.permissions import project_view, signed_in_user


@project_view(Role.OWNER)
@require_http_methods(["GET", "POST"])
def invite_view(request, slug: str):
    """Owners invite someone by email with a role; pending invitations listed."""
    project = request.project
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_send(
                project=project,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                inviter=signed_in_user(request),
                request=request,
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email} "
                f"({invitation.get_role_display().lower()}).",
            )
            return redirect("members-invite", slug=slug)
    pending = [
        invitation
        for invitation in ProjectInvitation.objects.filter(
            project=project, accepted=False, revoked_at__isnull=True
        )
        .select_related("inviter")
        .order_by("-sent")
        if not invitation.key_expired()
    ]
    # The record of invitations no longer pending: used or withdrawn.
    closed = (
        ProjectInvitation.objects.filter(project=project)
        .filter(Q(accepted=True) | Q(revoked_at__isnull=False))
        .select_related("inviter", "accepted_by", "revoked_by")
        .order_by("-revoked_at", "-sent")[:20]
    )
    # htmx (after an invitation, a revocation, or a form with errors) gets
    # the invitations panel alone; the redirects above keep its header.
    return page_or_partial(
        request,
        page="accounts/invite.html",
        partial="accounts/_invitations.html",
        context={
            "project": project,
            "form": form,
            "pending": pending,
            "closed": closed,
        },
        status=400 if form.errors else 200,
    )


@project_view(Role.OWNER)
@require_POST
def invite_revoke_view(request, slug: str, pk: int):
    """Owners withdraw a pending invitation; its link stops working."""
    invitation = get_object_or_404(
        ProjectInvitation.objects.select_related("project"),
        project=request.project,
        pk=pk,
    )
    try:
        invitation_revoke(invitation=invitation, actor=signed_in_user(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The invitation of {invitation.email} is revoked.")
    return redirect("members-invite", slug=slug)


@require_http_methods(["GET", "POST"])
def invite_accept_view(request, key: str):
    """Open an invitation: join with the signed-in account, sign in with the
    existing account of that address, or create one."""
    invitation = invitation_for_key(key)
    problem = invitation_problem(invitation)
    if problem or invitation is None:
        return TemplateResponse(
            request, "accounts/invite_accept.html", {"problem": problem}, status=410
        )
    context: dict = {"invitation": invitation, "project": invitation.project}
    if request.user.is_authenticated:
        if request.method == "POST":
            return _accept(request, invitation)
        return TemplateResponse(request, "accounts/invite_accept.html", context)
    has_account = (
        get_user_model()
        .objects.filter(email__iexact=invitation.email, is_active=True)
        .exists()
    )
    if has_account:
        context["login_url"] = (
            f"{reverse('login')}?next={reverse('invite-accept', args=[key])}"
        )
        return TemplateResponse(request, "accounts/invite_accept.html", context)
    form = InviteSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitation_accept_new_user(
                invitation=invitation,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            auth_login(
                request, user, backend="django.contrib.auth.backends.ModelBackend"
            )
            messages.success(
                request,
                f"Welcome to {invitation.project.name}: you are "
                f"{invitation.get_role_display().lower()}.",
            )
            return redirect("project-dashboard", slug=invitation.project.slug)
    context["form"] = form
    return TemplateResponse(
        request,
        "accounts/invite_accept.html",
        context,
        status=400 if form.errors else 200,
    )


def _accept(request, invitation: ProjectInvitation):
    try:
        membership = invitation_accept(
            invitation=invitation, user=signed_in_user(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    messages.success(
        request,
        f"You joined {invitation.project.name} as "
        f"{membership.get_role_display().lower()}.",
    )
    return redirect("project-dashboard", slug=invitation.project.slug)
