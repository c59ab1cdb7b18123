"""Thin receivers for signals from ``corpus``; each calls a named function."""

from __future__ import annotations

from corpus.signals import document_analysed, project_created


def on_project_created(sender, project, created_by=None, **kwargs) -> None:
    from annotations.defaults import defaults_load

    defaults_load(project=project)


def on_document_analysed(sender, document, data=None, **kwargs) -> None:
    from annotations.suggest import suggestions_create_for_document

    suggestions_create_for_document(document=document, data=data)


def connect() -> None:
    project_created.connect(on_project_created, dispatch_uid="annotations.defaults")
    document_analysed.connect(
        on_document_analysed, dispatch_uid="annotations.suggestions"
    )
