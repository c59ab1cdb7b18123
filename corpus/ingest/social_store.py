"""Storing posts: their export once, their media by hash, and their links.

Called by ``store.py`` at three points of one ingestion transaction:
``prepare_posts`` before each chunk (exports and media files are shared by
many posts, so they are written once, remembered on the batch, outside the
chunks' savepoints, and their new files are listed on the batch to be
removed if the transaction fails); ``write_posts`` with each chunk's
documents, inside its savepoint, so a post and its ``SocialPost`` row go
in or fail together; and ``link_posts`` after the chunks: replies, quotes
and threads are resolved over the whole project, so a reply imported before
its parent is linked when the parent arrives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from corpus.models import Document, SocialExport, SocialPost
from projects.models import Project

if TYPE_CHECKING:
    from corpus.ingest.social import SocialRecord
    from corpus.ingest.store import Batch


def _keep(path: str, data: bytes, batch: Batch) -> str:
    """Write ``data`` at a content-addressed ``path`` unless it is there."""
    if default_storage.exists(path):
        return path
    saved = default_storage.save(path, ContentFile(data))
    batch.files.append(saved)
    return saved


def prepare_posts(
    records: Iterable[SocialRecord], *, project: Project, batch: Batch
) -> None:
    """Store each export once and each media file once; note the results on
    the records (``export_id``, ``media_rows``)."""
    exports: dict[str, SocialExport] = batch.social_exports
    for record in records:
        export = record.export
        if export.sha256 not in exports:
            row = SocialExport.objects.filter(
                project=project, sha256=export.sha256
            ).first()
            if row is None:
                path = _keep(
                    f"social/exports/{export.sha256[:2]}/{export.sha256}",
                    export.data,
                    batch,
                )
                row, _ = SocialExport.objects.get_or_create(
                    project=project,
                    sha256=export.sha256,
                    defaults={
                        "platform": export.platform,
                        "name": export.name[:500],
                        "size": len(export.data),
                        "file": path,
                        "captured_at": batch.captured_at or timezone.now(),
                    },
                )
            exports[export.sha256] = row
        record.export_id = exports[export.sha256].pk
        rows: list[dict[str, Any]] = []
        for media in record.media:
            row_data: dict[str, Any] = {
                "name": media.name[:300],
                "media_type": media.media_type[:100],
                "sha256": "",
                "size": None,
                "file": "",
            }
            if media.data is not None:
                digest = hashlib.sha256(media.data).hexdigest()
                row_data["sha256"] = digest
                row_data["size"] = len(media.data)
                row_data["file"] = _keep(
                    f"social/media/{digest[:2]}/{digest}", media.data, batch
                )
            rows.append(row_data)
        record.media_rows = rows


def write_posts(
    pairs: list[tuple[Document, SocialRecord]], *, project: Project
) -> None:
    """The ``SocialPost`` rows of freshly inserted documents (one query)."""
    if not pairs:
        return
    SocialPost.objects.bulk_create(
        [
            SocialPost(  # by id, so the document does not hold its post
                document_id=document.pk,
                project=project,
                platform=record.platform,
                post_id=record.post_id[:200],
                handle=record.handle[:200],
                display_name=record.display_name[:300],
                posted_at=record.posted_at,
                url=document.url,
                reply_to_ref=record.reply_to[:200],
                quoted_ref=record.quoted[:200],
                media=record.media_rows,
                export_id=record.export_id,
            )
            for document, record in pairs
        ]
    )


def link_posts(project: Project, platforms: set[str]) -> None:
    """Resolve replies, quotes and threads among the project's posts.

    A thread is an account's chain of replies to its own posts: each post
    of it points to the chain's first post (``thread_root``) with its
    depth (``thread_position``, 0 for the first). Only changed rows are
    written. Reads a few columns of the platform's posts as tuples, not
    model instances: a tenth of the memory for a large project.
    """
    if not platforms:
        return
    posts = list(
        SocialPost.objects.filter(project=project, platform__in=platforms)
        .order_by("pk")
        .values_list(
            "pk",
            "platform",
            "post_id",
            "url",
            "handle",
            "reply_to_ref",
            "quoted_ref",
            "reply_to_id",
            "quoted_id",
            "thread_root_id",
            "thread_position",
        )
    )
    by_ref: dict[tuple[str, str], int] = {}  # (platform, id or URL) -> pk
    handles: dict[int, str] = {}
    for pk, platform, post_id, url, handle, *_ in posts:
        handles[pk] = handle
        by_ref[(platform, post_id)] = pk  # the latest capture wins
        if url:
            by_ref.setdefault((platform, url), pk)
    parent: dict[int, int | None] = {}
    for pk, platform, _, _, _, reply_ref, _, *_ in posts:
        up = by_ref.get((platform, reply_ref))
        parent[pk] = up if up is not None and up != pk else None
    changed: list[tuple[int, int | None, int | None, int, int]] = []
    for pk, platform, _, _, handle, _, quoted_ref, *old in posts:
        root, depth, seen = pk, 0, {pk}
        while True:
            up = parent.get(root)
            if up is None or handles[up] != handle or up in seen:
                break
            seen.add(up)
            root, depth = up, depth + 1
        quoted = by_ref.get((platform, quoted_ref))
        new = (parent[pk], quoted if quoted != pk else None, root, depth)
        if tuple(old) != new:
            changed.append((pk, *new))
    _write_links(changed)


def _write_links(changed: list[tuple[int, int | None, int | None, int, int]]) -> None:
    """One ``UPDATE ... FROM (VALUES ...)`` per 1,000 rows of (post, reply to,
    quoted, thread root, position): ``bulk_update``'s CASE expressions cost
    seconds per thousand rows to build."""
    table = connection.ops.quote_name(SocialPost._meta.db_table)
    for start in range(0, len(changed), 1000):
        part = changed[start : start + 1000]
        rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(part))
        params: list[Any] = [value for row in part for value in row]
        with connection.cursor() as cursor:
            # A CTE, not "(VALUES ...) AS v(...)", which SQLite lacks. Only
            # placeholders and the table's name are formatted into the SQL.
            cursor.execute(
                f"WITH v(id, r, q, t, n) AS (VALUES {rows}) "  # noqa: S608
                f"UPDATE {table} SET reply_to_id = CAST(v.r AS bigint), "
                "quoted_id = CAST(v.q AS bigint), "
                "thread_root_id = CAST(v.t AS bigint), "
                "thread_position = CAST(v.n AS integer) "
                f"FROM v WHERE {table}.document_id = CAST(v.id AS bigint)",
                params,
            )
