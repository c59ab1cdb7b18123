"""The API's single error shape and the 409 body of a conflict."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from projects.api.exceptions import conflict_with_current, exception_handler
from projects.errors import ApplicationError, ConflictError


def test_conflict_carries_the_rendered_current_state():
    exc = conflict_with_current(
        ConflictError("Someone else saved it.", current={"version": 3}),
        lambda current: {"version": current["version"], "rendered": True},
    )
    response = exception_handler(exc, {})
    assert response.status_code == 409
    assert response.data == {
        "message": "Someone else saved it.",
        "extra": {"current": {"version": 3, "rendered": True}},
    }


def test_conflict_on_a_deleted_record_says_current_is_none():
    def render(current):
        raise AssertionError("nothing to render for a deleted record")

    exc = conflict_with_current(ConflictError("Someone else deleted it."), render)
    response = exception_handler(exc, {})
    assert response.status_code == 409
    assert response.data["extra"] == {"current": None}


def test_application_error_keeps_its_message_and_status():
    response = exception_handler(ApplicationError("The file is empty."), {})
    assert response.status_code == 400
    assert response.data == {"message": "The file is empty.", "extra": {}}


def test_django_errors_map_to_the_same_shape():
    invalid = exception_handler(ValidationError({"end": "Offsets are outside."}), {})
    assert invalid.status_code == 400
    assert invalid.data["message"] == "Invalid input."
    assert invalid.data["extra"]["fields"]["end"] == ["Offsets are outside."]
    assert exception_handler(Http404("No such project."), {}).status_code == 404
    denied = exception_handler(PermissionDenied("Needs the owner role."), {})
    assert denied.status_code == 403
    assert denied.data == {"message": "Needs the owner role.", "extra": {}}
