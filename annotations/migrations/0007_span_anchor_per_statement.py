"""Check inserted spans once per statement, reading each document once.

The row trigger of 0002 read the document's text, counted its characters
and cut the quote's slice for every row. In UTF-8, PostgreSQL finds a
character offset by walking the text from its start, so each row cost time
in proportion to the document: storing the suggestions of a 3,000,000-
character text (tens of thousands of rows in one bulk INSERT) took over 40
ms a row, tens of minutes in all. Inserts are now checked by one trigger per
statement over the inserted rows (a transition table): per document, the
text is read and cut into pieces of 16,384 characters once, and each row's
quote is compared with its slice of one or two pieces. The checks and the
messages are those of 0002; updates (one row at a time in the application)
keep the row trigger.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION glossa_span_anchor_check_inserted() RETURNS trigger AS $$
DECLARE
    piece_size constant integer := 16384;
    doc record;
    span record;
    pieces text[];
    rest text;
    doc_length integer;
    first_piece integer;
    last_piece integer;
BEGIN
    SELECT i.id, i.document_id INTO span FROM inserted i
        WHERE NOT EXISTS (SELECT 1 FROM corpus_document d WHERE d.id = i.document_id)
        LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'span % belongs to another project than its document', span.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    FOR doc IN
        SELECT d.id, d.project_id, d.text FROM corpus_document d
            WHERE d.id IN (SELECT DISTINCT document_id FROM inserted)
    LOOP
        doc_length := char_length(doc.text);
        pieces := '{}';
        rest := doc.text;
        WHILE rest <> '' LOOP
            pieces := pieces || left(rest, piece_size);
            rest := substr(rest, piece_size + 1);
        END LOOP;
        FOR span IN
            SELECT i.id, i.project_id, i.start, i."end", i.quote FROM inserted i
                WHERE i.document_id = doc.id
        LOOP
            IF doc.project_id IS DISTINCT FROM span.project_id THEN
                RAISE EXCEPTION 'span % belongs to another project than its document',
                    span.id USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF span.start < 0 OR span."end" > doc_length OR span.start >= span."end" THEN
                RAISE EXCEPTION 'span offsets %-% are outside the document text (0-%)',
                    span.start, span."end", doc_length
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            first_piece := span.start / piece_size + 1;
            last_piece := (span."end" - 1) / piece_size + 1;
            IF substr(
                array_to_string(pieces[first_piece:last_piece], ''),
                span.start - (first_piece - 1) * piece_size + 1,
                span."end" - span.start
            ) IS DISTINCT FROM span.quote THEN
                RAISE EXCEPTION 'span quote does not match the document text at %-%',
                    span.start, span."end"
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END LOOP;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TABLES = ["annotations_annotation", "annotations_suggestion"]
COLUMNS = 'start, "end", quote, document_id, project_id'


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_anchor ON {table};")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_anchor BEFORE UPDATE OF {COLUMNS} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION glossa_span_anchor_check();"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_anchor_insert AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT "
            "EXECUTE FUNCTION glossa_span_anchor_check_inserted();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_anchor_insert ON {table};"
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_anchor ON {table};")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_anchor BEFORE INSERT OR UPDATE OF {COLUMNS} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION glossa_span_anchor_check();"
        )
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS glossa_span_anchor_check_inserted();"
    )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0006_learning_auto_train")]
    operations = [migrations.RunPython(forwards, backwards)]
