"""INCEpTION: UIMA CAS XMI, one ``doc-<id>.xmi`` per document plus the
``TypeSystem.xml`` they share, in a zip (what INCEpTION's "UIMA CAS XMI"
import takes). Layer and features: ``exchange.inception``. Offsets are
written by dkpro-cassis in UTF-16 code units, as UIMA counts them.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator

from cassis import Cas, load_typesystem  # type: ignore[import-untyped]

from exchange.exports.base import Progress, document_iri, no_progress, public_base_url
from exchange.exports.tools import documents_with_annotations, tag_keys
from exchange.inception import METADATA_TYPE, SPAN_TYPE, glossa_typesystem_xml
from legal.models import ClaimMention
from projects.models import Project

READ_CHUNK = 1 << 16


def stream_inception(
    project: Project,
    *,
    base_url: str | None = None,
    progress: Progress = no_progress,
    **_: object,
) -> Iterator[bytes]:
    base = public_base_url(base_url)
    typesystem_xml = glossa_typesystem_xml()
    typesystem = load_typesystem(io.BytesIO(typesystem_xml.encode()))
    Span = typesystem.get_type(SPAN_TYPE)
    Metadata = typesystem.get_type(METADATA_TYPE)
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("TypeSystem.xml", typesystem_xml)
            for document, spans_of in documents_with_annotations(project, progress):
                claims: dict[int, list[str]] = {}
                mentions = ClaimMention.objects.filter(
                    annotation__in=[a.pk for a in spans_of]
                ).select_related("claim")
                for mention in mentions.order_by("claim_id"):
                    claims.setdefault(mention.annotation_id, []).append(
                        mention.claim.proposition
                    )
                cas = Cas(typesystem=typesystem)
                cas.sofa_string = document.text
                cas.sofa_mime = "text/plain"
                cas.add(
                    Metadata(
                        begin=0,
                        end=len(document.text),
                        documentTitle=document.title or f"Document {document.pk}",
                        documentId=str(document.pk),
                        documentUri=document_iri(base, document),
                        language=document.language or "x-unspecified",
                    )
                )
                for annotation in spans_of:
                    for key in tag_keys(annotation) or [""]:
                        cas.add(
                            Span(
                                begin=annotation.start,
                                end=annotation.end,
                                label=key,
                                note=annotation.note,
                                claims="\n".join(claims.get(annotation.pk, [])),
                                quote=annotation.quote,
                            )
                        )
                archive.writestr(f"doc-{document.pk}.xmi", cas.to_xmi())
        handle.seek(0)
        while chunk := handle.read(READ_CHUNK):
            yield chunk
