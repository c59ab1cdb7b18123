from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "corpus"
    verbose_name = "Corpus"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the analysis task that ingestion queues by name
        # (corpus.jobs), so Celery knows it before the first ingestion.
        from corpus import checks, tasks  # noqa: F401
