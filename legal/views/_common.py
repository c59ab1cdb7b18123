"""What the legal pages share: the page context and the claim fetch."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from legal.models import Assessment, Claim
from legal.selectors import claim_assessments, claims_visible
from legal.services.assessments import assessment_can_edit
from projects.models import Role
from projects.params import parse_id
from projects.permissions import ProjectRequest


def page_context(request: ProjectRequest, **extra: Any) -> dict[str, Any]:
    """The context every legal page starts from (inside ``project_view``)."""
    membership = request.membership
    return {
        "project": request.project,
        "membership": membership,
        "can_write": membership.allows(Role.ANALYST),
        "is_owner": membership.allows(Role.OWNER),
        **extra,
    }


def claim_for(request: ProjectRequest, pk: Any) -> Claim:
    """The claim ``pk`` of the request's project; 404 for any other value."""
    parsed = parse_id(pk)
    if parsed is None:
        raise Http404("No such claim.")
    # Blind mode: a member working blind reaches only their own claims.
    return get_object_or_404(
        claims_visible(project=request.project, user=request.user), pk=parsed
    )


def assessments_for(request: ProjectRequest, claim: Claim) -> list[Assessment]:
    """The claim's assessments, each marked ``editable`` for the user."""
    assessments = list(claim_assessments(claim, user=request.user))
    for assessment in assessments:
        assessment.editable = assessment_can_edit(  # type: ignore[attr-defined]
            request.user, assessment, request.membership
        )
    return assessments
