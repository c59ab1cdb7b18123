"""Writes on projects and memberships.

Ingestion lives in ``corpus.ingest``; analysis in ``corpus.nlp`` and
``corpus.analysis``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from corpus.errors import ApplicationError
from corpus.models import Document, Membership, Project, Role, normalize_text, sha256_hex
from corpus.signals import project_created

# Security-relevant changes (who gave whom access) go to this logger; route
# it to durable storage in production (see docs/security.md).
audit = logging.getLogger("glossa.audit")


@transaction.atomic
def project_create(
    *, name: str, created_by=None, slug: str = "", description: str = ""
) -> Project:
    """Create a project, make its creator owner, and announce it.

    Listeners of ``project_created`` (the default taxonomy and framework)
    run inside the same transaction, so a project never exists without them.
    """
    project = Project(
        name=name,
        slug=slug or slugify(name)[:80],
        description=description,
        created_by=created_by,
    )
    project.full_clean()
    project.save()
    if created_by is not None:
        Membership.objects.create(project=project, user=created_by, role=Role.OWNER)
    project_created.send(sender=Project, project=project, created_by=created_by)
    return project


@transaction.atomic
def membership_set(*, project: Project, user, role: str, actor=None) -> Membership:
    """Give ``user`` the ``role`` in ``project`` (creating or changing it)."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {Role.values}.")
    if role != Role.OWNER:
        _refuse_losing_last_owner(project=project, user=user)
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    audit.info(
        "membership_set project=%s user=%s role=%s actor=%s",
        project.slug,
        user.get_username(),
        role,
        actor.get_username() if actor is not None else "-",
    )
    return membership


@transaction.atomic
def membership_remove(*, project: Project, user, actor=None) -> None:
    """Take ``user`` out of ``project``; a project always keeps one owner."""
    _refuse_losing_last_owner(project=project, user=user)
    Membership.objects.filter(project=project, user=user).delete()
    audit.info(
        "membership_remove project=%s user=%s actor=%s",
        project.slug,
        user.get_username(),
        actor.get_username() if actor is not None else "-",
    )


def _refuse_losing_last_owner(*, project: Project, user) -> None:
    """Raise ApplicationError if ``user`` is the project's only owner.

    Owners are locked (``select_for_update``) so two owners demoting each
    other at once cannot leave the project without one.
    """
    owners = list(
        Membership.objects.select_for_update()
        .filter(project=project, role=Role.OWNER)
        .values_list("user_id", flat=True)
    )
    if owners == [user.pk]:
        raise ApplicationError(
            f"{user.get_username()} is the last owner of {project.name}; "
            "make someone else owner first."
        )


class DuplicateDocument(Exception):
    """The same original bytes are already in the project."""

    def __init__(self, existing: Document) -> None:
        super().__init__(
            f"Already in the project as document {existing.pk} "
            f"({existing.title or 'untitled'})."
        )
        self.existing = existing


@transaction.atomic
def document_create(
    *,
    project: Project,
    original: bytes,
    text: str,
    original_name: str = "",
    media_type: str = "text/plain",
    captured_by=None,
    captured_at: datetime | None = None,
    extractor: str = "",
    extractor_version: str = "",
    warc: bytes = b"",
    **fields,
) -> Document:
    """Store one document: its original bytes, hashes and normalised text.

    This is the single write path for documents (ingestion, API, samples).
    ``text`` is normalised here, once. Raises ``DuplicateDocument`` if the
    same bytes are already in the project, ``ValidationError`` for bad
    fields; either way nothing is written (stored files are removed again).
    ``warc`` is the WARC capture of a URL, kept next to the original.
    """
    digest = sha256_hex(original)
    existing = Document.objects.filter(project=project, sha256=digest).first()
    if existing is not None:
        raise DuplicateDocument(existing)
    normalized = normalize_text(text)
    if not normalized:
        raise ValidationError({"text": "The document has no text."})
    document = Document(
        project=project,
        text=normalized,
        sha256=digest,
        size=len(original),
        original_name=original_name[:500],
        media_type=media_type,
        captured_by=captured_by,
        captured_at=captured_at or timezone.now(),
        extractor=extractor,
        extractor_version=extractor_version,
        **fields,
    )
    document.original.save(
        original_name or "original", ContentFile(original), save=False
    )
    try:
        if warc:
            document.warc.save(f"{digest}.warc.gz", ContentFile(warc), save=False)
        # Field validation only: the unique original and the empty text are
        # checked above with clear messages, ``kind`` by its choices, and
        # related objects are instances the caller already holds; the
        # database enforces all of them again. Skipping the per-constraint
        # and per-foreign-key queries keeps bulk ingestion fast.
        given = {"project": project, "captured_by": captured_by, **fields}
        related = [name for name, value in given.items() if isinstance(value, Model)]
        document.full_clean(
            exclude=["original", "warc", *related], validate_constraints=False
        )
        document.save()
    except BaseException:
        document.original.delete(save=False)
        if document.warc:
            document.warc.delete(save=False)
        raise
    return document


@transaction.atomic
def project_set_blind_mode(
    *, project: Project, blind_mode: bool, actor=None
) -> Project:
    """Turn independent (blind) annotation on or off for the project."""
    Project.objects.filter(pk=project.pk).update(blind_mode=blind_mode)
    project.blind_mode = blind_mode
    audit.info(
        "blind_mode project=%s on=%s actor=%s",
        project.slug,
        blind_mode,
        actor.get_username() if actor is not None else "-",
    )
    return project


@transaction.atomic
def project_update(*, project: Project, actor=None, **fields) -> Project:
    """Change a project's name, description or blind mode (not its slug:
    URLs, exports and archives cite it)."""
    allowed = {"name", "description", "blind_mode"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed."))
    blind_before = project.blind_mode
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if project.blind_mode != blind_before:
        audit.info(
            "blind_mode project=%s on=%s actor=%s",
            project.slug,
            project.blind_mode,
            actor.get_username() if actor is not None else "-",
        )
    return project
