"""Signals ``projects`` sends so that higher apps can react without being imported.

``project_created`` is sent by ``projects.services.project_create`` once the
project and its owner's membership are committed; ``annotations`` loads the
default tags and ``legal`` the default framework.
"""

from __future__ import annotations

from django.dispatch import Signal

project_created = Signal()  # kwargs: project, created_by
