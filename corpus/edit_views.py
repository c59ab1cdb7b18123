"""The metadata edit page of one document: analysts correct what extraction
got wrong or could not know; the text is shown, never editable."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from corpus.edit_forms import DocumentMetadataForm
from corpus.metadata import document_metadata_update
from corpus.permissions import project_document
from corpus.services import document_source_set
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.models import Role
from projects.permissions import project_view, signed_in_user

FIELD_LABELS = {
    "title": "title",
    "published_at": "publication date",
    "published_precision": "date precision",
    "author": "author",
    "kind": "kind",
    "language": "language",
    "url": "URL",
    "source": "source",
}


@project_view(Role.ANALYST)
@require_http_methods(["GET", "POST"])
def document_edit_view(request, slug: str, pk: int):
    """Show the metadata form; a valid POST saves the changes (with history)
    and returns to the document."""
    document = project_document(request, pk)
    form = DocumentMetadataForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        user = signed_in_user(request)
        try:
            with transaction.atomic():
                changed = document_metadata_update(
                    document=document, user=user, **form.metadata()
                )
                if _source_change(form, document):
                    document_source_set(
                        document=document,
                        user=user,
                        source=form.cleaned_data["source"],
                        name=form.cleaned_data["new_source"],
                        kind=form.cleaned_data["new_source_kind"],
                    )
                    changed.append("source")
        except (ValidationError, ApplicationError) as exc:
            form_errors_from(form, exc)
        else:
            if changed:
                names = sorted({FIELD_LABELS[name] for name in changed})
                messages.success(request, f"Saved: {', '.join(names)}.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("annotator", slug=slug, pk=pk)
    return TemplateResponse(
        request,
        "corpus/document_edit.html",
        {"project": request.project, "document": document, "form": form},
        status=400 if form.errors else 200,
    )


def _source_change(form: DocumentMetadataForm, document) -> bool:
    data = form.cleaned_data
    if data["new_source"].strip():
        return True
    chosen = data["source"]
    return chosen is not None and chosen.pk != document.source_id
