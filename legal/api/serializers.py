"""Input pieces shared by the legal API's viewsets (claims, assessments).

Each endpoint nests its own serializers in its viewset; these field
factories and the version parser are shared so every legal endpoint bounds
ids and versions the same way.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from projects.params import parse_id

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1

#: The version a DELETE is based on (``?version=``), as documented.
VERSION_PARAM = OpenApiParameter("version", int, required=True)


def id_field(**kwargs) -> serializers.IntegerField:
    """An object id: positive and within bigint, so lookups cannot overflow."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_VERSION)


def version_from(request) -> int:
    """The version a DELETE is based on: ``?version=`` (or a body field)."""
    raw = request.query_params.get("version") or request.data.get("version")
    version = parse_id(raw if isinstance(raw, str) else str(raw))
    if version is None or version > MAX_VERSION:
        raise ValidationError(
            {"version": ["Give the version your change is based on."]}
        )
    return version
