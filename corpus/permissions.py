"""Permission-checked fetches of documents, in the ``access_*`` style of
``projects.permissions``: 404 for non-members, 403 for a role too low."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from corpus.models import Document
from projects.models import Role
from projects.permissions import ProjectRequest, check_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def access_document(
    user: User | AnonymousUser, pk: int, role: str = Role.VIEWER
) -> Document:
    """Fetch a document for a user holding at least ``role`` in its project."""
    document = (
        Document.objects.select_related("project", "source").filter(pk=pk).first()
    )
    if document is None:
        raise Http404("No such document.")
    check_role(user, document.project, role)
    return document


def project_document(request: ProjectRequest, pk: int) -> Document:
    """The document ``pk`` of ``request.project`` (404 if it is elsewhere)."""
    document = (
        Document.objects.select_related("project", "source").filter(
            pk=pk, project=request.project
        )
    ).first()
    if document is None:
        raise Http404("No such document.")
    return document
