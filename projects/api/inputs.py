"""Input serializer pieces shared by every app's API.

``PatchInput`` is the base of every PATCH body. DRF silently drops keys a
serializer does not declare, so a PATCH that tried to change a document's
text, an annotation's offsets or a claim's project answered 200 and
recorded an empty change: the client believed it had changed something
that cannot change. With ``PatchInput`` such a key is a 400 naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class PatchInput(serializers.Serializer):
    """Refuse, by name, every key of the body that is not a writable field.

    Mix it in first (``class UpdateInputSerializer(PatchInput, Base)``) so
    that the check runs before the declared fields are validated.
    """

    def writable_fields(self) -> list[str]:
        return sorted(name for name, f in self.fields.items() if not f.read_only)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = self.writable_fields()
            refused = sorted(str(key) for key in data if key not in writable)
            if refused:
                allowed = ", ".join(writable)
                raise serializers.ValidationError(
                    {
                        key: [
                            f"{key} cannot be changed: it is read-only or not a "
                            f"field of this resource (changeable: {allowed})."
                        ]
                        for key in refused
                    }
                )
        return super().to_internal_value(data)
