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
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Substr
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from corpus.models import Document, Membership, Project, Role
from corpus.permissions import ProjectRolePermission, access_project
from corpus.services import project_create, project_update

from corpus.api.filters import DocumentFilter
from corpus.api.ingestion import ingest_from_url, ingest_upload
from corpus.api.pagination import GlossaPagination
from corpus.api.schema import NOT_FOUND, SLUG_PARAM, WRITE_ERRORS
from corpus.api.serializers import DocumentCaptureInput, DocumentDetailOutput, DocumentListOutput, DocumentUploadInput, IngestOutput, ProjectCreateInput, ProjectOutput, ProjectUpdateInput, SearchInput, SearchResultOutput


@extend_schema_view(
    list=extend_schema(summary="Projects you are a member of"),
    retrieve=extend_schema(
        summary="One project",
        parameters=[SLUG_PARAM],
        responses={200: ProjectOutput, **NOT_FOUND},
    ),
)
class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ProjectOutput
    permission_classes = [ProjectRolePermission]
    pagination_class = GlossaPagination
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    write_role = Role.OWNER
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        role = Membership.objects.filter(project=OuterRef("pk"), user=user).values(
            "role"
        )[:1]
        return (
            Project.objects.for_user(user)
            .annotate(
                my_role=Subquery(role),
                document_count=Count("documents", distinct=True),
            )
            .order_by("name", "pk")
        )

    @extend_schema(
        summary="Create a project (you become its owner)",
        request=ProjectCreateInput,
        responses={201: ProjectOutput, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = ProjectCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data.get("slug") or ""
        if slug and Project.objects.filter(slug=slug).exists():
            return Response(
                {"message": f"The slug {slug!r} is taken.", "extra": {}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        project = project_create(created_by=request.user, **data.validated_data)
        project = self.get_queryset().get(pk=project.pk)
        return Response(ProjectOutput(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename or describe a project (owner)",
        parameters=[SLUG_PARAM],
        request=ProjectUpdateInput,
        responses={200: ProjectOutput, **WRITE_ERRORS},
    )
    def partial_update(self, request, slug=None, **kwargs):
        project = self.get_object()
        data = ProjectUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project_update(project=project, actor=request.user, **data.validated_data)
        return Response(ProjectOutput(self.get_queryset().get(pk=project.pk)).data)


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
