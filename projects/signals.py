"""TODO docstring."""

from __future__ import annotations

from django.dispatch import Signal

project_created = Signal()  # kwargs: project, created_by
