"""The members page: who is in a project, with which role (owners edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from projects.errors import ApplicationError
from projects.models import Membership, Project, Role
from projects.permissions import project_view
from projects.services import membership_remove, membership_set


@project_view(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def members_view(request, slug: str):
    """List members; owners add people, change roles and remove members."""
    project = request.project
    if request.method == "POST":
        if not request.membership.allows(Role.OWNER):
            raise PermissionDenied("Only owners manage members.")
        _apply(request)
        return redirect("members", slug=slug)
    members = (
        Membership.objects.filter(project=project)
        .select_related("user")
        .order_by("user__username")
    )
    return TemplateResponse(
        request,
        "projects/members.html",
        {
            "project": project,
            "members": members,
            "roles": Role.choices,
            "is_owner": request.membership.allows(Role.OWNER),
        },
    )


def _apply(request) -> None:
    project = request.project
    action = request.POST.get("action", "")
    role = request.POST.get("role", "")
    User = get_user_model()
    try:
        if action == "add":
            username = request.POST.get("username", "").strip()
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise ApplicationError(f"There is no active user named {username!r}.")
            if role not in Role.values:
                raise ApplicationError("Choose a role.")
            membership_set(project=project, user=user, role=role, actor=request.user)
            messages.success(request, f"{username} is now {role} of {project.name}.")
            return
        membership = (
            Membership.objects.filter(project=project, pk=request.POST.get("member"))
            .select_related("user")
            .first()
        )
        if membership is None:
            raise ApplicationError("That member is no longer in the project.")
        name = membership.user.get_username()
        if action == "role":
            if role not in Role.values:
                raise ApplicationError("Choose a role.")
            membership_set(
                project=project, user=membership.user, role=role, actor=request.user
            )
            messages.success(request, f"{name} is now {role}.")
        elif action == "remove":
            membership_remove(project=project, user=membership.user, actor=request.user)
            messages.success(request, f"{name} was removed from {project.name}.")
        else:
            raise ApplicationError("Unknown action.")
    except ApplicationError as exc:
        messages.error(request, exc.message)


@login_required
def home(request):
    """The projects the user belongs to, with their document counts."""
    projects = (
        Project.objects.for_user(request.user)
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("name")
    )
    return TemplateResponse(request, "projects/home.html", {"projects": projects})
