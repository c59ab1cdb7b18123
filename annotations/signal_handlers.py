"""Thin receivers for signals from lower apps; each calls a named function."""

from __future__ import annotations

from corpus.signals import assignment_submitted, documents_analysed
from projects.signals import project_created


def on_project_created(sender, project, created_by=None, **kwargs) -> None:
    from annotations.defaults import tags_load_defaults

    tags_load_defaults(project=project)


def on_documents_analysed(sender, analyses, **kwargs) -> None:
    from annotations.services.suggestions import suggestions_create_for_documents

    suggestions_create_for_documents(analyses=analyses)


def on_assignment_submitted(sender, assignment, user, **kwargs) -> None:
    from annotations.services.annotations import annotations_submit_drafts

    annotations_submit_drafts(document=assignment.document, user=user)


def connect() -> None:
    project_created.connect(on_project_created, dispatch_uid="annotations.defaults")
    documents_analysed.connect(
        on_documents_analysed, dispatch_uid="annotations.suggestions"
    )
    assignment_submitted.connect(
        on_assignment_submitted, dispatch_uid="annotations.submit_drafts"
    )
    from annotations.learning.auto import connect as learning_auto_connect

    learning_auto_connect()
