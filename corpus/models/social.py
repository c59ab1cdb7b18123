"""Official social-media posts: the post itself, its export and the accounts.

A post is a ``Document`` of kind ``social`` (its text immutable like any
document's); ``SocialPost`` adds what only posts have: the platform's own
post id, the account, replies, quotes and threads (linked, never merged),
and the media it carried. ``SocialExport`` keeps the export file a post
came from once, whatever the number of posts in it. ``SocialAccount`` is
a project's registry of known accounts: whose claim a post's own text is.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from corpus.models.documents import Document
from projects.models import Project, ProjectScopedQuerySet


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    TELEGRAM = "telegram", "Telegram"
    MASTODON = "mastodon", "Mastodon / ActivityPub"


class ClaimantType(models.TextChoices):
    """Who is the source of a claim: the ten types of ``shared/guide/tags.md``.

    The same names the suggestion pipeline (``corpus.nlp``) emits, so a
    suggested claimant type can prefill a claim or an account unchanged.
    Defined here, the lowest app that needs it (the account registry);
    ``legal`` uses this class for claims.
    """

    ACTING_GOVERNMENT = (
        "acting_government",
        "Acting government (the state that used force)",
    )
    OTHER_GOVERNMENT = "other_government", "Other government"
    UN = "un", "UN body or official"
    RIGHTS_GROUP = "rights_group", "Rights group"
    EXPERT = "expert", "Expert (lawyer, academic, legal commentator)"
    REPORTER = "reporter", "Reporter (the document's own voice)"
    COLUMNIST = "columnist", "Columnist"
    MEDIA = "media", "Other media (an outlet cited)"
    LEGISLATOR = "legislator", "Legislator"
    WITNESS = "witness", "Witness, survivor or relative"


def export_upload_to(instance: SocialExport, filename: str) -> str:
    return f"social/exports/{instance.sha256[:2]}/{instance.sha256}"


class SocialExport(models.Model):
    """One export file (``tweets.js``, an archive zip, ``result.json``,
    ``outbox.json``), kept once with its SHA-256; each post's own original
    is its record."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="social_exports"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_to, max_length=300)
    captured_at = models.DateTimeField()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"], name="social_export_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SocialPost(models.Model):
    """What a post adds to its Document. ``*_ref`` are the platform's ids
    as the export gives them; the foreign keys are filled when the post
    they name is in the project (now or in a later import)."""

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="social_post",
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="social_posts"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    post_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=300, blank=True)
    posted_at = models.DateTimeField()
    url = models.URLField(max_length=2000, blank=True)
    reply_to_ref = models.CharField(max_length=200, blank=True)
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    quoted_ref = models.CharField(max_length=200, blank=True)
    quoted = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quoted_by",
    )
    thread_root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread_posts",
        help_text="First post of the account's chain of replies to itself.",
    )
    thread_position = models.PositiveIntegerField(default=0)
    media = models.JSONField(
        default=list,
        blank=True,
        help_text="[{name, media_type, sha256, size, file}]; sha256 and file "
        "only when the export held the file.",
    )
    export = models.ForeignKey(
        SocialExport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["project", "platform", "post_id"]),
            models.Index(fields=["project", "platform", "handle"]),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle or '?'}/{self.post_id}"


def normalise_handle(handle: str) -> str:
    """The key accounts are matched on: no leading "@", lower case."""
    return handle.strip().lstrip("@").lower()


class SocialAccount(models.Model):
    """A known account of a project: whose claim its posts' own text is."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="social_accounts"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(
        max_length=200,
        help_text="As in the export: @name on X, name@server on Mastodon, "
        "the channel's from_id (e.g. channel1234567890) on Telegram.",
    )
    claimant = models.CharField(
        max_length=300, help_text="Who speaks, e.g. 'Ministry of Defence'."
    )
    claimant_type = models.CharField(max_length=32, choices=ClaimantType.choices)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "platform", "handle"],
                name="social_account_unique_handle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.handle} ({self.claimant})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.handle = normalise_handle(self.handle)
        super().save(*args, **kwargs)
