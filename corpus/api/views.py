"""Corpus API: projects, documents (with ingestion) and document search.

Views are thin: they validate input with an Input serializer, check the
role through ``corpus.permissions``, call a service, and render an Output
serializer. Querysets are always scoped with ``for_user``.
"""

from __future__ import annotations

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from corpus.api.filters import DocumentFilter
from corpus.api.ingestion import ingest_from_url, ingest_upload
from corpus.api.serializers import (
    AssignmentSerializer,
    DocumentCaptureInput,
    DocumentDetailOutput,
    DocumentListOutput,
    DocumentUploadInput,
    IngestOutput,
    SearchInput,
    SearchResultOutput,
)
from corpus.models import Assignment, Document
from corpus.services import (
    assignment_create,
    assignment_delete,
    assignment_reopen,
    assignment_submit,
)
from projects.api.pagination import GlossaPagination
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.models import Membership, Role
from projects.params import parse_id
from projects.permissions import ProjectRolePermission, access_project, check_role


@extend_schema_view(
    list=extend_schema(summary="Documents (without their text)"),
    retrieve=extend_schema(
        summary="One document with its text",
        responses={200: DocumentDetailOutput, **NOT_FOUND},
    ),
)
class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [ProjectRolePermission]
    pagination_class = GlossaPagination
    filterset_class = DocumentFilter

    def get_queryset(self):
        queryset = (
            Document.objects.for_user(self.request.user)
            .select_related("project", "source")
            .order_by("-captured_at", "-pk")
        )
        if self.action == "list":
            queryset = queryset.without_bodies()
        return queryset

    def get_serializer_class(self):
        return DocumentDetailOutput if self.action == "retrieve" else DocumentListOutput

    def list(self, request, *args, **kwargs):
        slug = request.query_params.get("project")
        if slug:
            access_project(request.user, slug)  # 404 for non-members
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a file as a new document (analyst)",
        request={"multipart/form-data": DocumentUploadInput},
        responses={201: IngestOutput, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = DocumentUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        project = access_project(request.user, values["project"], Role.ANALYST)
        upload = values["file"]
        outcome = ingest_upload(
            project=project,
            user=request.user,
            name=upload.name or "upload",
            data=upload.read(),
            title=values.get("title", ""),
            kind=values.get("kind", ""),
        )
        return Response(IngestOutput(outcome).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Capture a web page as a new document (analyst)",
        request=DocumentCaptureInput,
        responses={201: IngestOutput, **WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="capture")
    def capture(self, request, **kwargs):
        data = DocumentCaptureInput(data=request.data)
        data.is_valid(raise_exception=True)
        project = access_project(
            request.user, data.validated_data["project"], Role.ANALYST
        )
        outcome = ingest_from_url(
            project=project, user=request.user, url=data.validated_data["url"]
        )
        return Response(IngestOutput(outcome).data, status=status.HTTP_201_CREATED)


class SearchView(GenericAPIView):
    """Full-text search over the documents of your projects.

    PostgreSQL: English full-text search (web syntax: words, "phrases",
    -excluded), ranked, with the matching passage. Elsewhere: a
    case-insensitive substring match.
    """

    permission_classes = [ProjectRolePermission]
    pagination_class = GlossaPagination
    serializer_class = SearchResultOutput
    filter_backends: list = []

    @extend_schema(
        summary="Search documents",
        parameters=[SearchInput],
        responses={200: SearchResultOutput(many=True), **WRITE_ERRORS},
    )
    def get(self, request, **kwargs):
        params = SearchInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        documents = Document.objects.for_user(request.user).select_related(
            "project", "source"
        )
        if values.get("project"):
            project = access_project(request.user, values["project"])
            documents = documents.filter(project=project)
        if values.get("kind"):
            documents = documents.filter(kind=values["kind"])
        documents = _search(documents, values["q"]).defer("text", "metadata")
        page = self.paginate_queryset(documents)
        return self.get_paginated_response(SearchResultOutput(page, many=True).data)


# PostgreSQL refuses a tsvector over 1 MB ("string is too long for
# tsvector"). Even hostile text (all short unique words) costs at most about
# 2.7 bytes of tsvector per character (measured: 815 kB for 300,000 characters
# of unique 2-4 letter words), so 300,000 characters (some 100 pages)
# always fit; the rest of a longer document is not searched.
SEARCH_CHARS = 300_000


def _search(documents, q: str):
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="english")
        body = Substr("text", 1, SEARCH_CHARS)
        vector = SearchVector("title", weight="A", config="english") + SearchVector(
            body, weight="B", config="english"
        )
        return (
            documents.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .annotate(
                headline=SearchHeadline(
                    body,
                    query,
                    config="english",
                    start_sel="«",
                    stop_sel="»",
                    max_words=35,
                    min_words=15,
                )
            )
            .order_by("-rank", "-pk")
        )
    return (
        documents.filter(Q(text__icontains=q) | Q(title__icontains=q))
        .annotate(rank=Value(1.0), headline=Substr(F("text"), 1, 200))
        .order_by("-pk")
    )


SEARCH_PARAMS = [OpenApiParameter("q", OpenApiTypes.STR, required=True)]


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
