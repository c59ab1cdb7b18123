"""Fixtures for the social-media tests: exports built from the hand-written
files in ``tests/corpus/fixtures/social`` (fictional accounts and posts)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "social"


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def fixture_bytes(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def zip_of(folder: str, *, prefix: str = "") -> bytes:
    """The fixture folder as an export archive (as the platform ships it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((FIXTURES / folder).rglob("*")):
            if path.is_file():
                archive.write(
                    path, prefix + path.relative_to(FIXTURES / folder).as_posix()
                )
    return buffer.getvalue()


# The loopback web server of the ingestion tests, for post URLs.
from tests.corpus.ingest.conftest import allow_local, site  # noqa: E402, F401
