"""INCEpTION import: UIMA CAS XMI files in a zip with their type system.

The zip holds ``TypeSystem.xml`` (or ``typesystem.xml``) and one ``.xmi``
per document, INCEpTION's "UIMA CAS XMI" export (each document may sit in
a folder of its own with its type system beside it). dkpro-cassis reads
the XMI and gives code points (XMI counts UTF-16 units). Spans come from
Glossa's layer ``webanno.custom.GlossaSpan`` (``label``, ``note``, and
``quote``, which must be the covered text) and from DKPro Core's
``NamedEntity`` (``value`` as the label), INCEpTION's built-in named-entity
layer. A mismatch refuses the file naming the span; nothing is written.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable, Iterator

from cassis import load_cas_from_xmi, load_typesystem  # type: ignore[import-untyped]

from exchange.imports.common import ImportRefused, ImportResult
from exchange.imports.spans import (
    ForeignSpan,
    ForeignText,
    checked_span,
    refusing_file,
    tool_zip,
    write_texts,
)
from exchange.inception import METADATA_TYPE, NAMED_ENTITY_TYPE, SPAN_TYPE
from exchange.units import Offsets
from projects.models import Project

TYPESYSTEM_NAMES = ("typesystem.xml",)


def _typesystem_for(members: list[str], xmi: str) -> str | None:
    """The type system beside ``xmi``, else the one at the zip's root."""
    folder = posixpath.dirname(xmi)
    for member in members:
        if posixpath.dirname(member) == folder and (
            posixpath.basename(member).lower() in TYPESYSTEM_NAMES
        ):
            return member
    for member in members:
        if "/" not in member and member.lower() in TYPESYSTEM_NAMES:
            return member
    return None


def _spans(cas, where: str) -> list[ForeignSpan]:
    # dkpro-cassis has converted XMI's UTF-16 offsets to code points.
    offsets = Offsets(cas.sofa_string or "", "codepoint")
    spans: list[ForeignSpan] = []
    types = {t.name for t in cas.typesystem.get_types()}
    if SPAN_TYPE in types:
        for number, item in enumerate(cas.select(SPAN_TYPE), 1):
            label = item.get("label") or ""
            span_where = f"{where}, GlossaSpan {number} [{item.begin}, {item.end}]"
            s, e = checked_span(
                offsets, item.begin, item.end, where=span_where, quote=item.get("quote")
            )
            spans.append(
                ForeignSpan(
                    s, e, [label] if label else [], span_where, item.get("note") or ""
                )
            )
    if NAMED_ENTITY_TYPE in types:
        for number, item in enumerate(cas.select(NAMED_ENTITY_TYPE), 1):
            span_where = f"{where}, NamedEntity {number} [{item.begin}, {item.end}]"
            s, e = checked_span(offsets, item.begin, item.end, where=span_where)
            value = item.get("value")
            spans.append(ForeignSpan(s, e, [value] if value else [], span_where))
    return spans


def inception_texts(handle, *, name: str) -> Iterator[ForeignText]:
    archive = tool_zip(
        handle,
        name=name,
        hint="; INCEpTION's XMI needs its TypeSystem.xml beside it, in a zip",
    )
    infos = [i for i in archive.infolist() if not i.is_dir()]
    members = [i.filename for i in infos]
    xmis = sorted(m for m in members if m.lower().endswith(".xmi"))
    if not xmis:
        raise ImportRefused(f"{name} holds no .xmi file.")
    typesystems: dict[str, object] = {}
    for xmi in xmis:
        ts_name = _typesystem_for(members, xmi)
        if ts_name is None:
            raise ImportRefused(f"{name}: no TypeSystem.xml for {xmi}.")
        try:
            if ts_name not in typesystems:
                typesystems[ts_name] = load_typesystem(
                    io.BytesIO(archive.read(ts_name))
                )
            cas = load_cas_from_xmi(
                io.BytesIO(archive.read(xmi)), typesystem=typesystems[ts_name]
            )
        except Exception as exc:  # lxml and cassis raise many kinds
            raise ImportRefused(f"{name}: {xmi} cannot be read ({exc}).") from exc
        text = cas.sofa_string
        if not isinstance(text, str) or not text.strip():
            raise ImportRefused(f"{name}: {xmi} has no text.")
        with refusing_file(name):
            spans = _spans(cas, xmi)
        title = ""
        if METADATA_TYPE in {t.name for t in cas.typesystem.get_types()}:
            metadata = next(iter(cas.select(METADATA_TYPE)), None)
            title = (metadata.get("documentTitle") or "") if metadata else ""
        yield ForeignText(xmi, text, spans, title)


def import_inception(
    handle,
    *,
    project: Project,
    user,
    create_tags: bool = False,
    name: str = "input",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    return write_texts(
        inception_texts(handle, name=name),
        tool="inception",
        project=project,
        user=user,
        create_tags=create_tags,
        name=name,
        progress=progress,
    )
