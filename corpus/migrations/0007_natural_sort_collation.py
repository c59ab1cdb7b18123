"""An ICU collation with numeric ordering, for natural sorts of titles
("Report 2" before "Report 10"). PostgreSQL only: a no-op on SQLite."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("corpus", "0006_document_published_precision")]

    operations = [
        CreateCollation("glossa_natural", provider="icu", locale="und-u-kn-true"),
    ]
