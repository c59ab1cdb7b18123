"""``/api/suggestions/``: the queue of proposed annotations and decisions on it.

``POST /api/suggestions/<id>/accept/`` and ``/reject/`` decide one;
``/edit/`` accepts it with other offsets or tags. A suggestion already
decided by someone else gets 409.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from corpus.errors import ApplicationError
from corpus.permissions import ProjectRolePermission, access_document

from annotations.models import Suggestion, SuggestionStatus
from annotations.params import parse_id
from annotations.services.suggestions import suggestion_accept, suggestion_edit, suggestion_reject
from annotations.api.annotations import AnnotationOutputSerializer, LargePagination, annotation_data


class SuggestionOutputSerializer(serializers.ModelSerializer):
    tag_key = serializers.CharField(source="tag.key")
    tag_name = serializers.CharField(source="tag.name")
    # A plain string in the schema: "status" enums of several models would
    # otherwise collide in drf-spectacular's component names.
    status = serializers.CharField(
        read_only=True, help_text="pending, accepted, edited or rejected"
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
            "status",
            "annotation",
        ]


class SuggestionEditSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    tag_keys = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50
    )


class AcceptedSerializer(serializers.Serializer):
    annotation = AnnotationOutputSerializer()


class SuggestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Suggestions in your projects; ``?document=<id>`` (pending only unless
    ``?status=all`` or another status). Deciding needs the analyst role."""

    permission_classes = [ProjectRolePermission]
    serializer_class = SuggestionOutputSerializer
    pagination_class = LargePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Suggestion.objects.none()
        queryset = Suggestion.objects.for_user(self.request.user).select_related("tag")
        params = self.request.query_params
        if self.action == "list":
            document_id = params.get("document")
            if document_id:
                if parse_id(document_id) is None:
                    raise ApplicationError("document must be a number.")
                document = access_document(self.request.user, parse_id(document_id))
                queryset = queryset.filter(document=document)
            wanted = params.get("status", SuggestionStatus.PENDING)
            if wanted != "all":
                if wanted not in SuggestionStatus.values:
                    raise ApplicationError(
                        f"status must be 'all' or one of {SuggestionStatus.values}."
                    )
                queryset = queryset.filter(status=wanted)
        return queryset.order_by("document", "start", "end", "pk")

    @extend_schema(request=None, responses=AcceptedSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        annotation = suggestion_accept(suggestion=self.get_object(), user=request.user)
        return Response({"annotation": annotation_data(annotation)})

    @extend_schema(request=None, responses=SuggestionOutputSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        suggestion = suggestion_reject(suggestion=self.get_object(), user=request.user)
        return Response(SuggestionOutputSerializer(suggestion).data)

    @extend_schema(request=SuggestionEditSerializer, responses=AcceptedSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        suggestion = self.get_object()
        data = SuggestionEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = suggestion_edit(
            suggestion=suggestion, user=request.user, **data.validated_data
        )
        return Response({"annotation": annotation_data(annotation)})
