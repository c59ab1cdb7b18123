"""One error vocabulary for services, views and the API.

Services raise ``ApplicationError`` (or a subclass) with a message written
for the user; the API exception handler and the HTML views render the same
message. ``ConflictError`` carries the current state of an object that was
changed by someone else since the caller read it (optimistic locking).
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A user-facing error: ``message`` says what went wrong and what to do."""

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The object changed since the version the caller based its edit on.

    ``current`` is the object as it is now, so the caller can show it.
    """

    status_code = 409

    def __init__(self, message: str, current: Any = None, extra=None) -> None:
        super().__init__(message, extra)
        self.current = current
