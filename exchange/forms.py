"""Forms of the export and import page."""

from __future__ import annotations

from django import forms

from exchange.exports import FORMATS
from exchange.imports.formats import IMPORTERS


class ExportForm(forms.Form):
    """``action=export``: prepare one export in the background."""

    action = forms.ChoiceField(choices=[("export", "Export")])
    format = forms.ChoiceField(
        choices=[(key, key) for key in FORMATS],
        label="Format",
        error_messages={"invalid_choice": "Unknown export format %(value)r."},
    )

    @classmethod
    def posted(cls, data) -> ExportForm | None:
        """The form if ``data`` asks for an export, else None (an import)."""
        form = cls(data)
        form.is_valid()
        return None if form.has_error("action") else form


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in IMPORTERS.items()]
    )
    file = forms.FileField()
    create_tags = forms.BooleanField(
        required=False,
        label="Create tags for labels the project does not have (owners only)",
    )
