"""On PostgreSQL, refuse spans whose quote is not the slice at their offsets.

Checked on INSERT and UPDATE of annotations and suggestions, so bulk writes
and raw SQL cannot store a span that points at other text. Offsets are code
points; PostgreSQL's substr() counts characters the same way in UTF-8.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION glossa_span_anchor_check() RETURNS trigger AS $$
DECLARE
    doc_text text;
    doc_project bigint;
BEGIN
    SELECT text, project_id INTO doc_text, doc_project
        FROM corpus_document WHERE id = NEW.document_id;
    IF doc_project IS DISTINCT FROM NEW.project_id THEN
        RAISE EXCEPTION 'span % belongs to another project than its document', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.start < 0 OR NEW."end" > char_length(doc_text) OR NEW.start >= NEW."end" THEN
        RAISE EXCEPTION 'span offsets %-% are outside the document text (0-%)',
            NEW.start, NEW."end", char_length(doc_text)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF substr(doc_text, NEW.start + 1, NEW."end" - NEW.start) IS DISTINCT FROM NEW.quote THEN
        RAISE EXCEPTION 'span quote does not match the document text at %-%',
            NEW.start, NEW."end"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TABLES = ["annotations_annotation", "annotations_suggestion"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_anchor BEFORE INSERT OR UPDATE OF "
            f'start, "end", quote, document_id, project_id ON {table} '
            "FOR EACH ROW EXECUTE FUNCTION glossa_span_anchor_check();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_anchor ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS glossa_span_anchor_check();")


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial"), ("corpus", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
