"""Storing posts: their export once, their media by hash, and their links.

Called by ``store.py`` at three points of one ingestion transaction:
``prepare_posts`` before each chunk (exports and media files are shared by
many posts, so they are written once, remembered on the batch, outside the
chunks' savepoints, and their new files are listed on the batch to be
removed if the transaction fails); ``write_posts`` with each chunk's
documents, inside its savepoint, so a post and its ``SocialPost`` row go
in or fail together; and ``link_posts`` after the chunks: replies, quotes
and threads are resolved by the database over the whole project, so a reply
stored in an earlier chunk (or import) than its parent is linked when the
parent arrives, without holding the posts in memory.
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

    Done by the database over the whole project, after every chunk of the
    upload is stored: a post links to one stored in a later chunk, or in an
    earlier or later import, and memory does not grow with the number of
    posts. A reference is a platform's post id (the latest capture of it
    wins) or else a post's URL (the first). A thread is an account's chain
    of replies to its own posts: each post of it points to the chain's
    first post (``thread_root``) with its depth (``thread_position``, 0 for
    the first); a post in no chain is its own root. Only changed rows are
    written.
    """
    if not platforms:
        return
    table = connection.ops.quote_name(SocialPost._meta.db_table)
    kinds = sorted(platforms)
    among = ", ".join(["%s"] * len(kinds))
    scope = f"project_id = %s AND platform IN ({among})"
    params: list[Any] = [project.pk, *kinds]
    # Only the table's name and placeholders are formatted into the SQL.
    links = (
        f"WITH by_id AS (SELECT platform, post_id AS ref, "  # noqa: S608
        f"MAX(document_id) AS pk FROM {table} WHERE {scope} "
        "GROUP BY platform, post_id), "
        f"by_url AS (SELECT platform, url AS ref, MIN(document_id) AS pk "
        f"FROM {table} WHERE {scope} AND url <> '' GROUP BY platform, url), "
        "resolved AS (SELECT s.document_id AS id, "
        "NULLIF(COALESCE(ri.pk, ru.pk), s.document_id) AS r, "
        "NULLIF(COALESCE(qi.pk, qu.pk), s.document_id) AS q "
        f"FROM {table} s "
        "LEFT JOIN by_id ri ON ri.platform = s.platform AND ri.ref = s.reply_to_ref "
        "LEFT JOIN by_url ru ON ru.platform = s.platform AND ru.ref = s.reply_to_ref "
        "LEFT JOIN by_id qi ON qi.platform = s.platform AND qi.ref = s.quoted_ref "
        "LEFT JOIN by_url qu ON qu.platform = s.platform AND qu.ref = s.quoted_ref "
        f"WHERE s.{scope.replace('platform IN', 's.platform IN')}) "
        f"UPDATE {table} SET reply_to_id = resolved.r, quoted_id = resolved.q "
        f"FROM resolved WHERE {table}.document_id = resolved.id "
        f"AND ({table}.reply_to_id IS DISTINCT FROM resolved.r "
        f"OR {table}.quoted_id IS DISTINCT FROM resolved.q)"
    )
    # Threads walk down from each chain's first post (its parent is absent
    # or another account's), so every post is visited once; a post in a
    # cycle of replies (a broken export) is reached by no walk and is its
    # own root.
    threads = (
        "WITH RECURSIVE chain(id, handle, root, depth) AS ("  # noqa: S608
        f"SELECT s.document_id, s.handle, s.document_id, 0 FROM {table} s "
        f"LEFT JOIN {table} p ON p.document_id = s.reply_to_id "
        f"WHERE s.{scope.replace('platform IN', 's.platform IN')} "
        "AND (p.document_id IS NULL OR p.handle <> s.handle) "
        "UNION ALL "
        "SELECT c.document_id, c.handle, chain.root, chain.depth + 1 "
        f"FROM chain JOIN {table} c ON c.reply_to_id = chain.id "
        "AND c.handle = chain.handle), "
        "target AS (SELECT s.document_id AS id, "
        "COALESCE(chain.root, s.document_id) AS root, "
        "COALESCE(chain.depth, 0) AS depth "
        f"FROM {table} s LEFT JOIN chain ON chain.id = s.document_id "
        f"WHERE s.{scope.replace('platform IN', 's.platform IN')}) "
        f"UPDATE {table} SET thread_root_id = target.root, "
        "thread_position = target.depth "
        f"FROM target WHERE {table}.document_id = target.id "
        f"AND ({table}.thread_root_id IS DISTINCT FROM target.root "
        f"OR {table}.thread_position <> target.depth)"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows this upload just inserted, counted by the planner
            # (ANALYZE samples, and sees this transaction's rows): without
            # it a freshly filled table is planned as nearly empty, with
            # nested loops that cost seconds per thousand posts.
            cursor.execute(f"ANALYZE {table}")
        cursor.execute(links, params * 3)
        cursor.execute(threads, params * 2)
