"""Official social-media exports: one document per post.

Three exports, recognised by content (``detect.social_format``):

- an X (Twitter) archive's ``data/tweets.js`` (``window.YTD.tweets.part0 =
  [...]``; older archives say ``tweet``), alone or as the whole archive
  zip, whose ``data/account.js`` names the account and whose
  ``data/tweets_media/`` holds the media (kept as originals);
- a Telegram channel export ``result.json`` (``name``, ``type``, ``id``,
  ``messages``; a message's ``text`` is a string or a list of strings and
  entities), alone or zipped with its ``photos/`` and ``files/``;
- a Mastodon / ActivityPub outbox ``outbox.json`` (an ``OrderedCollection``
  of ``Create`` activities whose object is a ``Note`` with HTML
  ``content``), alone or as the account archive zip with ``actor.json`` and
  ``media_attachments/``.

Each post becomes an ``Extracted`` whose original is its record's exact
bytes in the posts file, a byte range of that file kept once (as for JSON
Lines; see ``each_post``), and whose ``social`` carries a ``SocialRecord``: the
export's bytes (kept once, ``SocialExport``), the account, reply, quote and
media.
A record that cannot be a post fails alone, named ("tweets.js record 17: no
full_text"); the others go in.

Exports are read as streams, never loaded whole (``stream_array``): a first
pass with ``ijson`` (its C backend) checks that the whole file is valid JSON
of the expected shape, so a broken file is refused before any of its posts
is stored, and collects the few top-level values a post needs (a Telegram
channel's id and name); a second pass decodes the posts array one element
at a time with the standard library's decoder (so a post's record is
exactly what ``json.loads`` would give, lone surrogates included), from
strict UTF-8 text that encodes back to the record's bytes. The extractors
are generators: the store takes their posts a chunk at a time, and an
archive's media files are read from the zip only when their post is
reached. A file that the first pass cannot read (not
UTF-8, or not strict JSON) is read the old way, in memory, for its error
message or its posts.

Modules: ``records`` (what a post becomes, a broken record's failure),
``stream`` (the two-pass reader and ``each_post``), one per platform (``x``,
``telegram``, ``mastodon``) and ``archive`` (a whole export zip).
"""

from corpus.ingest.social.archive import archive_kind, extract_archive
from corpus.ingest.social.mastodon import extract_outbox
from corpus.ingest.social.records import SocialRecord
from corpus.ingest.social.telegram import extract_telegram
from corpus.ingest.social.x import extract_x

__all__ = [
    "SocialRecord",
    "archive_kind",
    "extract_archive",
    "extract_outbox",
    "extract_telegram",
    "extract_x",
]
