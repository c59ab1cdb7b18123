from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "corpus"
    verbose_name = "Corpus"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from corpus import checks  # noqa: F401 (registers the security checks)
