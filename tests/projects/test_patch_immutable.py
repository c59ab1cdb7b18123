"""A PATCH naming a field it cannot change is a 400 naming that field.

The sweep reads the OpenAPI schema: every PATCH endpoint, and for each every
field its resource shows but its PATCH body does not accept (``id``,
``project``, offsets, authors, timestamps...). Each is sent alone (with the
version the endpoint needs) and must be refused by name, leaving the object
and its history as they were. A new PATCH endpoint fails here until the
sweep knows how to make one of its objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from annotations.models import Tag
from audit.models import HistoryEntry
from legal.models import Assessment, Claim
from projects.api.inputs import PatchInput
from tests.factories import AssessmentFactory, ClaimFactory, make_annotation
from tests.legal.incident_support import new_incident

pytestmark = pytest.mark.django_db


def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _ref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    name = node["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]


def _patch_routes(schema: dict[str, Any]) -> dict[str, tuple[set[str], set[str]]]:
    """path -> (fields the PATCH accepts, fields the resource shows)."""
    routes = {}
    for path, operations in schema["paths"].items():
        patch = operations.get("patch")
        if patch is None:
            continue
        body = patch["requestBody"]["content"]["application/json"]["schema"]
        accepted = set(_ref(schema, body).get("properties", {}))
        shown = _ref(
            schema, patch["responses"]["200"]["content"]["application/json"]["schema"]
        )
        routes[path] = (accepted, set(shown.get("properties", {})))
    return routes


def _objects(project, owner, document) -> dict[str, Callable[[], tuple[str, Any]]]:
    """path template -> a function making one object: (path, model instance)."""

    def annotation():
        obj = make_annotation(document, owner, 0, 5)
        return f"/api/annotations/{obj.pk}/", obj

    def claim():
        obj = cast(Claim, ClaimFactory(project=project, created_by=owner))
        return f"/api/claims/{obj.pk}/", obj

    def assessment():
        obj = cast(
            Assessment,
            AssessmentFactory(
                claim__project=project, claim__created_by=owner, author=owner
            ),
        )
        return f"/api/assessments/{obj.pk}/", obj

    def incident():
        obj = new_incident(project, owner)
        return f"/api/incidents/{obj.pk}/", obj

    def tag():
        obj = Tag.objects.filter(project=project).order_by("pk")[0]
        return f"/api/tags/{obj.pk}/", obj

    def project_():
        return f"/api/projects/{project.slug}/", project

    def social_account():
        from corpus.social_services import social_account_create

        obj = social_account_create(
            project=project,
            user=owner,
            platform="x",
            handle="harbourwatch",
            claimant="Harbour Watch",
            claimant_type="rights_group",
        )
        return f"/api/social-accounts/{obj.pk}/", obj

    return {
        "/api/annotations/{id}/": annotation,
        "/api/claims/{id}/": claim,
        "/api/assessments/{id}/": assessment,
        "/api/incidents/{id}/": incident,
        "/api/tags/{id}/": tag,
        "/api/projects/{slug}/": project_,
        "/api/social-accounts/{id}/": social_account,
    }


def _state(obj) -> dict[str, Any]:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_every_patch_endpoint_refuses_each_field_it_cannot_change(
    project, owner, document
):
    schema = _schema()
    routes = _patch_routes(schema)
    makers = _objects(project, owner, document)
    assert set(routes) == set(makers), "a PATCH endpoint the sweep cannot build"
    client = APIClient()
    client.force_authenticate(owner)
    tried = 0
    for template, (accepted, shown) in routes.items():
        path, obj = makers[template]()
        immutable = [*sorted(shown - accepted), "no_such_field"]
        assert len(immutable) > 1, template
        for field in immutable:
            before, entries = _state(obj), HistoryEntry.objects.count()
            body: dict[str, Any] = {field: 1}
            if "version" in accepted:
                body["version"] = getattr(obj, "version", 1)
            response = client.patch(path, body, format="json")
            assert response.status_code == 400, (path, field, response.content)
            errors = response.json()["extra"]["fields"]
            assert field in errors, (path, field, errors)
            assert "cannot be changed" in errors[field][0]
            assert _state(obj) == before, (path, field)
            assert HistoryEntry.objects.count() == entries, (path, field)
            tried += 1
    assert tried > 20


def test_every_patch_body_is_a_patch_input():
    """Checked once, structurally: every PATCH body serializer is a PatchInput."""
    from django.urls import get_resolver

    found = []

    def walk(patterns):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns)
                continue
            cls = getattr(entry.callback, "cls", None)
            actions = getattr(entry.callback, "actions", None) or {}
            if cls is not None and actions.get("patch"):
                found.append(cls)
                assert issubclass(cls.UpdateInputSerializer, PatchInput), cls

    walk(get_resolver().url_patterns)
    assert len(set(found)) >= 6


def test_a_good_patch_still_works(project, owner):
    client = APIClient()
    client.force_authenticate(owner)
    response = client.patch(
        f"/api/projects/{project.slug}/", {"description": "New words."}, format="json"
    )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.description == "New words."
