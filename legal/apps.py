from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = "Legal analysis"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from legal import signal_handlers

        signal_handlers.connect()
