"""Thin receivers for signals from ``corpus``; each calls a named function."""

from __future__ import annotations

from corpus.signals import project_created


def on_project_created(sender, project, created_by=None, **kwargs) -> None:
    from .defaults import defaults_load

    defaults_load(project=project)


def connect() -> None:
    project_created.connect(on_project_created, dispatch_uid="annotations.defaults")
