"""On PostgreSQL, cheaper writes of analysis results (issue 13).

``corpus_document.search_vector`` (0003) was a stored generated column,
which PostgreSQL recomputes on *every* UPDATE of a row: each change of a
document's analysis status parsed its whole text again. It is now an
ordinary column kept by a trigger that runs only on INSERT and on an UPDATE
that names ``title`` or ``text`` (or the vector itself, so that nothing can
write a wrong one); the expression, the GIN index and the searches are
0003's. (A document's text never changes after ingestion: 0002.)

``corpus_documentanalysis.data`` (tens of kilobytes of JSON per document)
is compressed with lz4 instead of pglz, several times faster to write, when
the server was built with it.
"""

import contextlib

from django.db import DatabaseError, migrations, transaction

# 0003's expression, of the row (@VECTOR@) or of the trigger's NEW row.
VECTOR = """
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, left(text, 250000)), 'B')
"""
NEW_VECTOR = VECTOR.replace("(title", "(NEW.title").replace("(text", "(NEW.text")

CREATE = """
DROP INDEX IF EXISTS corpus_document_search_gin;
ALTER TABLE corpus_document DROP COLUMN IF EXISTS search_vector;
ALTER TABLE corpus_document ADD COLUMN search_vector tsvector;
CREATE OR REPLACE FUNCTION glossa_document_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := @NEW_VECTOR@;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER corpus_document_search_vector
    BEFORE INSERT OR UPDATE OF title, text, search_vector ON corpus_document
    FOR EACH ROW EXECUTE FUNCTION glossa_document_search_vector();
UPDATE corpus_document SET search_vector = @VECTOR@;
CREATE INDEX corpus_document_search_gin
    ON corpus_document USING gin (search_vector);
"""

DROP = """
DROP TRIGGER IF EXISTS corpus_document_search_vector ON corpus_document;
DROP FUNCTION IF EXISTS glossa_document_search_vector();
DROP INDEX IF EXISTS corpus_document_search_gin;
ALTER TABLE corpus_document DROP COLUMN IF EXISTS search_vector;
ALTER TABLE corpus_document ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (@VECTOR@) STORED;
CREATE INDEX corpus_document_search_gin
    ON corpus_document USING gin (search_vector);
"""


def sql(template: str) -> str:
    return template.replace("@NEW_VECTOR@", NEW_VECTOR).replace("@VECTOR@", VECTOR)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(sql(CREATE), params=None)
    # A server without lz4 (or before 14) keeps pglz.
    with (
        contextlib.suppress(DatabaseError),
        transaction.atomic(using=schema_editor.connection.alias),
    ):
        schema_editor.execute(
            "ALTER TABLE corpus_documentanalysis ALTER COLUMN data SET COMPRESSION lz4",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(sql(DROP), params=None)
    schema_editor.execute(
        "ALTER TABLE corpus_documentanalysis ALTER COLUMN data SET COMPRESSION default",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("corpus", "0010_original_files")]
    operations = [migrations.RunPython(forwards, backwards)]
