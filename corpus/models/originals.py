"""A file kept once whose records are documents (a JSON Lines upload).

A bulk file holds many records, each stored as its own Document. Writing
one original file per record costs a file per document and keeps nothing of
the file as received; instead the file is kept once, as an ``OriginalFile``
with its SHA-256, and each of its documents points to it with the byte
range of its record (``Document.container``, ``record_offset``,
``record_length``). The document's ``sha256`` is still the hash of its own
record's bytes, so duplicates are found as before and the record read back
from the file can be checked against it (``Document.original_bytes``).
"""

from __future__ import annotations

from django.db import models

from projects.models import Project


def container_upload_to(instance: OriginalFile, filename: str) -> str:
    """Store by content hash, apart from per-document originals."""
    return f"containers/{instance.sha256[:2]}/{instance.sha256}"


class OriginalFile(models.Model):
    """An uploaded file kept once, exactly as received; many documents' originals
    are byte ranges of it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="original_files"
    )
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the whole file.")
    size = models.PositiveBigIntegerField(default=0)
    name = models.CharField(max_length=500, blank=True)
    media_type = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=container_upload_to, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"], name="original_file_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"File {self.sha256[:12]}"

    def read_range(self, offset: int, length: int) -> bytes:
        """``length`` bytes of the file from ``offset``."""
        with self.file.open("rb") as handle:
            handle.seek(offset)
            data: bytes = handle.read(length)
        return data
