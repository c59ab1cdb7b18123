"""Near-duplicate detection data: MinHash signatures and their LSH bands.

The same wire story republished by several outlets is a near-duplicate:
most of its word 5-grams are shared. ``DocumentFingerprint`` keeps the
MinHash signature of a document's text; ``FingerprintBand`` keeps one row
per band of that signature so candidates are found with one indexed query
instead of comparing against every document in the project.
"""

from __future__ import annotations

from django.db import models

from corpus.models.documents import Document
from projects.models import Project


class DocumentFingerprint(models.Model):
    """MinHash signature of a document's text (word 5-gram shingles)."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="fingerprint"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    scheme = models.CharField(
        max_length=40, help_text="Shingling and hashing scheme, e.g. minhash128-w5-v1."
    )
    signature = models.JSONField(help_text="The MinHash values, one per permutation.")

    def __str__(self) -> str:
        return f"Fingerprint of document {self.document_id}"


class FingerprintBand(models.Model):
    """One LSH band of a signature: documents sharing a band are candidates."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="fingerprint_bands"
    )
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField(
        help_text="Hash of the band's MinHash values; the band number is in bits 32+."
    )

    class Meta:
        indexes = [
            models.Index(fields=["project", "value"], name="fingerprint_band_lookup")
        ]

    def __str__(self) -> str:
        return f"Band {self.band} of document {self.document_id}"
