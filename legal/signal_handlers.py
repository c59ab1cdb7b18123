"""Thin receivers for signals from lower apps; each calls a named function."""

from __future__ import annotations

from projects.signals import project_created


def on_project_created(sender, project, created_by=None, **kwargs) -> None:
    from legal.defaults import framework_load_default

    framework_load_default(project=project)


def connect() -> None:
    project_created.connect(on_project_created, dispatch_uid="legal.defaults")
