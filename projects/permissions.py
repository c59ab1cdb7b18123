"""The one permission layer: every view, endpoint, export and download uses it.

Non-members get ``Http404`` (a project's existence is itself confidential);
members whose role is too low get ``PermissionDenied``.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from projects.models import Membership, Project, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class ProjectRequest(HttpRequest):
    """The request a ``project_view`` view gets: a signed-in member's.

    Only a type for annotations (``request: ProjectRequest``): the decorator
    sets these attributes on Django's ordinary request object.
    """

    user: User
    project: Project
    membership: Membership
    role_rank: int


def signed_in_user(request: HttpRequest | Request) -> User:
    """The request's user, where a decorator or permission class already
    required sign-in: services take a ``User``, never an anonymous one, and a
    view that forgot its check gets a 403 here rather than reaching them."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user


def membership_for(user: User | AnonymousUser, project: Project) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(project=project, user=user).first()


def check_role(
    user: User | AnonymousUser, project: Project, role: str = Role.VIEWER
) -> Membership:
    """Return the user's membership if its role is at least ``role``."""
    membership = membership_for(user, project)
    if membership is None:
        raise Http404("No such project.")
    if not membership.allows(role):
        raise PermissionDenied(
            f"This needs the {Role(role).label.lower()} role in {project.name}."
        )
    return membership


def access_project(
    user: User | AnonymousUser, slug: str, role: str = Role.VIEWER
) -> Project:
    """Fetch a project by slug for a user holding at least ``role`` in it."""
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise Http404("No such project.")
    check_role(user, project, role)
    return project


# --- REST API ---------------------------------------------------------------

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ProjectRolePermission(BasePermission):
    """DRF permission: membership of the object's project, with a role.

    Reads need ``viewer``; writes need ``analyst`` unless the view sets
    ``write_role`` (e.g. ``Role.OWNER`` for taxonomy edits). Objects must
    expose ``project`` (or be a Project). List querysets must still be
    scoped with ``for_user``: this class checks single objects.
    """

    message = "You do not have access to this project."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        project = obj if isinstance(obj, Project) else obj.project
        needed = (
            Role.VIEWER
            if request.method in SAFE_METHODS
            else getattr(view, "write_role", Role.ANALYST)
        )
        check_role(request.user, project, needed)
        return True


# --- HTML views ---------------------------------------------------------------


def project_view(role: str = Role.VIEWER):
    """Decorate an HTML function view taking ``slug``: log in, then check role.

    Anonymous users are redirected to the login page; non-members get 404
    and low roles 403 (through ``check_role``). The view finds the project
    and the user's membership on ``request.project`` / ``request.membership``.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            project = Project.objects.filter(slug=slug).first()
            if project is None:
                raise Http404("No such project.")
            request.membership = check_role(request.user, project, role)
            request.project = project
            # For templates: show links by role ({% if request.role_rank >= 2 %}).
            request.role_rank = Role.rank(request.membership.role)
            return view(request, slug, *args, **kwargs)

        wrapper.project_role = role  # type: ignore[attr-defined]
        return wrapper

    return decorator


def require_role(request: ProjectRequest, role: str) -> None:
    """Inside a ``project_view``: 403 unless the user's role is at least ``role``.

    For pages anyone in the project reads but only some roles post to; the
    membership is already on the request, so this costs no query.
    """
    if not request.membership.allows(role):
        raise PermissionDenied(
            f"This needs the {Role(role).label.lower()} role in {request.project.name}."
        )
