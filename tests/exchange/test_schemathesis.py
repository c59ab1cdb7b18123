"""Property-based run of the API against its own OpenAPI schema.

Bounded (a few examples per operation) so it fits in CI; asserts no server
errors, and that every documented response matches its schema and media
type.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.exchange.conftest import api_for

schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # The WSGI app must share the test's transaction: keep Django from
    # closing the connection after each request, as its test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.from_wsgi(
            "/api/schema/?format=json",
            WSGIHandler(),
            data_generation_methods=[schemathesis.DataGenerationMethod.positive],
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(rich_project, owner):
    client = api_for(owner)
    # Set by credentials(); a private attribute drf-stubs do not declare.
    return client._credentials["HTTP_AUTHORIZATION"]  # type: ignore[attr-defined]


@pytest.mark.postgres
@schema.parametrize()
@hypothesis_settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, token):
    response = case.call_wsgi(headers={"Authorization": token})
    case.validate_response(
        response,
        checks=(
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
        ),
    )
