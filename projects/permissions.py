"""The one permission layer: every view, endpoint, export and download uses it.

Non-members get ``Http404`` (a project's existence is itself confidential);
members whose role is too low get ``PermissionDenied``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from corpus.models import Document
from projects.models import Membership, Project, Role


def membership_for(user, project: Project) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(project=project, user=user).first()


def check_role(user, project: Project, role: str = Role.VIEWER) -> Membership:
    """Return the user's membership if its role is at least ``role``."""
    membership = membership_for(user, project)
    if membership is None:
        raise Http404("No such project.")
    if not membership.allows(role):
        raise PermissionDenied(
            f"This needs the {Role(role).label.lower()} role in {project.name}."
        )
    return membership


def access_project(user, slug: str, role: str = Role.VIEWER) -> Project:
    """Fetch a project by slug for a user holding at least ``role`` in it."""
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise Http404("No such project.")
    check_role(user, project, role)
    return project


def access_document(user, pk: int, role: str = Role.VIEWER) -> Document:
    """Fetch a document for a user holding at least ``role`` in its project."""
    document = (
        Document.objects.select_related("project", "source").filter(pk=pk).first()
    )
    if document is None:
        raise Http404("No such document.")
    check_role(user, document.project, role)
    return document


# --- REST API ---------------------------------------------------------------

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ProjectRolePermission:
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

        wrapper.project_role = role
        return wrapper

    return decorator


def project_document(request, pk: int) -> Document:
    """The document ``pk`` of ``request.project`` (404 if it is elsewhere)."""
    document = (
        Document.objects.select_related("project").filter(
            pk=pk, project=request.project
        )
    ).first()
    if document is None:
        raise Http404("No such document.")
    return document
