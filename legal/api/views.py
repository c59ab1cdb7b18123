"""REST endpoints of the legal analysis: claims (with mentions and link
proposals), assessments and frameworks.

Thin: parse with an input serializer, call one service, answer with an
output serializer. Lists are scoped to the user's projects; single objects
are checked with ``ProjectRolePermission`` (reads: viewer, writes: analyst,
framework imports: owner).
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from annotations.models import Annotation
from legal.framework_format import framework_dump, framework_parse
from legal.linking import propose_claims_for_annotation, propose_mentions_for_claim
from legal.models import (
    Assessment,
    Claim,
    ClaimantType,
    ClaimKind,
    Element,
    EvidenceStatus,
    Finding,
    Framework,
)
from legal.selectors import claims_for_user
from legal.services.assessments import (
    assessment_can_edit,
    assessment_create,
    assessment_delete,
    assessment_update,
)
from legal.services.claims import (
    claim_create,
    claim_delete,
    claim_link_mention,
    claim_unlink_mention,
    claim_update,
)
from legal.services.frameworks import framework_import
from projects.api.exceptions import conflict_with_current
from projects.errors import ConflictError
from projects.models import Project, Role
from projects.params import parse_id
from projects.permissions import ProjectRolePermission, check_role

MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    """An object id: positive and within bigint, so lookups cannot overflow."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=2**31 - 1)


