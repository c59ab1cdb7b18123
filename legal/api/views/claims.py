"""Claims: who asserted what, their mentions and link proposals."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from annotations.models import Annotation
from corpus.permissions import access_document
from legal.api.serializers import VERSION_PARAM, id_field, version_field, version_from
from legal.linking import propose_claims_for_annotation, propose_mentions_for_claim
from legal.models import (
    Claim,
    ClaimantType,
    ClaimKind,
    EvidenceStatus,
    QuantityBound,
    QuantityCounts,
)
from legal.models.claims import TRANSLATION_NOTE_MAX, claimant_type_problem
from legal.selectors import claims_in_document
from legal.services.claims import (
    claim_create,
    claim_delete,
    claim_link_mention,
    claim_unlink_mention,
    claim_update,
)
from projects.api.exceptions import conflict_with_current
from projects.api.inputs import PatchInput
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.errors import ConflictError
from projects.models import Role
from projects.params import parse_id
from projects.permissions import ProjectRolePermission, access_project


class ClaimantTypeField(serializers.ChoiceField):
    """A claimant type; an old name (before issue 12) or an unknown one gets
    an error that names the new type and lists them all."""

    def to_internal_value(self, data: str | int) -> str:  # type: ignore[override]
        problem = claimant_type_problem(data)
        if problem:
            raise DRFValidationError(problem, code="invalid_choice")
        return str(super().to_internal_value(data))


@extend_schema(tags=["claims"])
class ClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Claims: who asserted what; mentions are annotations reporting them."""

    class OutputSerializer(serializers.Serializer):
        class QuantitySerializer(serializers.Serializer):
            id = serializers.IntegerField()
            value = serializers.IntegerField()
            counts = serializers.CharField()
            bound = serializers.CharField()
            cumulative = serializers.BooleanField()
            as_of = serializers.DateField(allow_null=True)
            annotation = serializers.IntegerField(
                source="annotation_id", allow_null=True
            )

        id = serializers.IntegerField()
        project = serializers.CharField(source="project.slug")
        proposition = serializers.CharField()
        claimant = serializers.CharField()
        claimant_type = serializers.CharField()
        kind = serializers.CharField()
        evidence_status = serializers.CharField()
        event_date = serializers.DateField(allow_null=True)
        note = serializers.CharField()
        translation_note = serializers.CharField(
            help_text="The analyst's translation of the quotes (may be empty)."
        )
        version = serializers.IntegerField()
        mentions = serializers.SerializerMethodField()
        quantities = QuantitySerializer(many=True, source="quantities.all")
        created_at = serializers.DateTimeField()
        updated_at = serializers.DateTimeField()

        def get_mentions(self, claim) -> list[int]:
            return sorted(link.annotation_id for link in claim.links.all())

    class CreateInputSerializer(serializers.Serializer):
        class QuantityInputSerializer(serializers.Serializer):
            """A figure stated by the new claim (``claim_quantity_add``)."""

            value = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
            counts = serializers.ChoiceField(QuantityCounts.choices)
            bound = serializers.ChoiceField(
                QuantityBound.choices, default=QuantityBound.EXACT
            )
            cumulative = serializers.BooleanField(default=False)
            as_of = serializers.DateField(required=False, allow_null=True)

        project = serializers.SlugField()
        proposition = serializers.CharField(max_length=5000)
        claimant = serializers.CharField(
            max_length=300, required=False, allow_blank=True
        )
        claimant_type = ClaimantTypeField(
            ClaimantType.choices, default=ClaimantType.REPORTER
        )
        kind = serializers.ChoiceField(ClaimKind.choices, default=ClaimKind.FACTUAL)
        evidence_status = serializers.ChoiceField(
            EvidenceStatus.choices, default=EvidenceStatus.UNKNOWN
        )
        event_date = serializers.DateField(required=False, allow_null=True)
        note = serializers.CharField(required=False, allow_blank=True)
        translation_note = serializers.CharField(
            max_length=TRANSLATION_NOTE_MAX, required=False, allow_blank=True
        )
        annotation = id_field(required=False, allow_null=True)
        quantities = serializers.ListField(
            child=QuantityInputSerializer(),
            required=False,
            max_length=50,
            help_text="Figures the claim states (e.g. pre-filled from the analysis).",
        )

    class UpdateInputSerializer(PatchInput):
        version = version_field()
        proposition = serializers.CharField(max_length=5000, required=False)
        claimant = serializers.CharField(
            max_length=300, required=False, allow_blank=True
        )
        claimant_type = ClaimantTypeField(ClaimantType.choices, required=False)
        kind = serializers.ChoiceField(ClaimKind.choices, required=False)
        evidence_status = serializers.ChoiceField(
            EvidenceStatus.choices, required=False
        )
        event_date = serializers.DateField(required=False, allow_null=True)
        note = serializers.CharField(required=False, allow_blank=True)
        translation_note = serializers.CharField(
            max_length=TRANSLATION_NOTE_MAX,
            required=False,
            allow_blank=True,
            help_text="The analyst's translation of the quotes into English; "
            "the brief shows it beside the verbatim quote.",
        )

    class MentionsInputSerializer(serializers.Serializer):
        annotation = id_field()

    class ProposalsOutputSerializer(serializers.Serializer):
        annotation = serializers.IntegerField(source="target.pk")
        document = serializers.IntegerField(source="target.document_id")
        quote = serializers.CharField(source="target.quote")
        score = serializers.FloatField()
        reasons = serializers.ListField(child=serializers.CharField())

    class ProposalsForAnnotationOutputSerializer(serializers.Serializer):
        claim = serializers.IntegerField(source="target.pk")
        proposition = serializers.CharField(source="target.proposition")
        score = serializers.FloatField()
        reasons = serializers.ListField(child=serializers.CharField())

    permission_classes = [ProjectRolePermission]
    serializer_class = OutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        claims = Claim.objects.for_user(self.request.user).select_related("project")
        if self.action == "list":
            slug = self.request.query_params.get("project")
            if slug:
                claims = claims.filter(project__slug=slug)
            raw_document = self.request.query_params.get("document")
            if raw_document is not None:
                document_id = parse_id(raw_document)
                if document_id is None:
                    raise DRFValidationError({"document": ["Give a document id."]})
                # 404 unless the user is a member of the document's project.
                document = access_document(self.request.user, document_id)
                linked = claims_in_document(user=self.request.user, document=document)
                claims = claims.filter(pk__in=linked.values("pk"))
            q = (self.request.query_params.get("q") or "").strip()[:200]
            if q:
                claims = claims.filter(
                    Q(proposition__icontains=q) | Q(claimant__icontains=q)
                )
        return claims.prefetch_related("links", "quantities").order_by(
            "-updated_at", "-pk"
        )

    def _annotation(self, project, pk: int) -> Annotation:
        """An annotation of ``project`` to link, scoped like every lookup."""
        annotations = Annotation.objects.for_user(self.request.user)
        return get_object_or_404(annotations, project=project, pk=pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("project", str, description="Project slug"),
            OpenApiParameter("q", str, description="Words in proposition/claimant"),
            OpenApiParameter(
                "document",
                int,
                description="Only claims with a mention in this document that "
                "you may see (blind mode applies)",
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _out(self, claim: Claim) -> dict:
        claim = Claim.objects.prefetch_related("links", "quantities").get(pk=claim.pk)
        return self.OutputSerializer(claim).data

    @extend_schema(
        request=CreateInputSerializer,
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        project = access_project(request.user, fields.pop("project"), Role.ANALYST)
        annotation_id = fields.pop("annotation", None)
        annotation = None
        if annotation_id:
            annotation = self._annotation(project, annotation_id)
        claim = claim_create(
            project=project, user=request.user, annotation=annotation, **fields
        )
        return Response(self._out(claim), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UpdateInputSerializer,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None, **kwargs):
        claim = self.get_object()
        data = self.UpdateInputSerializer(data=request.data)
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

    @extend_schema(parameters=[VERSION_PARAM], responses={204: None})
    def destroy(self, request, pk=None, **kwargs):
        claim = self.get_object()
        try:
            claim_delete(
                claim=claim, user=request.user, expected_version=version_from(request)
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, self._out) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=MentionsInputSerializer,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post", "delete"])
    def mentions(self, request, pk=None, **kwargs):
        """Link (POST) or unlink (DELETE) an annotation as a mention."""
        claim = self.get_object()
        data = self.MentionsInputSerializer(data=request.data or request.query_params)
        data.is_valid(raise_exception=True)
        annotation = self._annotation(claim.project, data.validated_data["annotation"])
        if request.method == "POST":
            claim_link_mention(claim=claim, annotation=annotation, user=request.user)
        else:
            claim_unlink_mention(claim=claim, annotation=annotation, user=request.user)
        return Response(self._out(claim))

    @extend_schema(responses={200: ProposalsOutputSerializer(many=True), **NOT_FOUND})
    @action(detail=True, methods=["get"], pagination_class=None)
    def proposals(self, request, pk=None, **kwargs):
        """Annotations, not yet linked, that may report this claim."""
        claim = self.get_object()
        proposals = propose_mentions_for_claim(claim, limit=10, user=request.user)
        return Response(self.ProposalsOutputSerializer(proposals, many=True).data)

    @extend_schema(
        operation_id="claims_proposals_for_annotation",
        parameters=[OpenApiParameter("annotation", int, required=True)],
        responses={200: ProposalsForAnnotationOutputSerializer(many=True), **NOT_FOUND},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="proposals",
        url_name="annotation-proposals",
        pagination_class=None,
    )
    def proposals_for_annotation(self, request, **kwargs):
        """Existing claims an annotation may report (for the annotator panel)."""
        annotation_id = parse_id(request.query_params.get("annotation"))
        if annotation_id is None:
            raise DRFValidationError({"annotation": ["Give an annotation id."]})
        annotation = get_object_or_404(
            Annotation.objects.for_user(request.user), pk=annotation_id
        )
        proposals = propose_claims_for_annotation(
            annotation, limit=10, user=request.user
        )
        return Response(
            self.ProposalsForAnnotationOutputSerializer(proposals, many=True).data
        )
