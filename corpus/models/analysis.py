"""Stored output of the spaCy analysis, so pages never re-parse a document."""

from __future__ import annotations

from django.db import models

from corpus.models.documents import Document


class DocumentAnalysis(models.Model):
    """The analysis of one document by one pipeline version.

    ``data`` holds plain JSON produced by ``corpus.nlp`` (sentences, tokens,
    entities, attributions, cues, quantities), all as code-point offsets into
    ``Document.text``. ``pipeline`` and ``pipeline_version`` make old results
    reproducible; ``provenance`` adds what else decided the result (the
    spaCy model and its version, the SHA-256 of the pattern data: see
    ``corpus.nlp.pipeline_info``) and ``context`` the ``DocumentContext``
    the pipeline was given (source kind and name, acting states, language),
    so that a result can be traced and a changed source re-analysed.
    """

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="analysis"
    )
    pipeline = models.CharField(max_length=120)
    pipeline_version = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    provenance = models.JSONField(
        default=dict,
        blank=True,
        help_text="pipeline_info(): pipeline, model, model version, patterns hash.",
    )
    context = models.JSONField(
        default=dict,
        blank=True,
        help_text="The DocumentContext the pipeline was given.",
    )
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "document analyses"

    def __str__(self) -> str:
        return f"Analysis of {self.document_id} by {self.pipeline}"
