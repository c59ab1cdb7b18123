"""On PostgreSQL, full-text search over documents: a stored tsvector + GIN index.

``corpus_document.search_vector`` is a generated column (title weighted A,
the first 250,000 characters of the text weighted B; tsvector values are
limited to 1 MB, so very long texts are indexed by their beginning). It is
not a model field: Django never writes it, PostgreSQL keeps it current, and
``corpus.selectors.documents_search`` (the one document search, used by the
document list and ``/api/search/``) queries it with raw SQL. SQLite has no
equivalent; the search falls back to ``icontains`` there.
"""

from django.db import migrations

CREATE = """
ALTER TABLE corpus_document ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, left(text, 250000)), 'B')
    ) STORED;
CREATE INDEX IF NOT EXISTS corpus_document_search_gin
    ON corpus_document USING gin (search_vector);
"""

DROP = """
DROP INDEX IF EXISTS corpus_document_search_gin;
ALTER TABLE corpus_document DROP COLUMN IF EXISTS search_vector;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0002_document_immutable_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
