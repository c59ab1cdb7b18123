from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from annotations import signal_handlers
        from annotations.selectors import (
            annotations_of_document_column,
            annotations_of_document_payload,
        )
        from corpus.api.includes import document_include_register

        signal_handlers.connect()
        # GET /api/documents/<id>/?include=annotations: one request.
        document_include_register(
            "annotations",
            annotations_of_document_payload,
            column=annotations_of_document_column,
        )