def _project_for(user, slug: str, role: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        from django.http import Http404

        raise Http404("No such project.")
    check_role(user, project, role)
    return project


def _version(request) -> int:
    raw = request.query_params.get("version") or request.data.get("version")
    version = parse_id(raw if isinstance(raw, str) else str(raw))
    if version is None or version >= 2**31:
        raise DRFValidationError(
            {"version": ["Give the version your change is based on."]}
        )
    return version


# --- Claims -------------------------------------------------------------------


class QuantityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    value = serializers.IntegerField()
    counts = serializers.CharField()
    bound = serializers.CharField()
    cumulative = serializers.BooleanField()
    as_of = serializers.DateField(allow_null=True)
    annotation = serializers.IntegerField(source="annotation_id", allow_null=True)


class ClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField(source="project.slug")
    proposition = serializers.CharField()
    claimant = serializers.CharField()
    claimant_type = serializers.CharField()
    kind = serializers.CharField()
    evidence_status = serializers.CharField()
    event_date = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    version = serializers.IntegerField()
    mentions = serializers.SerializerMethodField()
    quantities = QuantityOutput(many=True, source="quantities.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_mentions(self, claim) -> list[int]:
        return sorted(link.annotation_id for link in claim.links.all())


class ClaimCreateInput(serializers.Serializer):
    project = serializers.SlugField()
    proposition = serializers.CharField(max_length=5000)
    claimant = serializers.CharField(max_length=300, required=False, allow_blank=True)
    claimant_type = serializers.ChoiceField(
        ClaimantType.choices, default=ClaimantType.UNATTRIBUTED
    )
    kind = serializers.ChoiceField(ClaimKind.choices, default=ClaimKind.FACTUAL)
    evidence_status = serializers.ChoiceField(
        EvidenceStatus.choices, default=EvidenceStatus.UNKNOWN
    )
    event_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    annotation = id_field(required=False, allow_null=True)


class ClaimUpdateInput(serializers.Serializer):
    version = version_field()
    proposition = serializers.CharField(max_length=5000, required=False)
    claimant = serializers.CharField(max_length=300, required=False, allow_blank=True)
    claimant_type = serializers.ChoiceField(ClaimantType.choices, required=False)
    kind = serializers.ChoiceField(ClaimKind.choices, required=False)
    evidence_status = serializers.ChoiceField(EvidenceStatus.choices, required=False)
    event_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class MentionInput(serializers.Serializer):
    annotation = id_field()


class AnnotationProposalOutput(serializers.Serializer):
    annotation = serializers.IntegerField(source="target.pk")
    document = serializers.IntegerField(source="target.document_id")
    quote = serializers.CharField(source="target.quote")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class ClaimProposalOutput(serializers.Serializer):
    claim = serializers.IntegerField(source="target.pk")
    proposition = serializers.CharField(source="target.proposition")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


@extend_schema(tags=["claims"])
class ClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Claims: who asserted what; mentions are annotations reporting them."""

    permission_classes = [ProjectRolePermission]
    serializer_class = ClaimOutput
    filter_backends: list = []

    def get_queryset(self):
        claims = claims_for_user(self.request.user).select_related("project")
        if self.action == "list":
            slug = self.request.query_params.get("project")
            if slug:
                claims = claims.filter(project__slug=slug)
            q = (self.request.query_params.get("q") or "").strip()[:200]
            if q:
                claims = claims.filter(
                    Q(proposition__icontains=q) | Q(claimant__icontains=q)
                )
        return claims.prefetch_related("links", "quantities").order_by(
            "-updated_at", "-pk"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("project", str, description="Project slug"),
            OpenApiParameter("q", str, description="Words in proposition/claimant"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _out(self, claim: Claim) -> dict:
        claim = Claim.objects.prefetch_related("links", "quantities").get(pk=claim.pk)
        return ClaimOutput(claim).data

    @extend_schema(request=ClaimCreateInput, responses={201: ClaimOutput})
    def create(self, request, **kwargs):
        data = ClaimCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        project = _project_for(request.user, fields.pop("project"), Role.ANALYST)
        annotation_id = fields.pop("annotation", None)
        annotation = None
        if annotation_id:
            annotation = get_object_or_404(
                Annotation, project=project, pk=annotation_id
            )
        claim = claim_create(
            project=project, user=request.user, annotation=annotation, **fields
        )
        return Response(self._out(claim), status=status.HTTP_201_CREATED)

    @extend_schema(request=ClaimUpdateInput, responses={200: ClaimOutput})
    def partial_update(self, request, pk=None, **kwargs):
        claim = self.get_object()
        data = ClaimUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        try:
            claim = claim_update(
                claim=claim, user=request.user, expected_version=version, **fields
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, self._out) from exc
        return Response(self._out(claim))

    @extend_schema(
        parameters=[OpenApiParameter("version", int, required=True)],
        responses={204: None},
    )
    def destroy(self, request, pk=None, **kwargs):
        claim = self.get_object()
        try:
            claim_delete(
                claim=claim, user=request.user, expected_version=_version(request)
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, self._out) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MentionInput, responses={200: ClaimOutput})
    @action(detail=True, methods=["post", "delete"])
    def mentions(self, request, pk=None, **kwargs):
        """Link (POST) or unlink (DELETE) an annotation as a mention."""
        claim = self.get_object()
        data = MentionInput(data=request.data or request.query_params)
        data.is_valid(raise_exception=True)
        annotation = get_object_or_404(
            Annotation, project=claim.project, pk=data.validated_data["annotation"]
        )
        if request.method == "POST":
            claim_link_mention(claim=claim, annotation=annotation, user=request.user)
        else:
            claim_unlink_mention(claim=claim, annotation=annotation, user=request.user)
        return Response(self._out(claim))

    @extend_schema(responses={200: AnnotationProposalOutput(many=True)})
    @action(detail=True, methods=["get"])
    def proposals(self, request, pk=None, **kwargs):
        """Annotations, not yet linked, that may report this claim."""
        claim = self.get_object()
        proposals = propose_mentions_for_claim(claim, limit=10)
        return Response(AnnotationProposalOutput(proposals, many=True).data)

    @extend_schema(
        operation_id="claims_proposals_for_annotation",
        parameters=[OpenApiParameter("annotation", int, required=True)],
        responses={200: ClaimProposalOutput(many=True)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="proposals",
        url_name="annotation-proposals",
    )
    def proposals_for_annotation(self, request, **kwargs):
        """Existing claims an annotation may report (for the annotator panel)."""
        annotation_id = parse_id(request.query_params.get("annotation"))
        if annotation_id is None:
            raise DRFValidationError({"annotation": ["Give an annotation id."]})
        annotation = get_object_or_404(
            Annotation.objects.for_user(request.user), pk=annotation_id
        )
        proposals = propose_claims_for_annotation(annotation, limit=10)
        return Response(ClaimProposalOutput(proposals, many=True).data)


# --- Assessments --------------------------------------------------------------


class AssessmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField(source="project.slug")
    claim = serializers.IntegerField(source="claim_id")
    element = serializers.IntegerField(source="element_id", allow_null=True)
    criterion = serializers.IntegerField(source="criterion_id", allow_null=True)
    finding = serializers.CharField()
    rationale = serializers.CharField()
    sources = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.get_username")
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_sources(self, assessment) -> list[int]:
        return sorted(a.pk for a in assessment.sources.all())


class AssessmentCreateInput(serializers.Serializer):
    claim = id_field()
    element = id_field()
    finding = serializers.ChoiceField(Finding.choices)
    rationale = serializers.CharField(max_length=20000, allow_blank=True)
    sources = serializers.ListField(child=id_field(), required=False, max_length=200)


class AssessmentUpdateInput(serializers.Serializer):
    version = version_field()
    finding = serializers.ChoiceField(Finding.choices, required=False)
    rationale = serializers.CharField(
        max_length=20000, required=False, allow_blank=True
    )
    sources = serializers.ListField(child=id_field(), required=False, max_length=200)


@extend_schema(tags=["assessments"])
class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Findings of claims against legal elements, with rationale and sources."""

    permission_classes = [ProjectRolePermission]
    serializer_class = AssessmentOutput
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Assessment.objects.none()
        assessments = Assessment.objects.filter(project__memberships__user=user)
        params = self.request.query_params
        if params.get("project"):
            assessments = assessments.filter(project__slug=params["project"])
        if parse_id(params.get("claim")):
            assessments = assessments.filter(claim_id=parse_id(params["claim"]))
        if parse_id(params.get("element")):
            assessments = assessments.filter(element_id=parse_id(params["element"]))
        return (
            assessments.select_related("project", "author")
            .prefetch_related("sources")
            .order_by("claim_id", "element_id", "pk")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("project", str),
            OpenApiParameter("claim", int),
            OpenApiParameter("element", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _out(self, assessment) -> dict:
        fresh = (
            Assessment.objects.select_related("project", "author")
            .prefetch_related("sources")
            .get(pk=assessment.pk)
        )
        return AssessmentOutput(fresh).data

    def _check_edit(self, assessment) -> None:
        if not assessment_can_edit(self.request.user, assessment):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("Only the author or a reviewer may change this.")

    @extend_schema(request=AssessmentCreateInput, responses={201: AssessmentOutput})
    def create(self, request, **kwargs):
        data = AssessmentCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        claim = get_object_or_404(claims_for_user(request.user), pk=v["claim"])
        check_role(request.user, claim.project, Role.ANALYST)
        element = get_object_or_404(
            Element.objects.select_related("criterion__framework"),
            criterion__framework__project=claim.project,
            pk=v["element"],
        )
        assessment = assessment_create(
            claim=claim,
            user=request.user,
            element=element,
            finding=v["finding"],
            rationale=v["rationale"],
            sources=v.get("sources", []),
        )
        return Response(self._out(assessment), status=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentUpdateInput, responses={200: AssessmentOutput})
    def partial_update(self, request, pk=None, **kwargs):
        assessment = self.get_object()
        self._check_edit(assessment)
        data = AssessmentUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        try:
            assessment = assessment_update(
                assessment=assessment,
                user=request.user,
                expected_version=v.pop("version"),
                **v,
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, self._out) from exc
        return Response(self._out(assessment))

    @extend_schema(
        parameters=[OpenApiParameter("version", int, required=True)],
        responses={204: None},
    )
    def destroy(self, request, pk=None, **kwargs):
        assessment = self.get_object()
        self._check_edit(assessment)
        assessment_delete(
            assessment=assessment, user=request.user, expected_version=_version(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Frameworks ---------------------------------------------------------------


class FrameworkSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField(source="project.slug")
    key = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField()


class FrameworkImportInput(serializers.Serializer):
    project = serializers.SlugField()
    text = serializers.CharField(
        required=False, help_text="YAML or JSON text of the framework."
    )
    data = serializers.JSONField(required=False, help_text="The framework as JSON.")
    dry_run = serializers.BooleanField(default=True)


class FrameworkPreviewOutput(serializers.Serializer):
    framework_key = serializers.CharField()
    framework_exists = serializers.BooleanField()
    changes = serializers.IntegerField()
    criteria_new = serializers.ListField(child=serializers.CharField())
    criteria_changed = serializers.ListField(child=serializers.CharField())
    elements_new = serializers.ListField(child=serializers.CharField())
    elements_changed = serializers.ListField(child=serializers.CharField())
    elements_unchanged = serializers.IntegerField()
    unknown_tags = serializers.ListField(child=serializers.CharField())
    kept = serializers.ListField(child=serializers.CharField())


@extend_schema(tags=["frameworks"])
class FrameworkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Legal frameworks: read by members; owners import YAML/JSON."""

    permission_classes = [ProjectRolePermission]
    serializer_class = FrameworkSummaryOutput
    filter_backends: list = []
    write_role = Role.OWNER

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Framework.objects.none()
        frameworks = Framework.objects.filter(project__memberships__user=user)
        if self.request.query_params.get("project"):
            frameworks = frameworks.filter(
                project__slug=self.request.query_params["project"]
            )
        return frameworks.select_related("project").order_by("project__slug", "key")

    @extend_schema(responses={200: dict})
    def retrieve(self, request, pk=None, **kwargs):
        """The framework in the exchange format (as framework.yaml)."""
        framework = self.get_object()
        return Response({"id": framework.pk, **framework_dump(framework)})

    @extend_schema(
        request=FrameworkImportInput,
        responses={200: FrameworkPreviewOutput, 201: FrameworkPreviewOutput},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_framework(self, request, **kwargs):
        """Preview (``dry_run``, the default) or import a framework; owners only."""
        data = FrameworkImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        project = _project_for(request.user, v["project"], Role.OWNER)
        if v.get("data") is not None:
            payload = v["data"]
        elif v.get("text"):
            payload = framework_parse(v["text"])
        else:
            raise DRFValidationError({"text": ["Give the framework as text or data."]})
        preview, framework = framework_import(
            project=project, user=request.user, data=payload, dry_run=v["dry_run"]
        )
        body = FrameworkPreviewOutput(preview).data
        if framework is not None:
            body = {**body, "id": framework.pk}
        return Response(
            body, status=status.HTTP_200_OK if v["dry_run"] else status.HTTP_201_CREATED
        )
