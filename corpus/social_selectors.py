"""Reads of social posts and the account registry."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from corpus.models import SocialAccount, SocialPost, normalise_handle
from projects.models import Project


def social_accounts(project: Project) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(project=project).order_by("platform", "handle")


def unregistered_handles(project: Project) -> list[dict[str, Any]]:
    """Accounts with posts in the project and no registry entry, most
    posts first: {platform, handle, display_name, posts}."""
    known = {
        (a.platform, a.handle)
        for a in SocialAccount.objects.filter(project=project).only(
            "platform", "handle"
        )
    }
    rows = (
        SocialPost.objects.filter(project=project)
        .exclude(handle="")
        .values("platform", "handle")
        .annotate(posts=Count("pk"))
        .order_by("-posts", "handle")[:200]
    )
    out: list[dict[str, Any]] = []
    for row in rows:
        if (row["platform"], normalise_handle(row["handle"])) in known:
            continue
        out.append(dict(row))
    return out


def post_of(document_id: int) -> SocialPost | None:
    """A document's post details, with the account registered for it."""
    post = (
        SocialPost.objects.filter(document_id=document_id)
        .select_related("reply_to", "quoted", "thread_root", "export")
        .first()
    )
    if post is None:
        return None
    post.account = (  # type: ignore[attr-defined]
        SocialAccount.objects.filter(
            project_id=post.project_id,
            platform=post.platform,
            handle=normalise_handle(post.handle),
        ).first()
        if post.handle
        else None
    )
    return post
