"""API of annotations, comments, suggestions and tags.

Thin: parse with an input serializer, check membership, call one service,
render with an output serializer. A stale ``version`` gets 409 with the current
object in ``extra.current``; a suggestion already decided gets 409.

Serializers are nested in their viewset: ``OutputSerializer`` is the
resource, ``<Action>InputSerializer``/``<Action>OutputSerializer`` the
shapes of one action. Querysets start from ``for_user``; annotations (and
the comments on them) also follow the blind-mode rules of
``annotations.selectors``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from annotations.api.serializers import AnnotationOutputSerializer
from annotations.learning.selectors import QUEUE_ORDERS, by_uncertainty
from annotations.models import (
    Annotation,
    AnnotationStatus,
    Comment,
    Suggestion,
    SuggestionStatus,
    Tag,
)
from annotations.selectors import (
    SuggestionFilters,
    annotation_visible,
    annotations_for_display,
    annotations_visible_in_projects,
    annotations_visible_to,
    suggestions_seen_by,
    suggestions_triage,
)
from annotations.services.annotations import (
    annotation_create,
    annotation_delete,
    annotation_update,
)
from annotations.services.comments import comment_create
from annotations.services.suggestions import (
    BULK_DECISIONS,
    suggestion_accept,
    suggestion_edit,
    suggestion_reject,
    suggestion_reopen,
    suggestions_decide_bulk,
)
from annotations.services.taxonomy import tag_create, tag_delete, tag_update
from corpus.permissions import access_document
from projects.api.exceptions import conflict_with_current
from projects.api.inputs import PatchInput
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.errors import ApplicationError, ConflictError
from projects.models import Project, Role
from projects.params import parse_id
from projects.permissions import ProjectRolePermission, access_project, check_role

KEY_REGEX = r"^[a-z][a-z0-9_.\-]*$"
COLOUR_REGEX = r"^#[0-9a-fA-F]{6}$"


def tag_keys_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50, **kwargs
    )


@extend_schema_view(list=extend_schema(summary="Tags of your projects (?project=slug)"))
class TagViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    class OutputSerializer(serializers.ModelSerializer):
        project: serializers.SlugRelatedField[Project] = serializers.SlugRelatedField(
            slug_field="slug", read_only=True
        )

        class Meta:
            model = Tag
            fields = [
                "id",
                "project",
                "key",
                "name",
                "description",
                "colour",
                "hotkey",
                "patterns",
                "order",
                "is_active",
            ]

    class CreateInputSerializer(serializers.Serializer):
        project = serializers.SlugField()
        key = serializers.RegexField(KEY_REGEX, max_length=64)
        name = serializers.CharField(max_length=120)
        description = serializers.CharField(required=False, allow_blank=True)
        colour = serializers.RegexField(COLOUR_REGEX, required=False)
        hotkey = serializers.CharField(max_length=1, required=False, allow_blank=True)
        order = serializers.IntegerField(min_value=0, max_value=100000, required=False)
        is_active = serializers.BooleanField(required=False)

    class UpdateInputSerializer(PatchInput):
        name = serializers.CharField(max_length=120, required=False)
        description = serializers.CharField(required=False, allow_blank=True)
        colour = serializers.RegexField(COLOUR_REGEX, required=False)
        hotkey = serializers.CharField(max_length=1, required=False, allow_blank=True)
        order = serializers.IntegerField(min_value=0, max_value=100000, required=False)
        is_active = serializers.BooleanField(required=False)

    queryset = Tag.objects.none()  # for the schema; see get_queryset
    serializer_class = OutputSerializer
    permission_classes = [ProjectRolePermission]
    write_role = Role.OWNER
    filterset_fields = {"project__slug": ["exact"], "is_active": ["exact"]}

    def get_queryset(self):
        return (
            Tag.objects.for_user(self.request.user)
            .select_related("project")
            .order_by("project_id", "order", "key")
        )

    def list(self, request, *args, **kwargs):
        slug = request.query_params.get("project__slug")
        if slug:
            access_project(request.user, slug)
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One tag", responses={200: OutputSerializer, **NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Add a tag (owner)",
        request=CreateInputSerializer,
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        project = access_project(request.user, values.pop("project"), Role.OWNER)
        tag = tag_create(project=project, user=request.user, **values)
        return Response(self.OutputSerializer(tag).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a tag (owner); keys never change",
        request=UpdateInputSerializer,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None, **kwargs):
        tag = self.get_object()
        data = self.UpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        tag = tag_update(tag=tag, user=request.user, **data.validated_data)
        return Response(self.OutputSerializer(tag).data)

    @extend_schema(
        summary="Delete an unused tag (owner)",
        responses={204: None, **WRITE_ERRORS},
    )
    def destroy(self, request, pk=None, **kwargs):
        tag_delete(tag=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def annotation_fresh(annotation: Annotation) -> Annotation:
    """The annotation re-read for display (after a write)."""
    return annotations_for_display(Annotation.objects.filter(pk=annotation.pk)).get()


def annotation_data(annotation: Annotation) -> dict:
    """Serialize one annotation fresh from the database (after a write)."""
    return AnnotationOutputSerializer(annotation_fresh(annotation)).data


class AnnotationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Annotations of documents in your projects. List with ``?document=<id>``.

    Viewers read; analysts write. PATCH and DELETE need the version you read
    (``version`` in the body, ``?version=`` for DELETE).
    """

    class CreateInputSerializer(serializers.Serializer):
        document = serializers.IntegerField()
        start = serializers.IntegerField(min_value=0)
        end = serializers.IntegerField(min_value=1)
        tag_keys = tag_keys_field()
        note = serializers.CharField(
            allow_blank=True, required=False, max_length=20_000
        )

    class UpdateInputSerializer(PatchInput):
        version = serializers.IntegerField(min_value=1)
        tag_keys = tag_keys_field(required=False)
        note = serializers.CharField(
            allow_blank=True, required=False, max_length=20_000
        )
        status = serializers.ChoiceField(
            choices=AnnotationStatus.choices, required=False
        )
        start = serializers.IntegerField(
            min_value=0, required=False, help_text="Resize: new start (with end)"
        )
        end = serializers.IntegerField(
            min_value=1, required=False, help_text="Resize: new end (with start)"
        )

    permission_classes = [ProjectRolePermission]
    # Shared with the suggestion decisions and the 409 bodies (see its module).
    serializer_class = AnnotationOutputSerializer

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
            if (document_pk := parse_id(document_id)) is None:
                raise ApplicationError("document must be a number.")
            document = access_document(self.request.user, document_pk)
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
        request=CreateInputSerializer,
        responses={201: AnnotationOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = self.CreateInputSerializer(data=request.data)
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

    @extend_schema(request=UpdateInputSerializer, responses=AnnotationOutputSerializer)
    def partial_update(self, request, pk=None):
        annotation = self.get_object()
        data = self.UpdateInputSerializer(data=request.data)
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
                start=values.get("start"),
                end=values.get("end"),
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


class CommentPermission(ProjectRolePermission):
    """Comments belong to the project of their annotation."""

    def has_object_permission(self, request, view, obj) -> bool:
        return super().has_object_permission(request, view, obj.annotation)


class CommentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Comments on annotations you can see; analysts may post."""

    class OutputSerializer(serializers.ModelSerializer):
        author = serializers.CharField(source="author.get_username")

        class Meta:
            model = Comment
            fields = ["id", "annotation", "author", "body", "created_at"]

    class CreateInputSerializer(serializers.Serializer):
        annotation = serializers.IntegerField()
        body = serializers.CharField(max_length=10_000)

    permission_classes = [CommentPermission]
    serializer_class = OutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Comment.objects.none()
        # Blind mode: no comments on annotations the user may not see.
        visible = annotations_visible_in_projects(user=self.request.user)
        queryset = (
            Comment.objects.for_user(self.request.user)
            .filter(annotation__in=visible)
            .select_related("author", "annotation__project")
        )
        annotation_id = self.request.query_params.get("annotation")
        if self.action == "list" and annotation_id:
            if (annotation_pk := parse_id(annotation_id)) is None:
                raise ApplicationError("annotation must be a number.")
            queryset = queryset.filter(annotation_id=annotation_pk)
        return queryset.order_by("created_at", "pk")

    @extend_schema(
        request=CreateInputSerializer,
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = (
            annotations_visible_in_projects(user=request.user)
            .select_related("document__project")
            .filter(pk=data.validated_data["annotation"])
            .first()
        )
        if annotation is None:
            raise NotFound("No such annotation.")
        check_role(request.user, annotation.document.project, Role.ANALYST)
        comment = comment_create(
            annotation=annotation,
            author=request.user,
            body=data.validated_data["body"],
        )
        return Response(
            self.OutputSerializer(comment).data, status=status.HTTP_201_CREATED
        )


class SuggestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Suggestions in your projects; ``?document=<id>`` (pending only unless
    ``?status=all`` or another status); ``?order=uncertainty`` puts the
    model's least certain first (``by_uncertainty``). Deciding needs the
    analyst role."""

    class OutputSerializer(serializers.ModelSerializer):
        tag_key = serializers.CharField(source="tag.key")
        tag_name = serializers.CharField(source="tag.name")
        # A plain string in the schema: "status" enums of several models would
        # otherwise collide in drf-spectacular's component names.
        status = serializers.CharField(
            source="seen_status",
            read_only=True,
            help_text=(
                "pending, accepted, edited or rejected (in a blind project, "
                "for a viewer or analyst: their own decision)"
            ),
        )
        annotation = serializers.IntegerField(
            source="seen_annotation_id",
            read_only=True,
            allow_null=True,
            help_text="The annotation the decision made.",
        )

        class Meta:
            model = Suggestion
            fields = [
                "id",
                "document",
                "start",
                "end",
                "quote",
                "tag_key",
                "tag_name",
                "claimant",
                "claimant_type",
                "confidence",
                "rule",
                "explanation",
                "context_start",
                "context_end",
                "status",
                "annotation",
            ]

    class EditInputSerializer(serializers.Serializer):
        start = serializers.IntegerField(min_value=0)
        end = serializers.IntegerField(min_value=1)
        tag_keys = tag_keys_field()

    class AcceptOutputSerializer(serializers.Serializer):
        """The annotation the decision made (accept and edit answer alike)."""

        annotation = AnnotationOutputSerializer()

    permission_classes = [ProjectRolePermission]
    serializer_class = OutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Suggestion.objects.none()
        queryset = suggestions_seen_by(
            Suggestion.objects.for_user(self.request.user).select_related("tag"),
            user=self.request.user,
        )
        params = self.request.query_params
        if self.action == "list":
            document_id = params.get("document")
            if document_id:
                if (document_pk := parse_id(document_id)) is None:
                    raise ApplicationError("document must be a number.")
                document = access_document(self.request.user, document_pk)
                queryset = queryset.filter(document=document)
            wanted = params.get("status", SuggestionStatus.PENDING)
            if wanted != "all":
                if wanted not in SuggestionStatus.values:
                    raise ApplicationError(
                        f"status must be 'all' or one of {SuggestionStatus.values}."
                    )
                # "seen" is annotated by suggestions_seen_by.
                queryset = queryset.filter(**{"seen": wanted})
            order = params.get("order", "")
            if order not in QUEUE_ORDERS:
                raise ApplicationError(
                    f"order must be empty or one of {[o for o in QUEUE_ORDERS if o]}."
                )
            if order == "uncertainty":
                return by_uncertainty(queryset)
        return queryset.order_by("document", "start", "end", "pk")

    @extend_schema(request=None, responses=AcceptOutputSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        annotation = suggestion_accept(suggestion=self.get_object(), user=request.user)
        return Response(self._decided(annotation))

    @extend_schema(request=None, responses=OutputSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        suggestion = suggestion_reject(suggestion=self.get_object(), user=request.user)
        return Response(self.OutputSerializer(suggestion).data)

    @extend_schema(
        summary="Undo your decision: pending again, its annotation deleted",
        request=None,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        suggestion = suggestion_reopen(suggestion=self.get_object(), user=request.user)
        return Response(self.OutputSerializer(suggestion).data)

    @extend_schema(request=EditInputSerializer, responses=AcceptOutputSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        suggestion = self.get_object()
        data = self.EditInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = suggestion_edit(
            suggestion=suggestion, user=request.user, **data.validated_data
        )
        return Response(self._decided(annotation))

    def _decided(self, annotation: Annotation) -> dict:
        fresh = annotation_fresh(annotation)
        return self.AcceptOutputSerializer({"annotation": fresh}).data

    class TriageFilterSerializer(serializers.Serializer):
        """Which pending suggestions of a project a triage covers."""

        project = serializers.SlugField()
        tag = serializers.CharField(max_length=64, required=False, allow_blank=True)
        rule = serializers.CharField(max_length=200, required=False, allow_blank=True)
        min_confidence = serializers.FloatField(
            min_value=0, max_value=1, required=False, allow_null=True
        )
        max_confidence = serializers.FloatField(
            min_value=0, max_value=1, required=False, allow_null=True
        )
        document = serializers.IntegerField(
            min_value=1, required=False, allow_null=True
        )

    class TriageInputSerializer(TriageFilterSerializer):
        decision = serializers.ChoiceField(choices=list(BULK_DECISIONS))
        expected_count = serializers.IntegerField(
            min_value=0,
            help_text="The count the user confirmed (from GET); 400 if it changed.",
        )

    class TriageCountSerializer(serializers.Serializer):
        count = serializers.IntegerField()

    class TriageOutputSerializer(serializers.Serializer):
        decided = serializers.IntegerField()
        skipped = serializers.ListField(child=serializers.CharField())

    def _triage(self, serializer_class, role: str):
        data = serializer_class(
            data=self.request.data
            if self.request.method == "POST"
            else self.request.query_params
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        project = access_project(self.request.user, values["project"], role)
        filters = SuggestionFilters(
            tag=values.get("tag", ""),
            rule=values.get("rule", ""),
            min_confidence=values.get("min_confidence"),
            max_confidence=values.get("max_confidence"),
            document=values.get("document"),
        )
        queryset = suggestions_triage(
            user=self.request.user, project=project, filters=filters
        )
        return values, queryset

    @extend_schema(
        summary="Count the pending suggestions a triage would decide",
        parameters=[TriageFilterSerializer],
        responses={200: TriageCountSerializer, **NOT_FOUND},
    )
    @action(detail=False, methods=["get"], url_path="triage", url_name="triage")
    def triage_count(self, request):
        _, queryset = self._triage(self.TriageFilterSerializer, Role.VIEWER)
        return Response({"count": queryset.count()})

    @extend_schema(
        summary="Accept or reject every pending suggestion that matches",
        request=TriageInputSerializer,
        responses={200: TriageOutputSerializer, **WRITE_ERRORS},
    )
    @triage_count.mapping.post
    def triage(self, request):
        values, queryset = self._triage(self.TriageInputSerializer, Role.ANALYST)
        result = suggestions_decide_bulk(
            suggestions=queryset,
            user=request.user,
            decision=values["decision"],
            expected_count=values["expected_count"],
        )
        return Response({"decided": result.decided, "skipped": result.skipped})
