"""HTML pages of the social-media account registry.

Members read it; analysts and up (the roles that edit documents) add, edit
and remove accounts, since an account decides whose claim its posts are.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from corpus.models import Platform, SocialAccount
from corpus.social_forms import SocialAccountForm
from corpus.social_selectors import social_accounts, unregistered_handles
from corpus.social_services import (
    social_account_create,
    social_account_delete,
    social_account_update,
)
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.models import Role
from projects.permissions import project_view, require_role


def _initial(request) -> dict[str, str]:
    """Prefill from "register this account" links (?platform=&handle=&claimant=)."""
    platform = request.GET.get("platform", "")
    return {
        "platform": platform if platform in Platform.values else "",
        "handle": request.GET.get("handle", "")[:200],
        "claimant": request.GET.get("claimant", "")[:300],
    }


@project_view(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def social_accounts_view(request, slug: str):
    """The registry, the accounts seen in posts but not registered, and a
    form to register one."""
    project = request.project
    can_edit = request.membership.allows(Role.ANALYST)
    form = SocialAccountForm(initial=_initial(request))
    if request.method == "POST":
        require_role(request, Role.ANALYST)
        form = SocialAccountForm(request.POST)
        if form.is_valid():
            try:
                account = social_account_create(
                    project=project, user=request.user, **form.cleaned_data
                )
            except (ValidationError, ApplicationError) as exc:
                messages.error(request, form_errors_from(form, exc))
            else:
                messages.success(
                    request,
                    f"{account.handle} is registered as {account.claimant} "
                    f"({account.get_claimant_type_display()}); its posts are "
                    "analysed again.",
                )
                return redirect("social-accounts", slug=slug)
    return TemplateResponse(
        request,
        "corpus/social_accounts.html",
        {
            "project": project,
            "accounts": social_accounts(project),
            "unregistered": unregistered_handles(project),
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )


@project_view(Role.ANALYST)
@require_http_methods(["GET", "POST"])
def social_account_edit_view(request, slug: str, pk: int):
    """Edit or remove one account."""
    account = get_object_or_404(SocialAccount, pk=pk, project=request.project)
    form = SocialAccountForm(instance=account)
    if request.method == "POST":
        if "delete" in request.POST:
            social_account_delete(account=account, user=request.user)
            messages.success(
                request, f"{account.handle} was removed from the registry."
            )
            return redirect("social-accounts", slug=slug)
        form = SocialAccountForm(request.POST, instance=SocialAccount(pk=account.pk))
        if form.is_valid():
            try:
                social_account_update(
                    account=account, user=request.user, **form.cleaned_data
                )
            except (ValidationError, ApplicationError) as exc:
                messages.error(request, form_errors_from(form, exc))
            else:
                messages.success(request, "The account was saved.")
                return redirect("social-accounts", slug=slug)
    return TemplateResponse(
        request,
        "corpus/social_account_edit.html",
        {"project": request.project, "account": account, "form": form},
        status=400 if request.method == "POST" else 200,
    )
