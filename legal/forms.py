"""The forms behind every POST of the legal pages.

They parse and type what the page sent: choices, dates, figures and the
project's objects (an id from elsewhere is a 404, see
``projects.forms.ProjectObjectField``). The rules of the domain (a
rationale is required, one assessment per element and author, a claim's
version) stay in ``legal.services``; their errors come back onto these
forms through ``projects.forms.form_errors_from``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from annotations.models import Annotation
from corpus.models import Source
from legal.models import (
    Claim,
    ClaimantType,
    ClaimKind,
    ClaimQuantity,
    Credibility,
    Criterion,
    DatePrecision,
    Element,
    EvidenceStatus,
    Finding,
    Framework,
    IncidentStatus,
    QuantityBound,
    QuantityCounts,
    Reliability,
)
from legal.models.claims import TRANSLATION_NOTE_MAX, claimant_type_problem
from projects.forms import MultipleIdField, ProjectForm, ProjectObjectField

ELEMENT_PROJECT = "criterion__framework__project"
CRITERION_PROJECT = "framework__project"


def _choice(choices, default: str, label: str) -> forms.TypedChoiceField:
    """A choice that falls back to ``default`` when the page leaves it out."""
    return forms.TypedChoiceField(
        choices=choices, required=False, empty_value=default, label=label
    )


class ClaimantTypeField(forms.TypedChoiceField):
    """A claimant type; an old name (before issue 12) or an unknown one gets
    an error that names the new type and lists them all."""

    def validate(self, value: Any) -> None:
        if value not in self.empty_values and (problem := claimant_type_problem(value)):
            raise forms.ValidationError(problem, code="invalid_choice")
        super().validate(value)


class ClaimCreateForm(ProjectForm):
    proposition = forms.CharField(label="Proposition")
    claimant = forms.CharField(required=False, label="Claimant")
    claimant_type = ClaimantTypeField(
        choices=ClaimantType.choices,
        required=False,
        empty_value=ClaimantType.REPORTER,
        label="Claimant type",
    )
    kind = _choice(ClaimKind.choices, ClaimKind.FACTUAL, "Kind")
    evidence_status = _choice(
        EvidenceStatus.choices, EvidenceStatus.UNKNOWN, "Evidence status"
    )
    event_date = forms.DateField(required=False, label="Event date")
    note = forms.CharField(required=False, strip=False, label="Note")
    annotation = ProjectObjectField(
        queryset=Annotation.objects.all(), required=False, label="Quote"
    )


class VersionForm(forms.Form):
    """The version the user's page showed, for optimistic locking."""

    version = forms.IntegerField(min_value=0, label="Version")


