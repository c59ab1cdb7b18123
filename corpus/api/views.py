"""Corpus API: documents (with ingestion), document search, assignments.

Views are thin: they validate input with their nested ``InputSerializer``
(``<Action>InputSerializer`` in a viewset), check the role through
``projects.permissions``, call a service, and render their nested
``OutputSerializer``. Querysets are scoped with ``for_user``, except the
document list, scoped by project for speed (see ``_list_scope``), and one
document, read with its reader's role in one query (``retrieve``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from corpus.api.filters import DocumentFilter
from corpus.api.includes import document_include_column, document_includes
from corpus.api.ingestion import ingest_from_url, ingest_upload
from corpus.api.serializers import DocumentOutputSerializer
from corpus.models import Assignment, Document, DocumentKind
from corpus.selectors import (
    NewestAcrossProjects,
    document_for_member,
    documents_search,
)
from corpus.services import (
    assignment_create,
    assignment_delete,
    assignment_reopen,
    assignment_submit,
)
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.models import Membership, Project, Role
from projects.params import parse_id
from projects.permissions import (
    SAFE_METHODS,
    ProjectRolePermission,
    access_project,
    check_role,
    signed_in_user,
)

# What one document carries beyond a list row: its text and provenance.
RETRIEVE_FIELDS = (
    "text",
    "metadata",
    "extractor",
    "extractor_version",
    "previous_version",
    "near_duplicate_of",
)

# Query parameters of the document list that also narrow a lookup.
FILTER_PARAMS = frozenset(DocumentFilter.base_filters)

# What get_object (Django's get_object_or_404) answers for a missing document.
NOT_FOUND_MESSAGE = "No Document matches the given query."

_REPRESENTERS: dict[type[serializers.Serializer], serializers.Serializer] = {}


def represent(serializer_class: type[serializers.Serializer], instance) -> dict:
    """``serializer_class(instance).data``, with the serializer's fields built
    once per class: a ModelSerializer builds its fields anew for every
    instance, most of its cost for one row. For read-only output
    serializers whose fields need no context (no request, no hyperlinks)."""
    serializer = _REPRESENTERS.get(serializer_class)
    if serializer is None:
        serializer = serializer_class()
        serializer.fields  # noqa: B018 (built here, once)
        serializer = _REPRESENTERS.setdefault(serializer_class, serializer)
    return serializer.to_representation(instance)


@extend_schema_view(list=extend_schema(summary="Documents (without their text)"))
class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Documents of your projects; lists carry no text (the shared
    ``DocumentOutputSerializer``), one document carries its text."""

    class RetrieveOutputSerializer(DocumentOutputSerializer):
        """A document with its immutable text and its provenance."""

        class Meta(DocumentOutputSerializer.Meta):
            fields = [*DocumentOutputSerializer.Meta.fields, *RETRIEVE_FIELDS]

    class CreateInputSerializer(serializers.Serializer):
        project = serializers.SlugField(help_text="Slug of the project to add it to.")
        file = serializers.FileField(
            help_text="The original file (bytes are kept with their SHA-256)."
        )
        title = serializers.CharField(max_length=500, required=False, allow_blank=True)
        kind = serializers.ChoiceField(
            choices=DocumentKind.choices, required=False, allow_blank=True
        )

        def validate_file(self, value):
            if value.size > settings.GLOSSA_MAX_UPLOAD_BYTES:
                raise serializers.ValidationError(
                    f"The file is larger than {settings.GLOSSA_MAX_UPLOAD_BYTES} bytes."
                )
            return value

    class CaptureInputSerializer(serializers.Serializer):
        project = serializers.SlugField()
        url = serializers.URLField(max_length=2000)

    class CreateOutputSerializer(serializers.Serializer):
        """What an ingestion stored (capture answers alike)."""

        class ErrorSerializer(serializers.Serializer):
            name = serializers.CharField()
            reason = serializers.CharField()

        documents = DocumentOutputSerializer(many=True)
        duplicates = DocumentOutputSerializer(many=True)
        # DRF takes declared fields off the class: "errors" shadows nothing.
        errors = ErrorSerializer(many=True)  # type: ignore[assignment]

    permission_classes = [ProjectRolePermission]
    filterset_class = DocumentFilter

    def get_queryset(self):
        if self.action == "list":
            queryset = self._list_scope().without_bodies()
        else:
            queryset = Document.objects.for_user(self.request.user)
        return queryset.select_related("project", "source").order_by(
            "-captured_at", "-pk"
        )

    def _list_scope(self):
        """The listed documents, scoped so that one page is cheap.

        With one project (``?project=``, or a member of a single project)
        the scope is an equality on ``project_id``: PostgreSQL then walks
        the index ``document_project_captured`` in list order and stops
        after one page. A membership subquery (``for_user``) hides which
        project is meant, and the planner sorts every document of every
        project of the user instead (786 ms at 100,000 documents).
        """
        project = getattr(self, "project", None)
        if project is not None:
            return Document.objects.filter(project=project)
        user = self.request.user
        if not user.is_authenticated:
            return Document.objects.none()
        projects = list(
            Membership.objects.filter(user=user).values_list("project_id", flat=True)
        )
        if len(projects) == 1:
            return Document.objects.filter(project_id=projects[0])
        self.merged_projects = projects  # one index walk each, see list()
        return Document.objects.filter(project_id__in=projects)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.RetrieveOutputSerializer
        return DocumentOutputSerializer

    def list(self, request, *args, **kwargs):
        slug = request.query_params.get("project")
        self.project = None
        self.merged_projects = []
        if slug:
            self.project = access_project(request.user, slug)  # 404 for non-members
        queryset = self.filter_queryset(self.get_queryset())
        if self.merged_projects:
            # Pages like a queryset (count and slices), which is all DRF needs.
            queryset = NewestAcrossProjects(queryset, self.merged_projects)  # type: ignore[assignment]
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    class IncludedOutputSerializer(RetrieveOutputSerializer):
        """A document with what ``?include=`` asked for embedded."""

        annotations = serializers.ListField(
            child=serializers.DictField(),
            required=False,
            read_only=True,
            help_text=(
                "With ?include=annotations: the annotations you may see (blind "
                "mode applies), in text order, each with id, start, end, quote, "
                "tag_keys, note, author, status, origin, version, comment_count."
            ),
        )

        class Meta(DocumentOutputSerializer.Meta):
            fields = [
                *DocumentOutputSerializer.Meta.fields,
                *RETRIEVE_FIELDS,
                "annotations",
            ]

    @extend_schema(
        summary="One document with its text (and, on request, its annotations)",
        parameters=[
            OpenApiParameter(
                "include",
                str,
                description=(
                    "Comma-separated rows to embed: 'annotations' (the document "
                    "and its annotations in one request)."
                ),
            )
        ],
        responses={200: IncludedOutputSerializer, **NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        raw = request.query_params.get("include", "")
        wanted = [name.strip() for name in raw.split(",") if name.strip()]
        known = document_includes()
        unknown = [name for name in wanted if name not in known]
        if unknown or len(raw) > 200:
            raise ValidationError(
                {
                    "include": [
                        f"Unknown include {', '.join(unknown)[:100]!r}; "
                        f"choose from {sorted(known)}."
                    ]
                }
            )
        wanted = list(dict.fromkeys(wanted))
        if FILTER_PARAMS.intersection(request.query_params):
            # The list's filters narrow a lookup too (DRF's get_object): rare.
            document = self.get_object()
            included: dict[str, Any] = {}
        else:
            document, included = self._document_with_includes(wanted)
        data = represent(self.RetrieveOutputSerializer, document)
        for name in wanted:
            data[name] = (
                included[name]
                if name in included
                else known[name](request.user, document)
            )
        return Response(data)

    def _document_with_includes(
        self, wanted: Sequence[str]
    ) -> tuple[Document, dict[str, Any]]:
        """The document, its reader's role and the included rows that have a
        single-query form (``document_include_column``), in one query.

        The same answer as ``get_object`` (a document of one of the user's
        projects, else 404; then ``ProjectRolePermission`` on it), without
        a second query for the membership: the role comes with the row.
        """
        user = self.request.user
        try:  # the id as the primary key's lookup converts it
            pk = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except (TypeError, ValueError):
            raise Http404 from None  # as DRF's get_object_or_404
        if not 0 < pk < 2**63 or not user.is_authenticated:
            raise Http404(NOT_FOUND_MESSAGE)
        columns = {}
        for name in wanted:
            column = document_include_column(name, pk, user.pk)
            if column is not None:
                columns[name] = column
        found = document_for_member(user=user, pk=pk, columns=columns)
        if found is None:
            raise Http404(NOT_FOUND_MESSAGE)
        document, role, values = found
        needed = (
            Role.VIEWER
            if self.request.method in SAFE_METHODS
            else getattr(self, "write_role", Role.ANALYST)
        )
        if not Membership(role=role).allows(needed):
            raise PermissionDenied(
                f"This needs the {Role(needed).label.lower()} role in "
                f"{document.project.name}."
            )
        return document, {name: json.loads(value) for name, value in values.items()}

    @extend_schema(
        summary="Upload a file as a new document (analyst)",
        request={"multipart/form-data": CreateInputSerializer},
        responses={201: CreateOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = self.CreateInputSerializer(data=request.data)
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
        return Response(
            self.CreateOutputSerializer(outcome).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Capture a web page as a new document (analyst)",
        request=CaptureInputSerializer,
        responses={201: CreateOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="capture")
    def capture(self, request, **kwargs):
        data = self.CaptureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = access_project(
            request.user, data.validated_data["project"], Role.ANALYST
        )
        outcome = ingest_from_url(
            project=project, user=request.user, url=data.validated_data["url"]
        )
        return Response(
            self.CreateOutputSerializer(outcome).data, status=status.HTTP_201_CREATED
        )


class SearchView(GenericAPIView):
    """Full-text search over the documents of your projects.

    PostgreSQL: English full-text search (web syntax: words, "phrases",
    -excluded), ranked, with the matching passage. At most 1,000 matches
    are ranked (the count stops there; refine the query for more), as on
    the document list. Elsewhere: a case-insensitive substring match.
    """

    class InputSerializer(serializers.Serializer):
        q = serializers.CharField(
            max_length=500, help_text='Words, "a phrase", or -excluded (web syntax).'
        )
        project = serializers.SlugField(required=False)
        kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)

    class OutputSerializer(DocumentOutputSerializer):
        rank = serializers.FloatField(read_only=True)
        headline = serializers.CharField(
            read_only=True, help_text="Matching passage, matches marked with « »."
        )

        class Meta(DocumentOutputSerializer.Meta):
            fields = [*DocumentOutputSerializer.Meta.fields, "rank", "headline"]

    permission_classes = [ProjectRolePermission]
    serializer_class = OutputSerializer
    filter_backends: list = []

    @extend_schema(
        summary="Search documents",
        parameters=[InputSerializer],
        responses={200: OutputSerializer(many=True), **WRITE_ERRORS},
    )
    def get(self, request, **kwargs):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        documents = Document.objects.for_user(request.user)
        if values.get("project"):
            project = access_project(request.user, values["project"])
            documents = Document.objects.filter(project=project)
        if values.get("kind"):
            documents = documents.filter(kind=values["kind"])
        # The one document search (as on the document list): ranked ids from
        # the stored vector; rank and headline computed for this page only.
        results, _ = documents_search(documents, values["q"], headlines=True)
        page = self.paginate_queryset(results)  # type: ignore[arg-type]  # slices like one
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Assignments of documents to analysts.

    Reviewers and owners see every assignment of their projects, analysts
    their own. Owners create (``document``, ``annotator``) and withdraw;
    the annotator submits (``POST .../submit/``); reviewers reopen.
    """

    class OutputSerializer(serializers.ModelSerializer):
        project: serializers.SlugRelatedField[Project] = serializers.SlugRelatedField(
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
            read_only_fields = fields

    class CreateInputSerializer(serializers.Serializer):
        class DocumentField(serializers.PrimaryKeyRelatedField):
            """Only documents the caller can see: no existence oracle."""

            def get_queryset(self):
                return Document.objects.for_user(self.context["request"].user)

        document = DocumentField(queryset=Document.objects.none())  # for the schema
        annotator = serializers.PrimaryKeyRelatedField(
            queryset=get_user_model().objects.all()
        )

    serializer_class = OutputSerializer
    permission_classes = [ProjectRolePermission]
    write_role = Role.OWNER
    queryset = Assignment.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        queryset = (
            Assignment.objects.for_user(self.request.user)
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

    @extend_schema(
        request=CreateInputSerializer,
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
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
        data = self.CreateInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        assignment = assignment_create(
            document=data.validated_data["document"],
            annotator=data.validated_data["annotator"],
            assigned_by=request.user,
        )
        return Response(
            self.OutputSerializer(assignment).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance):
        assignment_delete(assignment=instance, user=signed_in_user(self.request))

    @extend_schema(request=None, responses={200: OutputSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, **kwargs):
        assignment = self.get_object()
        check_role(request.user, assignment.project, Role.ANALYST)
        assignment = assignment_submit(assignment=assignment, user=request.user)
        return Response(self.OutputSerializer(assignment).data)

    @extend_schema(request=None, responses={200: OutputSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None, **kwargs):
        assignment = self.get_object()
        assignment = assignment_reopen(assignment=assignment, user=request.user)
        return Response(self.OutputSerializer(assignment).data)
