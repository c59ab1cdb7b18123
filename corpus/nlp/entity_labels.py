"""Entity labels in one scheme whatever the language.

Glossa's components read OntoNotes labels (``PERSON``, ``GPE``, ``ORG``),
which is what the English pipeline predicts. Spanish pipelines are trained
on WikiNER (``PER``, ``LOC``, ``ORG``, ``MISC``), so without this a Spanish
"Tomás Ibarra" is never a person and "Colombia" never a state. This
component, placed right after the entity recogniser, renames the labels it
knows; the rest are kept as predicted.

The small Spanish model also runs an entity into the verb after it
("Gobierno cuestionó" as one LOC) and takes capitalised institutions for
places; such an entity is cut before its first verb, and one that starts
with an institution word ("Gobierno", "Ejército") is an organisation, not a
state.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

# WikiNER -> OntoNotes. LOC covers countries and cities (GPE in OntoNotes)
# as well as regions and rivers; GPE is what the claimant typing needs.
WIKINER_TO_ONTONOTES = {"PER": "PERSON", "LOC": "GPE"}
INSTITUTIONS = [
    "gobierno",
    "estado",
    "ejército",
    "ministerio",
    "policía",
    "fiscalía",
    "congreso",
    "senado",
    "armada",
    "marina",
    "presidencia",
    "secretaría",
    "comando",
    "fuerzas",
    "carabineros",
    "guardia",
]


@Language.factory(
    "glossa_entity_labels_v1",
    default_config={"mapping": WIKINER_TO_ONTONOTES, "institutions": INSTITUTIONS},
)
def make_entity_labels(
    nlp: Language, name: str, mapping: dict[str, str], institutions: list[str]
) -> EntityLabels:
    return EntityLabels(mapping, institutions)


class EntityLabels:
    """Renames entity labels by ``mapping``; trims an entity at its first
    verb; an entity led by an institution word is an ORG."""

    def __init__(self, mapping: dict[str, str], institutions: list[str]) -> None:
        self.mapping = dict(mapping)
        self.institutions = frozenset(w.lower() for w in institutions)

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        for ent in doc.ents:
            end = next(
                (t.i for t in ent if t.pos_ in ("VERB", "AUX") and t.i > ent.start),
                ent.end,
            )
            label = self.mapping.get(ent.label_, ent.label_)
            if doc[ent.start].lower_ in self.institutions:
                label = "ORG"
            ents.append(Span(doc, ent.start, end, label=label))
        doc.ents = ents
        return doc