class ClaimEditForm(VersionForm):
    """A partial edit: only the fields the page sent are changed."""

    proposition = forms.CharField(required=False, label="Proposition")
    claimant = forms.CharField(required=False, label="Claimant")
    claimant_type = ClaimantTypeField(
        choices=ClaimantType.choices, required=False, label="Claimant type"
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices, required=False, label="Kind")
    evidence_status = forms.ChoiceField(
        choices=EvidenceStatus.choices, required=False, label="Evidence status"
    )
    event_date = forms.DateField(required=False, label="Event date")
    note = forms.CharField(required=False, strip=False, label="Note")
    translation_note = forms.CharField(
        required=False,
        max_length=TRANSLATION_NOTE_MAX,
        label="Translation note",
    )

    def changes(self) -> dict[str, Any]:
        """The cleaned values of the fields present in the POST."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and name in self.data
        }


class MentionForm(ProjectForm):
    annotation = ProjectObjectField(queryset=Annotation.objects.all(), label="Quote")


class MentionTranslationForm(MentionForm):
    translation_note = forms.CharField(
        required=False,
        strip=True,
        max_length=TRANSLATION_NOTE_MAX,
        widget=forms.Textarea,
        label="Translation note",
    )


class QuantityForm(ProjectForm):
    value = forms.IntegerField(min_value=0, label="Figure")
    counts = forms.ChoiceField(choices=QuantityCounts.choices, label="Counts")
    bound = _choice(QuantityBound.choices, QuantityBound.EXACT, "Bound")
    cumulative = forms.BooleanField(required=False, label="Running total")
    as_of = forms.DateField(required=False, label="As of")
    annotation = ProjectObjectField(
        queryset=Annotation.objects.all(), required=False, label="Stated in"
    )


class AssessmentCreateForm(ProjectForm):
    # Element and rationale are optional here: the service says what is
    # missing in words written for the analyst ("Write a rationale: ...").
    element = ProjectObjectField(
        queryset=Element.objects.select_related("criterion__framework"),
        project_path=ELEMENT_PROJECT,
        required=False,
        label="Element",
    )
    finding = forms.ChoiceField(choices=Finding.choices, label="Finding")
    rationale = forms.CharField(required=False, label="Rationale")
    sources = MultipleIdField(required=False, label="Cited quotes")


class AssessmentEditForm(VersionForm):
    delete = forms.BooleanField(required=False)
    finding = forms.TypedChoiceField(
        choices=Finding.choices, required=False, empty_value=None, label="Finding"
    )
    rationale = forms.CharField(required=False, label="Rationale")
    # Unticked checkboxes send nothing: an absent list clears the citations.
    sources = MultipleIdField(required=False, label="Cited quotes")

    def changes(self) -> dict[str, Any]:
        """Finding and rationale if sent (``None`` keeps them), and sources."""
        data = self.cleaned_data
        return {
            "finding": data["finding"],
            "rationale": data["rationale"] if "rationale" in self.data else None,
            "sources": data["sources"],
        }


class FrameworkImportForm(forms.Form):
    """A file or pasted text; ``action=import`` applies, anything else previews."""

    file = forms.FileField(required=False, label="File")
    text = forms.CharField(required=False, strip=False, label="Text")
    action = forms.ChoiceField(
        choices=[("preview", "Preview"), ("import", "Import")],
        required=False,
        label="Action",
    )

    def source(self) -> tuple[str | bytes, str]:
        """The raw framework (bytes of the file, else the text) and its name."""
        upload = self.cleaned_data["file"]
        if upload is not None:
            upload.seek(0)
            return upload.read(), upload.name
        return self.cleaned_data["text"], ""

    def shown_text(self) -> str:
        """The framework as text, carried by the preview page to the import."""
        raw, _ = self.source()
        if isinstance(raw, bytes):
            return raw.decode("utf-8-sig", errors="replace")
        return raw

    @property
    def dry_run(self) -> bool:
        return self.cleaned_data["action"] != "import"


class FrameworkEditKindForm(forms.Form):
    """Which framework edit the POST is: picks the form that validates it."""

    what = forms.ChoiceField(
        choices=[
            ("element", "Edit an element"),
            ("element-new", "Add an element"),
            ("criterion", "Edit a criterion"),
            ("criterion-new", "Add a criterion"),
        ],
        label="Edit",
        error_messages={"invalid_choice": "Unknown edit.", "required": "Unknown edit."},
    )


class ElementEditForm(ProjectForm):
    pk = ProjectObjectField(
        queryset=Element.objects.select_related("criterion__framework__project"),
        project_path=ELEMENT_PROJECT,
        label="Element",
    )
    question = forms.CharField(label="Question")
    tags = forms.CharField(required=False, label="Tags")


class ElementCreateForm(ProjectForm):
    criterion = ProjectObjectField(
        queryset=Criterion.objects.select_related("framework__project"),
        project_path=CRITERION_PROJECT,
        label="Criterion",
    )
    key = forms.CharField(max_length=16, label="Key")
    question = forms.CharField(label="Question")
    tags = forms.CharField(required=False, label="Tags")


class CriterionEditForm(ProjectForm):
    pk = ProjectObjectField(
        queryset=Criterion.objects.select_related("framework__project"),
        project_path=CRITERION_PROJECT,
        label="Criterion",
    )
    code = forms.CharField(max_length=16, label="Code")
    title = forms.CharField(label="Title")
    instrument = forms.CharField(label="Instrument")
    article = forms.CharField(required=False, label="Article")
    paraphrase = forms.CharField(label="Paraphrase")

    def changes(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "pk"}


class CriterionCreateForm(ProjectForm):
    framework = ProjectObjectField(queryset=Framework.objects.all(), label="Framework")
    key = forms.CharField(max_length=80, label="Key")
    code = forms.CharField(max_length=16, label="Code")
    group = forms.CharField(required=False, label="Group")
    title = forms.CharField(label="Title")
    instrument = forms.CharField(label="Instrument")
    article = forms.CharField(required=False, label="Article")
    paraphrase = forms.CharField(label="Paraphrase")

    def fields_for_service(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "framework"}


#: The form of each framework edit, by the POST's ``what``.
FRAMEWORK_EDIT_FORMS: dict[str, type[ProjectForm]] = {
    "element": ElementEditForm,
    "element-new": ElementCreateForm,
    "criterion": CriterionEditForm,
    "criterion-new": CriterionCreateForm,
}


# --- Incidents and grades ------------------------------------------------------


class IncidentForm(ProjectForm):
    """A new incident; the service gives it its code."""

    date = forms.DateField(label="Date")
    date_precision = _choice(DatePrecision.choices, DatePrecision.DAY, "Precision")
    date_end = forms.DateField(required=False, label="Window ends")
    time_start = forms.TimeField(required=False, label="From (time)")
    time_end = forms.TimeField(required=False, label="To (time)")
    place = forms.CharField(required=False, label="Place")
    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, label="Latitude"
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, label="Longitude"
    )
    area = forms.CharField(required=False, label="Area")
    description = forms.CharField(max_length=500, label="Description")
    acting_forces = forms.CharField(required=False, label="Acting forces")
    targets = forms.CharField(required=False, label="Targets")
    target_count = forms.IntegerField(required=False, min_value=0, label="How many")
    status = _choice(IncidentStatus.choices, IncidentStatus.ALLEGED, "Status")
    note = forms.CharField(required=False, strip=False, label="Note")


class IncidentEditForm(IncidentForm):
    """A partial edit at a version: only the fields the page sent change."""

    version = forms.IntegerField(min_value=0, label="Version")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False

    def changes(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and name in self.data
        }


class IncidentClaimForm(ProjectForm):
    claim = ProjectObjectField(queryset=Claim.objects.all(), label="Claim")


class SourceGradeForm(ProjectForm):
    source = ProjectObjectField(queryset=Source.objects.all(), label="Source")
    reliability = forms.ChoiceField(
        choices=[("", "Ungraded"), *Reliability.choices],
        required=False,
        label="Reliability",
    )
    rationale = forms.CharField(required=False, label="Rationale")


class ClaimGradeForm(ProjectForm):
    claim = ProjectObjectField(queryset=Claim.objects.all(), label="Claim")
    version = forms.IntegerField(min_value=0, label="Version")
    credibility = forms.ChoiceField(
        choices=[("", "Ungraded"), *Credibility.choices],
        required=False,
        label="Credibility",
    )
    rationale = forms.CharField(required=False, label="Rationale")


class QuantityGradeForm(ProjectForm):
    quantity = ProjectObjectField(
        queryset=ClaimQuantity.objects.select_related("claim__project"),
        project_path="claim__project",
        label="Figure",
    )
    credibility = forms.ChoiceField(
        choices=[("", "The claim's grade"), *Credibility.choices],
        required=False,
        label="Credibility",
    )
    rationale = forms.CharField(required=False, label="Rationale")


class ProposalDecisionForm(forms.Form):
    """Accept or reject one incident proposal, named by its key."""

    key = forms.CharField(max_length=120, label="Proposal")
    action = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Reject")], label="Decision"
    )
    reason = forms.CharField(required=False, label="Reason")
