"""Every factory builds a row that passes its model's validation, with its
parents in one project."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    getattr(factories, name)
    for name in dir(factories)
    if name.endswith("Factory") and not name.startswith("_")
]


def test_there_is_a_factory_for_every_model():
    models = {f._meta.model.__name__ for f in FACTORIES}
    assert models >= {
        "User",
        "Project",
        "Membership",
        "Source",
        "Document",
        "DocumentAnalysis",
        "Job",
        "Assignment",
        "Tag",
        "Annotation",
        "Comment",
        "Suggestion",
        "Framework",
        "Criterion",
        "Element",
        "Claim",
        "ClaimMention",
        "ClaimQuantity",
        "Assessment",
        "HistoryEntry",
    }


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factory_makes_a_valid_row(factory):
    obj = factory()
    obj.full_clean()
    project = getattr(obj, "project", None)
    for parent in ("document", "claim", "annotation", "tag"):
        related = getattr(obj, parent, None)
        if project is not None and related is not None:
            assert related.project == project, parent


def test_make_annotation_by_quote_or_offsets(project, analyst, document):
    by_quote = factories.make_annotation(
        document, analyst, "14 people", tags=["casualty_figure"], history=True
    )
    start = document.text.index("14 people")
    by_offsets = factories.make_annotation(
        document, analyst, start, start + 9, ["casualty_figure"]
    )
    assert by_quote.quote == by_offsets.quote == "14 people"
    assert [t.key for t in by_offsets.tags.all()] == ["casualty_figure"]
    assert project.history.filter(object_id=by_quote.pk).count() == 1
    assert not project.history.filter(object_id=by_offsets.pk).exists()
