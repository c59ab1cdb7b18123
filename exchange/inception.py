"""The UIMA type system Glossa uses to exchange annotations with INCEpTION.

INCEpTION reads and writes UIMA CAS XMI; dkpro-cassis (the library of
INCEpTION's own Python tools) handles the XML and converts offsets: XMI
counts UTF-16 code units (Java strings), cassis hands Python code points
to Glossa and back, so nothing here converts by hand.

One custom span layer, ``webanno.custom.GlossaSpan`` (the ``webanno.custom``
namespace is where INCEpTION keeps project-defined layers; create a span
layer with these features to annotate further in INCEpTION):

* ``label`` — the tag key (one GlossaSpan per tag; empty for an untagged span);
* ``note`` — the annotation's note;
* ``claims`` — the propositions of the claims the annotation is a mention
  of, one per line (read-only context: claims are not imported);
* ``quote`` — the text Glossa quoted, checked against the covered text on
  import.

``DocumentMetaData`` (DKPro Core) carries the title and the document's IRI,
as INCEpTION expects of every CAS.
"""

from __future__ import annotations

from functools import lru_cache

from cassis import TypeSystem, load_dkpro_core_typesystem, merge_typesystems  # type: ignore[import-untyped]

SPAN_TYPE = "webanno.custom.GlossaSpan"
METADATA_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
NAMED_ENTITY_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
FEATURES = ("label", "note", "claims", "quote")
METADATA_FEATURES = (
    "documentTitle",
    "documentId",
    "documentUri",
    "collectionId",
    "documentBaseUri",
)


@lru_cache(maxsize=1)
def glossa_typesystem_xml() -> str:
    """The merged type system (DKPro Core + GlossaSpan) as XML."""
    own = TypeSystem()
    span = own.create_type(SPAN_TYPE, supertypeName="uima.tcas.Annotation")
    for name in FEATURES:
        own.create_feature(span, name, "uima.cas.String")
    # DKPro Core's DocumentMetaData, which cassis's bundled DKPro types lack
    metadata = own.create_type(
        METADATA_TYPE, supertypeName="uima.tcas.DocumentAnnotation"
    )
    for name in METADATA_FEATURES:
        own.create_feature(metadata, name, "uima.cas.String")
    own.create_feature(metadata, "isLastSegment", "uima.cas.Boolean")
    return merge_typesystems(load_dkpro_core_typesystem(), own).to_xml()
