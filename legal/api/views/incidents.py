"""Incidents: the register, one incident with its ranges and figures, the
claims it gathers, grades, and the campaign's tally checks.

Every route names its project: lists and creates by ``?project=<slug>``
(or the body's ``project``), checked for membership before anything else,
so an outsider gets 404 whatever else the request holds. Figures go
through ``legal.incident_selectors``, which applies blind mode.
"""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from corpus.models import Source
from legal.api.serializers import VERSION_PARAM, id_field, version_field, version_from
from legal.incident_selectors import (
    CREDIBILITY_CHOICES,
    RELIABILITY_CHOICES,
    filter_by_grade,
    incident_list,
    incident_overview,
    register_sequence,
)
from legal.models import (
    Claim,
    ClaimQuantity,
    DatePrecision,
    Incident,
    IncidentStatus,
)
from legal.services.grades import claim_grade_set, quantity_grade_set, source_grade_set
from legal.services.incidents import (
    incident_create,
    incident_delete,
    incident_link_claim,
    incident_unlink_claim,
    incident_update,
)
from legal.tallies import tally_checks
from projects.api.exceptions import conflict_with_current
from projects.api.inputs import PatchInput
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.errors import ConflictError
from projects.models import Project, Role
from projects.permissions import ProjectRolePermission, access_project

PROJECT_PARAM = OpenApiParameter("project", str, required=True, description="Slug")


class IncidentRangeSerializer(serializers.Serializer):
    category = serializers.CharField()
    low = serializers.IntegerField(allow_null=True)
    high = serializers.IntegerField(allow_null=True)
    high_open = serializers.BooleanField()
    counted = serializers.IntegerField()
    excluded = serializers.IntegerField()
    text = serializers.CharField(source="__str__")


class IncidentFigureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id")
    category = serializers.CharField()
    value = serializers.IntegerField()
    bound = serializers.CharField()
    wording = serializers.CharField()
    cumulative = serializers.BooleanField()
    counted = serializers.BooleanField()
    document = serializers.IntegerField(source="document_id", allow_null=True)
    # DRF takes declared fields off the class, so "source" shadows nothing.
    source = serializers.CharField(source="source_name")  # type: ignore[assignment]
    quote = serializers.CharField()
    claimant = serializers.CharField()
    claimant_type = serializers.CharField()
    reported_at = serializers.DateTimeField(allow_null=True)
    reliability = serializers.CharField()
    credibility = serializers.CharField()
    grade = serializers.CharField()


class _IncidentFieldsSerializer(serializers.Serializer):
    """The editable fields, shared by create (with ``project``) and update."""

    date = serializers.DateField()
    date_precision = serializers.ChoiceField(
        DatePrecision.choices, default=DatePrecision.DAY
    )
    date_end = serializers.DateField(required=False, allow_null=True)
    time_start = serializers.TimeField(required=False, allow_null=True)
    time_end = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=8,
        decimal_places=5,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=8,
        decimal_places=5,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )
    area = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=500)
    acting_forces = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )
    targets = serializers.CharField(max_length=300, required=False, allow_blank=True)
    target_count = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False, allow_null=True
    )
    status = serializers.ChoiceField(
        IncidentStatus.choices, default=IncidentStatus.ALLEGED
    )
    note = serializers.CharField(required=False, allow_blank=True)


def _project_of(request, role: str) -> Project:
    """The project named by ``?project=`` or the body, membership checked
    first: an outsider gets 404 before any validation answers."""
    slug = request.query_params.get("project") or (
        request.data.get("project") if hasattr(request.data, "get") else None
    )
    if not slug or not isinstance(slug, str):
        raise DRFValidationError({"project": ["Give the project's slug."]})
    return access_project(request.user, slug[:100], role)


@extend_schema(tags=["incidents"])
def _day(raw: str | None) -> date | None:
    """A YYYY-MM-DD filter value; anything else filters nothing."""
    try:
        return date.fromisoformat(raw.strip()) if raw else None
    except ValueError:
        return None


class IncidentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Incidents: one strike each, with casualty ranges from linked claims."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        project = serializers.CharField(source="project.slug")
        code = serializers.CharField()
        date = serializers.DateField()
        date_precision = serializers.CharField()
        date_end = serializers.DateField(allow_null=True)
        time_start = serializers.TimeField(allow_null=True)
        time_end = serializers.TimeField(allow_null=True)
        place = serializers.CharField()
        latitude = serializers.DecimalField(
            max_digits=8, decimal_places=5, allow_null=True
        )
        longitude = serializers.DecimalField(
            max_digits=8, decimal_places=5, allow_null=True
        )
        area = serializers.CharField()
        description = serializers.CharField()
        acting_forces = serializers.CharField()
        targets = serializers.CharField()
        target_count = serializers.IntegerField(allow_null=True)
        status = serializers.CharField()
        note = serializers.CharField()
        version = serializers.IntegerField()
        created_at = serializers.DateTimeField()
        updated_at = serializers.DateTimeField()

    class ListOutputSerializer(serializers.Serializer):
        """A register row: the incident's own fields (without note, version
        and timestamps, read on the incident itself) and its aggregates."""

        id = serializers.IntegerField()
        code = serializers.CharField()
        date = serializers.DateField()
        date_precision = serializers.CharField()
        date_end = serializers.DateField(allow_null=True)
        place = serializers.CharField()
        latitude = serializers.DecimalField(
            max_digits=8, decimal_places=5, allow_null=True
        )
        longitude = serializers.DecimalField(
            max_digits=8, decimal_places=5, allow_null=True
        )
        area = serializers.CharField()
        description = serializers.CharField()
        acting_forces = serializers.CharField()
        targets = serializers.CharField()
        target_count = serializers.IntegerField(allow_null=True)
        status = serializers.CharField()
        figures = serializers.IntegerField()
        ranges = serializers.SerializerMethodField()
        sources = serializers.IntegerField()
        best_grade = serializers.CharField()

        @extend_schema_field(serializers.DictField(child=IncidentRangeSerializer()))
        def get_ranges(self, incident) -> dict:
            return {
                k: IncidentRangeSerializer(v).data
                for k, v in incident.row_ranges.items()
            }

    class DetailOutputSerializer(OutputSerializer):
        ranges = serializers.SerializerMethodField()
        figures = serializers.SerializerMethodField()
        claims = serializers.SerializerMethodField()

        @extend_schema_field(serializers.DictField(child=IncidentRangeSerializer()))
        def get_ranges(self, incident) -> dict:
            overview = self.context["overview"]
            return {
                k: IncidentRangeSerializer(v).data for k, v in overview.ranges.items()
            }

        @extend_schema_field(IncidentFigureSerializer(many=True))
        def get_figures(self, incident) -> list[dict]:
            figures = self.context["figures"]
            return list(IncidentFigureSerializer(figures, many=True).data)

        def get_claims(self, incident) -> list[int]:
            return [c.pk for c in self.context["overview"].claims]

    class CreateInputSerializer(_IncidentFieldsSerializer):
        project = serializers.SlugField()

    class UpdateInputSerializer(PatchInput, _IncidentFieldsSerializer):
        version = version_field()

    class ClaimsInputSerializer(serializers.Serializer):
        claim = id_field()

    class GradeInputSerializer(serializers.Serializer):
        source = id_field(required=False)  # type: ignore[assignment]
        claim = id_field(required=False)
        figure = id_field(required=False)
        version = serializers.IntegerField(
            min_value=0, max_value=2**31 - 1, required=False
        )
        grade = serializers.CharField(max_length=1, allow_blank=True)
        rationale = serializers.CharField(
            max_length=5000, required=False, allow_blank=True
        )

    class TallyOutputSerializer(serializers.Serializer):
        figure = serializers.IntegerField(source="figure.id")
        claim = serializers.IntegerField(source="figure.claim_id")
        category = serializers.CharField(source="figure.category")
        wording = serializers.CharField(source="figure.wording")
        as_of = serializers.DateField()
        sum_low = serializers.IntegerField()
        sum_high = serializers.IntegerField()
        incidents = serializers.IntegerField(source="incident_count")
        status = serializers.CharField()
        discrepancy = serializers.BooleanField()
        message = serializers.CharField()
        named = serializers.SerializerMethodField()

        def get_named(self, check) -> list[str]:
            return [i.code for i in check.named]

    permission_classes = [ProjectRolePermission]
    serializer_class = OutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Incident.objects.for_user(self.request.user).select_related("project")

    def _out(self, incident: Incident) -> dict:
        incident = Incident.objects.select_related("project").get(pk=incident.pk)
        overview = incident_overview(user=self.request.user, incident=incident)
        return self.DetailOutputSerializer(
            incident, context={"overview": overview, "figures": overview.figures}
        ).data

    @extend_schema(
        parameters=[
            PROJECT_PARAM,
            OpenApiParameter("q", str, description="Code, place, description"),
            OpenApiParameter("status", str, enum=IncidentStatus.values),
            OpenApiParameter(
                "sort",
                str,
                description="code, date, place, killed, survivors, "
                "sources, grade or status; '-' first for descending",
            ),
            OpenApiParameter("area", str, description="Area, exactly"),
            OpenApiParameter("from", str, description="From this day (YYYY-MM-DD)"),
            OpenApiParameter("to", str, description="Up to this day (YYYY-MM-DD)"),
            OpenApiParameter(
                "reliability", str, enum=[c for c, _ in RELIABILITY_CHOICES]
            ),
            OpenApiParameter(
                "credibility", str, enum=[c for c, _ in CREDIBILITY_CHOICES]
            ),
        ],
        responses={200: ListOutputSerializer(many=True), **NOT_FOUND},
    )
    def list(self, request, *args, **kwargs):
        """The register: every incident with its ranges, sources and best
        grade, filtered as the register page is, sorted on the server."""
        project = _project_of(request, Role.VIEWER)
        params = request.query_params
        status_ = params.get("status", "")
        incidents = incident_list(
            project=project,
            q=(params.get("q") or "").strip()[:200],
            status=status_ if status_ in IncidentStatus.values else "",
            area=(params.get("area") or "").strip()[:200],
            date_from=_day(params.get("from")),
            date_to=_day(params.get("to")),
        )
        sort = params.get("sort", "date")
        reliability = params.get("reliability", "")
        credibility = params.get("credibility", "")
        rows = register_sequence(
            user=request.user,
            project=project,
            incidents=incidents,
            sort=sort.lstrip("-"),
            descending=sort.startswith("-"),
            reliability=reliability if reliability in dict(RELIABILITY_CHOICES) else "",
            credibility=credibility if credibility in dict(CREDIBILITY_CHOICES) else "",
        )
        page = self.paginate_queryset(rows)
        shown = page if page is not None else rows
        items = []
        for row in shown:
            incident = row.incident
            incident.row_ranges = row.ranges  # type: ignore[attr-defined]
            incident.sources = row.source_count  # type: ignore[attr-defined]
            incident.best_grade = row.best_grade  # type: ignore[attr-defined]
            incident.figures = row.figure_count  # type: ignore[attr-defined]
            items.append(incident)
        data = self.ListOutputSerializer(items, many=True).data
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reliability", str, enum=[v for v, _ in RELIABILITY_CHOICES]
            ),
            OpenApiParameter(
                "credibility", str, enum=[v for v, _ in CREDIBILITY_CHOICES]
            ),
        ],
        responses={200: DetailOutputSerializer, **NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        """One incident: ranges, its figures (filterable by grade), claims."""
        incident = self.get_object()
        overview = incident_overview(user=request.user, incident=incident)
        reliability = request.query_params.get("reliability", "")
        credibility = request.query_params.get("credibility", "")
        figures = filter_by_grade(
            overview.figures,
            reliability=reliability if reliability in dict(RELIABILITY_CHOICES) else "",
            credibility=credibility if credibility in dict(CREDIBILITY_CHOICES) else "",
        )
        return Response(
            self.DetailOutputSerializer(
                incident, context={"overview": overview, "figures": figures}
            ).data
        )

    @extend_schema(
        request=CreateInputSerializer,
        responses={201: DetailOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        project = _project_of(request, Role.ANALYST)
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("project")
        incident = incident_create(project=project, user=request.user, **fields)
        return Response(self._out(incident), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UpdateInputSerializer,
        responses={200: DetailOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None, **kwargs):
        incident = self.get_object()
        data = self.UpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "version" not in fields:
            raise DRFValidationError(
                {"version": ["Give the version your change is based on."]}
            )
        version = fields.pop("version")
        # Partial: only the fields sent (defaults of the create shape skipped).
        fields = {k: v for k, v in fields.items() if k in request.data}
        try:
            incident = incident_update(
                incident=incident,
                user=request.user,
                expected_version=version,
                **fields,
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, self._out) from exc
        return Response(self._out(incident))

    @extend_schema(parameters=[VERSION_PARAM], responses={204: None})
    def destroy(self, request, pk=None, **kwargs):
        incident = self.get_object()
        try:
            incident_delete(
                incident=incident,
                user=request.user,
                expected_version=version_from(request),
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, self._out) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=ClaimsInputSerializer,
        responses={200: DetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post", "delete"])
    def claims(self, request, pk=None, **kwargs):
        """Link (POST) or unlink (DELETE) a claim of the incident's project."""
        incident = self.get_object()
        data = self.ClaimsInputSerializer(data=request.data or request.query_params)
        data.is_valid(raise_exception=True)
        claim = get_object_or_404(
            Claim.objects.for_member(request.user, incident.project),
            pk=data.validated_data["claim"],
        )
        service = (
            incident_link_claim if request.method == "POST" else (incident_unlink_claim)
        )
        service(incident=incident, claim=claim, user=request.user)
        return Response(self._out(incident))

    @extend_schema(
        request=GradeInputSerializer,
        responses={200: DetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def grades(self, request, pk=None, **kwargs):
        """Grade one of the incident's sources (A-F), claims or figures (1-6):
        name exactly one of ``source``, ``claim`` (with its ``version``) or
        ``figure``; an empty ``grade`` clears it."""
        incident = self.get_object()
        data = self.GradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        named = [k for k in ("source", "claim", "figure") if k in v]
        if len(named) != 1:
            raise DRFValidationError(
                {"grade": ["Name exactly one of source, claim or figure."]}
            )
        project = incident.project
        rationale = v.get("rationale", "")
        if "source" in v:
            source = get_object_or_404(Source, project=project, pk=v["source"])
            source_grade_set(
                source=source,
                user=request.user,
                reliability=v["grade"],
                rationale=rationale,
            )
        elif "claim" in v:
            claim = get_object_or_404(Claim, project=project, pk=v["claim"])
            if "version" not in v:
                raise DRFValidationError(
                    {"version": ["Give the claim's version your grade is based on."]}
                )
            try:
                claim_grade_set(
                    claim=claim,
                    user=request.user,
                    expected_version=v["version"],
                    credibility=v["grade"],
                    rationale=rationale,
                )
            except ConflictError as exc:
                exc.extra["current"] = None
                raise
        else:
            quantity = get_object_or_404(
                ClaimQuantity, claim__project=project, pk=v["figure"]
            )
            quantity_grade_set(
                quantity=quantity,
                user=request.user,
                credibility=v["grade"],
                rationale=rationale,
            )
        return Response(self._out(incident))

    @extend_schema(
        parameters=[PROJECT_PARAM],
        responses={200: TallyOutputSerializer(many=True), **NOT_FOUND},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="tallies",
        url_name="tally-list",
        pagination_class=None,
    )
    def tallies(self, request, **kwargs):
        """Every campaign tally against the sum of the incidents to its day."""
        project = _project_of(request, Role.VIEWER)
        checks = tally_checks(user=request.user, project=project)
        return Response(self.TallyOutputSerializer(checks, many=True).data)
