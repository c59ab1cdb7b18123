"""On PostgreSQL, refuse any UPDATE that changes a document's text or hashes.

The model refuses it too, but ``QuerySet.update()`` and raw SQL bypass the
model; evidence integrity must not depend on every caller using ``save()``.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION glossa_document_immutable() RETURNS trigger AS $$
BEGIN
    IF NEW.text IS DISTINCT FROM OLD.text
       OR NEW.text_sha256 IS DISTINCT FROM OLD.text_sha256
       OR NEW.sha256 IS DISTINCT FROM OLD.sha256 THEN
        RAISE EXCEPTION 'text and hashes of a saved document cannot change (document %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER corpus_document_immutable
    BEFORE UPDATE ON corpus_document
    FOR EACH ROW EXECUTE FUNCTION glossa_document_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS corpus_document_immutable ON corpus_document;
DROP FUNCTION IF EXISTS glossa_document_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
