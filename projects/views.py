"""The project list, the "New project" page, and the members page (who is in
a project, with which role; owners edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from projects.errors import ApplicationError
from projects.forms import MemberForm, ProjectCreateForm, form_errors_from
from projects.htmx import page_or_partial
from projects.models import Membership, Project, Role
from projects.permissions import project_view, require_role, signed_in_user
from projects.services import membership_remove, membership_set, project_create


@project_view(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def members_view(request, slug: str):
    """List members; owners add people, change roles and remove members."""
    project = request.project
    if request.method == "POST":
        require_role(request, Role.OWNER)
        form = MemberForm(request.POST, project=project)
        if form.is_valid():
            try:
                done = _member_change(request, form.cleaned_data)
            except ApplicationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, done)
                return redirect("members", slug=slug)
        messages.error(request, form_errors_from(form))
        return redirect("members", slug=slug)
    members = (
        Membership.objects.filter(project=project)
        .select_related("user")
        .order_by("user__username")
    )
    # After a change the browser follows the redirect here; htmx (whose
    # request header the redirect keeps) gets the table alone.
    return page_or_partial(
        request,
        page="projects/members.html",
        partial="projects/_members.html",
        context={
            "project": project,
            "members": members,
            "roles": Role.choices,
            "is_owner": request.membership.allows(Role.OWNER),
        },
    )


def _member_change(request, data: dict) -> str:
    """Call the service the valid member form asks for; say what was done."""
    project, action, role = request.project, data["action"], data["role"]
    if action == "add":
        user = data["user"]
        membership_set(project=project, user=user, role=role, actor=request.user)
        return f"{user.get_username()} is now {role} of {project.name}."
    member = data["member"]
    name = member.user.get_username()
    if action == "role":
        membership_set(project=project, user=member.user, role=role, actor=request.user)
        return f"{name} is now {role}."
    membership_remove(project=project, user=member.user, actor=request.user)
    return f"{name} was removed from {project.name}."


@login_required
def home(request):
    """The projects the user belongs to, with their document counts."""
    projects = (
        Project.objects.for_user(request.user)
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("name")
    )
    return TemplateResponse(request, "projects/home.html", {"projects": projects})


@login_required
@require_http_methods(["GET", "POST"])
def project_new_view(request):
    """Any signed-in user starts a project and becomes its owner.

    Made through ``project_create``, so the default tags and legal
    framework are loaded before the owner lands on the new dashboard.
    """
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = project_create(
                name=data["name"],
                description=data["description"],
                acting_states=data["acting_states"],
                blind_mode=data["blind_mode"],
                created_by=signed_in_user(request),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request, f"{project.name} is ready: invite your colleagues."
            )
            return redirect("project-dashboard", slug=project.slug)
    return TemplateResponse(
        request,
        "projects/project_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
