"""REST endpoints of the legal analysis: claims (with mentions and link
proposals), assessments, frameworks and incidents (with grades and tally checks), one
module each.

Thin: parse with an input serializer, call one service, answer with an
output serializer. Lists are scoped to the user's projects (``for_user``);
single objects are checked with ``ProjectRolePermission`` (reads: viewer,
writes: analyst, framework imports: owner).

Serializers are nested in their viewset: ``OutputSerializer`` is the
resource, ``<Action>InputSerializer``/``<Action>OutputSerializer`` the
shapes of one action.
"""

from legal.api.views.assessments import AssessmentViewSet
from legal.api.views.claims import ClaimViewSet
from legal.api.views.frameworks import FrameworkViewSet
from legal.api.views.incidents import IncidentViewSet

__all__ = ["AssessmentViewSet", "ClaimViewSet", "FrameworkViewSet", "IncidentViewSet"]
