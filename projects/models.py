"""Projects (cases or investigations) and who may work on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar, cast

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Role(models.TextChoices):
    """A member's role in one project, from least to most privileged."""

    VIEWER = "viewer", "Viewer"
    ANALYST = "analyst", "Analyst"
    REVIEWER = "reviewer", "Reviewer"
    OWNER = "owner", "Owner"

    @classmethod
    def rank(cls, role: str) -> int:
        """Order roles so that ``rank(a) >= rank(b)`` means a may do what b may."""
        return [c.value for c in cls].index(role)


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> ProjectQuerySet:
        """Projects the user is a member of (none for anonymous users)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


_M = TypeVar("_M", bound=models.Model)


class ProjectScopedQuerySet(models.QuerySet[_M, _M]):
    """Rows that belong to a project, scoped to the user's memberships.

    The one scoping rule of every list and lookup a user can reach: rows of
    projects the user is a member of. ``project_field`` is the lookup path to
    the project (``"project"``, or e.g. ``"annotation__project"`` for a row
    that reaches it through a relation). A semi-join on the memberships, so
    no row can repeat and the planner may drive the match from the rows' own
    indexes. Role and blind-mode rules narrow this further where they apply.
    """

    project_field = "project"
    #: The lookup to the user whose work a row is (``"author"``), for models
    #: that blind mode hides: set, ``for_user`` keeps only the user's own rows
    #: in the projects where they work blind (``blind_project_ids``).
    blind_field: str | None = None

    def for_user(self, user: User | AnonymousUser) -> Self:
        if not user.is_authenticated:
            return self.none()
        projects = Membership.objects.filter(user=user).values("project_id")
        queryset = self.filter(**{f"{self.project_field}__in": projects})
        if self.blind_field is None:
            return queryset
        return queryset.exclude(
            models.Q(**{f"{self.project_field}__in": blind_project_ids(user)})
            & ~models.Q(**{self.blind_field: user})
        )

    def for_member(self, user: User | AnonymousUser, project: Project) -> Self:
        """``project``'s rows that ``user`` may see (``for_user`` narrowed to
        one project): what the project pages list."""
        return self.for_user(user).filter(**{self.project_field: project})


#: Roles that work blind in a blind-mode project: they see only their own
#: annotations, claims, assessments and suggestion decisions. Reviewers and
#: owners (who adjudicate) see everyone's.
BLIND_ROLES = ("viewer", "analyst")


def blind_project_ids(user: User | AnonymousUser) -> models.QuerySet:
    """Ids of the blind-mode projects where ``user`` works blind (a subquery)."""
    return Membership.objects.filter(
        user_id=cast(int, user.pk), role__in=BLIND_ROLES, project__blind_mode=True
    ).values("project_id")


def works_blind(project: Project, membership: Membership | None) -> bool:
    """True if the member sees only their own work in ``project`` (blind
    mode on and a role below reviewer). No query."""
    return (
        project.blind_mode and membership is not None and membership.role in BLIND_ROLES
    )


class Project(models.Model):
    """A case or investigation, e.g. "Lethal strikes at sea, 2025".

    Everything an analyst sees is scoped to projects they are a member of.
    """

    slug = models.SlugField(
        unique=True,
        max_length=80,
        help_text="Short identifier used in URLs and on the command line.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    blind_mode = models.BooleanField(
        default=False,
        help_text=(
            "Analysts do not see each other's annotations on a document until "
            "they have submitted it (independent annotation for agreement)."
        ),
    )
    acting_states = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "The state or states whose forces used force in this project's "
            'incidents (e.g. ["United States"]). Their officials are typed '
            "as the acting government; officials of other states as another "
            "government."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Gives one user one role in one project."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANALYST)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"], name="membership_unique_user"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.project}"

    def allows(self, role: str) -> bool:
        """True if this membership's role is at least ``role``."""
        return Role.rank(self.role) >= Role.rank(role)
