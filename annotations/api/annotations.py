"""``/api/annotations/``: list, create, update (with ``version``) and delete.

Thin: parse with an Input serializer, check membership, call one service,
render with the Output serializer. A stale ``version`` gets 409 with the
current annotation in ``extra.current``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from corpus.api.exceptions import conflict_with_current
from corpus.errors import ApplicationError, ConflictError
from corpus.models import Role
from corpus.permissions import ProjectRolePermission, access_document

from annotations.models import Annotation, AnnotationStatus
from annotations.params import parse_id
from annotations.selectors import annotation_visible, annotations_for_display, annotations_visible_in_projects, annotations_visible_to
from annotations.services.annotations import annotation_create, annotation_delete, annotation_update


class LargePagination(PageNumberPagination):
    """Pages of 200 by default; ``?page_size=`` up to 2000 for the annotator."""

    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 2000


class ClaimBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="claim.id")
    proposition = serializers.CharField(source="claim.proposition")
    claimant = serializers.CharField(source="claim.claimant")
    claimant_type = serializers.CharField(source="claim.claimant_type")
    evidence_status = serializers.CharField(source="claim.evidence_status")
    version = serializers.IntegerField(source="claim.version")


class AnnotationOutputSerializer(serializers.ModelSerializer):
    tag_keys = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.get_username")
    claims = ClaimBriefSerializer(source="claim_links", many=True, read_only=True)
    comment_count = serializers.SerializerMethodField()

    class Meta:
        model = Annotation
        fields = [
            "id",
            "document",
            "start",
            "end",
            "quote",
            "prefix",
            "suffix",
            "tag_keys",
            "note",
            "author",
            "status",
            "origin",
            "version",
            "claims",
            "comment_count",
            "created_at",
            "updated_at",
        ]

    def get_tag_keys(self, obj) -> list[str]:
        return [tag.key for tag in obj.tags.all()]

    def get_comment_count(self, obj) -> int:
        count = getattr(obj, "comment_count", None)
        return obj.comments.count() if count is None else count


def annotation_data(annotation: Annotation) -> dict:
    """Serialize one annotation fresh from the database (after a write)."""
    fresh = annotations_for_display(Annotation.objects.filter(pk=annotation.pk)).get()
    return AnnotationOutputSerializer(fresh).data


class AnnotationCreateSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    tag_keys = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50
    )
    note = serializers.CharField(allow_blank=True, required=False, max_length=20_000)


class AnnotationUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    tag_keys = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50, required=False
    )
    note = serializers.CharField(allow_blank=True, required=False, max_length=20_000)
    status = serializers.ChoiceField(choices=AnnotationStatus.choices, required=False)


class AnnotationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Annotations of documents in your projects. List with ``?document=<id>``.

    Viewers read; analysts write. PATCH and DELETE need the version you read
    (``version`` in the body, ``?version=`` for DELETE).
    """

    permission_classes = [ProjectRolePermission]
    serializer_class = AnnotationOutputSerializer
    pagination_class = LargePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Annotation.objects.none()
        if self.action in ("partial_update", "destroy"):
            # Writes re-read and lock the row in the service; the blind-mode
            # rule is checked on the one object (get_object below).
            return Annotation.objects.for_user(self.request.user).select_related(
                "project"
            )
        document_id = self.request.query_params.get("document")
        if self.action == "list" and document_id:
            if parse_id(document_id) is None:
                raise ApplicationError("document must be a number.")
            document = access_document(self.request.user, parse_id(document_id))
            queryset = annotations_visible_to(user=self.request.user, document=document)
        else:
            queryset = annotations_visible_in_projects(user=self.request.user)
        return annotations_for_display(queryset)

    def get_object(self):
        annotation = super().get_object()
        if self.action in ("partial_update", "destroy") and not annotation_visible(
            user=self.request.user, annotation=annotation
        ):
            raise Http404("No such annotation.")
        return annotation

    @extend_schema(
        request=AnnotationCreateSerializer, responses=AnnotationOutputSerializer
    )
    def create(self, request):
        data = AnnotationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = access_document(
            request.user, data.validated_data["document"], Role.ANALYST
        )
        annotation = annotation_create(
            document=document,
            author=request.user,
            start=data.validated_data["start"],
            end=data.validated_data["end"],
            tag_keys=data.validated_data["tag_keys"],
            note=data.validated_data.get("note", ""),
        )
        return Response(annotation_data(annotation), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AnnotationUpdateSerializer, responses=AnnotationOutputSerializer
    )
    def partial_update(self, request, pk=None):
        annotation = self.get_object()
        data = AnnotationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            annotation = annotation_update(
                annotation=annotation,
                user=request.user,
                expected_version=values["version"],
                tag_keys=values.get("tag_keys"),
                note=values.get("note"),
                status=values.get("status"),
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, annotation_data) from None
        return Response(annotation_data(annotation))

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, required=True, description="Version read")
        ],
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        annotation = self.get_object()
        version = request.query_params.get("version", "")
        if not (version.isascii() and version.isdigit()):
            raise ValidationError(
                {"version": "Give ?version=<the version you read> to delete."}
            )
        try:
            annotation_delete(
                annotation=annotation, user=request.user, expected_version=int(version)
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, annotation_data) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
