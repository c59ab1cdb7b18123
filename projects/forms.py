"""What every app's HTML forms share: object fields scoped to a project, and
the one helper that turns a service's error into form errors and a message.

Every POST handled by an HTML view goes through a Django ``Form``; the view
then calls one service. Services raise ``ValidationError`` (field problems,
from ``full_clean``) or ``ApplicationError`` (a rule of the domain, with
``extra["field"]`` when one field is to blame). ``form_errors_from`` puts
either on the form, under the field it names, and returns the sentence a
redirecting view shows with ``messages.error``, so a page that re-renders
its form and a page that redirects say the same thing.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from projects.errors import ApplicationError
from projects.models import Membership, Project, Role, works_blind
from projects.params import parse_id
from projects.permissions import membership_for


class ProjectObjectField(forms.Field):
    """An object of the project, posted as its id by the page's own markup.

    The ids come from hidden inputs and option values the page wrote, so an
    unknown, malformed or foreign id is a stale or tampered request: it is
    answered with 404, like an unknown URL, and never as a form error that
    would confirm the object exists in another project. ``ProjectForm``
    narrows ``queryset`` to its project through ``project_path``. An optional
    field left empty cleans to ``None``; a required one left empty is a 404.
    """

    widget = forms.HiddenInput

    def __init__(
        self, *, queryset: QuerySet, project_path: str = "project", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.queryset: QuerySet | None = None
        self.unscoped = queryset
        self.project_path = project_path

    def scope(self, project: Project, *, blind_author: Any = None) -> None:
        """Narrow to ``project``'s objects; with ``blind_author`` (the user,
        when they work blind), to theirs among the models blind mode hides
        (``ProjectScopedQuerySet.blind_field``), so no one links, cites or
        attaches another analyst's work they may not see."""
        queryset = self.unscoped.filter(**{self.project_path: project})
        blind_field = getattr(queryset, "blind_field", None)
        if (
            blind_author is not None
            and blind_field
            and self.project_path == getattr(queryset, "project_field", None)
        ):
            queryset = queryset.filter(**{blind_field: blind_author})
        self.queryset = queryset

    def clean(self, value: Any) -> Model | None:
        if value in self.empty_values:
            if self.required:
                raise Http404("No such object.")
            return None
        pk = parse_id(value)
        if pk is None or self.queryset is None:  # unscoped: refuse everything
            raise Http404("No such object.")
        found = self.queryset.filter(pk=pk).first()
        if found is None:
            raise Http404("No such object.")
        return found


class ProjectForm(forms.Form):
    """A form about one project: its object fields only see that project,
    and, given the ``user`` who posts, only what blind mode lets them see."""

    def __init__(
        self, *args: Any, project: Project, user: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        blind_author = None
        if (
            user is not None
            and project.blind_mode
            and works_blind(project, membership_for(user, project))
        ):
            blind_author = user
        for field in self.fields.values():
            if isinstance(field, ProjectObjectField):
                field.scope(project, blind_author=blind_author)


class MultipleIdField(forms.Field):
    """Several object ids (checkboxes); the service checks they are in scope."""

    widget = forms.MultipleHiddenInput

    def clean(self, value: Any) -> list[int]:
        values = [v for v in (value or []) if v not in self.empty_values]
        ids = [parse_id(v) for v in values]
        bad = [str(v) for v, pk in zip(values, ids, strict=True) if pk is None]
        if bad:
            raise ValidationError(
                "These are not ids: %(bad)s.", params={"bad": ", ".join(bad)}
            )
        if self.required and not ids:
            raise ValidationError(self.error_messages["required"], code="required")
        return [pk for pk in ids if pk is not None]


def _label(form: forms.BaseForm, name: str) -> str:
    field = form.fields.get(name)
    if field is not None and field.label:
        return str(field.label)
    return name.replace("_", " ").capitalize()


def form_errors_from(
    form: forms.BaseForm, exc: ValidationError | ApplicationError | None = None
) -> str:
    """Add ``exc`` (if any) to ``form`` and return all its errors as one text.

    A ``ValidationError`` keyed by field goes on that field when the form
    has it; an ``ApplicationError`` goes on ``extra["field"]`` when given.
    Anything else becomes a non-field error, its key kept in the text so the
    user still learns which value was refused. The returned text names each
    field by its label ("Figure: Ensure this value is greater than or equal
    to 0."), non-field errors first; it is empty when the form has none.
    """
    if exc is not None:
        for name, messages in _error_items(exc):
            if name is not None and name in form.fields:
                form.add_error(name, messages)
            elif name is not None and name != "__all__":
                form.add_error(None, [f"{_label(form, name)}: {m}" for m in messages])
            else:
                form.add_error(None, messages)
    parts = [str(m) for m in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            parts.append(f"{_label(form, name)}: {' '.join(map(str, errors))}")
    return " ".join(parts)


def _error_items(
    exc: ValidationError | ApplicationError,
) -> list[tuple[str | None, list[str]]]:
    if isinstance(exc, ApplicationError):
        return [(exc.extra.get("field"), [exc.message])]
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [(name, msgs) for name, msgs in exc.message_dict.items()]
        return [(None, list(exc.messages))]
    raise TypeError(f"Not a user-facing error: {exc!r}")


class MemberForm(ProjectForm):
    """The members page: add a person, change a member's role, remove one."""

    action = forms.ChoiceField(
        choices=[("add", "Add"), ("role", "Change role"), ("remove", "Remove")],
        label="Action",
        error_messages={
            "invalid_choice": "Unknown action.",
            "required": "Unknown action.",
        },
    )
    username = forms.CharField(required=False, label="Username")
    role = forms.ChoiceField(
        choices=Role.choices,
        required=False,
        label="Role",
        error_messages={"invalid_choice": "Choose a role."},
    )
    member = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label="Member",
        error_messages={"invalid_choice": "That member is no longer in the project."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = cast(forms.ModelChoiceField, self.fields["member"])
        member.queryset = Membership.objects.filter(
            project=self.project
        ).select_related("user")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        action = data.get("action")
        needs_role = action in ("add", "role") and not self.has_error("role")
        if needs_role and not data.get("role"):
            self.add_error("role", "Choose a role.")
        if action == "add":
            username = (data.get("username") or "").strip()
            data["user"] = (
                get_user_model()
                .objects.filter(username=username, is_active=True)
                .first()
            )
            if data["user"] is None:
                self.add_error(
                    "username", f"There is no active user named {username!r}."
                )
        needs_member = action in ("role", "remove") and not self.has_error("member")
        if needs_member and data.get("member") is None:
            self.add_error("member", "That member is no longer in the project.")
        return data


class ProjectCreateForm(forms.Form):
    """The "New project" page: what a project needs to start.

    Acting states are typed one per line (or separated by commas); the
    service trims and de-duplicates them.
    """

    name = forms.CharField(max_length=200, label="Name")
    description = forms.CharField(
        required=False, widget=forms.Textarea({"rows": 3}), label="Description"
    )
    acting_states = forms.CharField(
        required=False,
        widget=forms.Textarea({"rows": 2}),
        label="Acting state(s)",
        help_text=(
            "The state or states whose forces used force, one per line "
            "(e.g. United States). Their officials are typed as the acting "
            "government."
        ),
    )
    blind_mode = forms.BooleanField(
        required=False,
        label="Blind mode: analysts see only their own annotations, claims "
        "and suggestion decisions",
    )

    def clean_acting_states(self) -> list[str]:
        raw = self.cleaned_data.get("acting_states") or ""
        return [part for line in raw.splitlines() for part in line.split(",")]
