"""API of assignments, agreement and history (all scoped to membership)."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.models import Document, Membership, Project, Role
from corpus.permissions import ProjectRolePermission, access_project, check_role

from annotations.agreement import agreement_compute
from annotations.history_export import history_filter_entries
from annotations.models import Assignment, HistoryEntry
from annotations.params import parse_id
from annotations.services.assignments import assignment_create, assignment_delete, assignment_reopen, assignment_submit


class AssignmentSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(
        source="document.project", slug_field="slug", read_only=True
    )
    annotator_username = serializers.CharField(
        source="annotator.username", read_only=True
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "project",
            "document",
            "annotator",
            "annotator_username",
            "status",
            "assigned_by",
            "assigned_at",
            "submitted_at",
        ]
        read_only_fields = ["status", "assigned_by", "assigned_at", "submitted_at"]
        validators: list = []  # creating an existing assignment returns it

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "document" in fields:
            # Only documents the caller can see: no existence oracle.
            fields["document"].queryset = Document.objects.for_user(request.user)
        return fields


class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Assignments of documents to analysts.

    Reviewers and owners see every assignment of their projects, analysts
    their own. Owners create (``document``, ``annotator``) and withdraw;
    the annotator submits (``POST .../submit/``); reviewers reopen.
    """

    serializer_class = AssignmentSerializer
    permission_classes = [ProjectRolePermission]
    write_role = Role.OWNER
    queryset = Assignment.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        user = self.request.user
        reviewer_projects = Membership.objects.filter(
            user=user, role__in=[Role.REVIEWER, Role.OWNER]
        ).values("project_id")
        member_projects = Membership.objects.filter(user=user).values("project_id")
        queryset = (
            Assignment.objects.filter(document__project__in=member_projects)
            .filter(Q(document__project__in=reviewer_projects) | Q(annotator=user))
            .select_related("document__project", "annotator")
            .order_by("pk")
        )
        params = self.request.query_params
        if slug := params.get("project"):
            queryset = queryset.filter(document__project__slug=slug)
        if (doc := parse_id(params.get("document"))) is not None:
            queryset = queryset.filter(document_id=doc)
        if status := params.get("status"):
            queryset = queryset.filter(status=status)
        return queryset

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        # Assignments expose their project through the document.
        obj.project = obj.document.project
        if self.action in ("submit", "reopen"):
            return obj
        self.check_object_permissions(self.request, obj)
        return obj

    def create(self, request, *args, **kwargs):
        # The role check comes before validation, so a low role learns
        # nothing from validation errors.
        doc_id = parse_id(request.data.get("document"))
        document = (
            Document.objects.for_user(request.user).filter(pk=doc_id).first()
            if doc_id is not None
            else None
        )
        if document is None:
            raise ValidationError({"document": ["No such document."]})
        check_role(request.user, document.project, Role.OWNER)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = assignment_create(
            document=serializer.validated_data["document"],
            annotator=serializer.validated_data["annotator"],
            assigned_by=self.request.user,
        )

    def perform_destroy(self, instance):
        assignment_delete(assignment=instance, user=self.request.user)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, **kwargs):
        assignment = self.get_object()
        check_role(request.user, assignment.project, Role.ANALYST)
        assignment = assignment_submit(assignment=assignment, user=request.user)
        return Response(AssignmentSerializer(assignment).data)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None, **kwargs):
        assignment = self.get_object()
        assignment = assignment_reopen(assignment=assignment, user=request.user)
        return Response(AssignmentSerializer(assignment).data)


class AgreementView(APIView):
    """``GET /api/agreement/?project=<slug>``: per-tag alpha, kappa, span F1."""

    permission_classes = [ProjectRolePermission]

    @extend_schema(
        parameters=[OpenApiParameter("project", str, required=True)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, **kwargs):
        slug = request.query_params.get("project", "")
        if not slug:
            raise ValidationError({"project": ["Give ?project=<slug>."]})
        project = access_project(request.user, slug, Role.REVIEWER)
        report = agreement_compute(project=project)
        return Response(
            {
                "project": project.slug,
                "annotators": report.annotators,
                "documents": report.documents,
                "sentences": report.sentences,
                "tags": [
                    {
                        **{k: v for k, v in asdict(tag).items() if k != "pairs"},
                        "mean_kappa": tag.mean_kappa,
                        "mean_exact_f1": tag.mean_exact_f1,
                        "mean_overlap_f1": tag.mean_overlap_f1,
                        "pairs": [asdict(p) for p in tag.pairs],
                    }
                    for tag in report.tags
                ],
            }
        )


class HistoryEntrySerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = HistoryEntry
        fields = [
            "id",
            "project",
            "at",
            "actor",
            "object_type",
            "object_id",
            "action",
            "before",
            "after",
        ]


class HistoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The change history, filterable by ``project`` (slug), ``type``,
    ``id``, ``action``, ``actor``, ``since``, ``until``. In blind-mode
    projects only reviewers and owners read it."""

    serializer_class = HistoryEntrySerializer
    permission_classes = [ProjectRolePermission]
    queryset = HistoryEntry.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HistoryEntry.objects.none()
        user = self.request.user
        memberships = Membership.objects.filter(user=user).filter(
            Q(role__in=[Role.REVIEWER, Role.OWNER]) | Q(project__blind_mode=False)
        )
        projects = Project.objects.filter(pk__in=memberships.values("project_id"))
        slug = self.request.query_params.get("project")
        if slug:
            projects = projects.filter(slug=slug)
        entries = HistoryEntry.objects.filter(project__in=projects)
        return history_filter_entries(
            entries, self.request.query_params
        ).select_related("project")
