"""``/api/comments/``: the discussion on an annotation (``?annotation=<id>``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from corpus.errors import ApplicationError
from corpus.models import Role
from corpus.permissions import ProjectRolePermission, check_role

from annotations.models import Comment
from annotations.params import parse_id
from annotations.selectors import annotations_visible_in_projects
from annotations.services.comments import comment_create


class CommentOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username")

    class Meta:
        model = Comment
        fields = ["id", "annotation", "author", "body", "created_at"]


class CommentCreateSerializer(serializers.Serializer):
    annotation = serializers.IntegerField()
    body = serializers.CharField(max_length=10_000)


class CommentPermission(ProjectRolePermission):
    """Comments belong to the project of their annotation."""

    def has_object_permission(self, request, view, obj) -> bool:
        return super().has_object_permission(request, view, obj.annotation)


class CommentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Comments on annotations you can see; analysts may post."""

    permission_classes = [CommentPermission]
    serializer_class = CommentOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Comment.objects.none()
        visible = annotations_visible_in_projects(user=self.request.user)
        queryset = Comment.objects.filter(annotation__in=visible).select_related(
            "author", "annotation__project"
        )
        annotation_id = self.request.query_params.get("annotation")
        if self.action == "list" and annotation_id:
            if parse_id(annotation_id) is None:
                raise ApplicationError("annotation must be a number.")
            queryset = queryset.filter(annotation_id=parse_id(annotation_id))
        return queryset.order_by("created_at", "pk")

    @extend_schema(request=CommentCreateSerializer, responses=CommentOutputSerializer)
    def create(self, request):
        data = CommentCreateSerializer(data=request.data)
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
            CommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED
        )
