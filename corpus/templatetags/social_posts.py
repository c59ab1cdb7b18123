"""``{% social_post_panel %}``: a social post's details on its document page."""

from __future__ import annotations

from typing import Any

from django import template

from corpus.models import DocumentKind
from corpus.social_selectors import post_of

register = template.Library()


@register.inclusion_tag("corpus/_social_post.html", takes_context=True)
def social_post_panel(context: template.Context) -> dict[str, Any]:
    """The post panel, or nothing for a document that is not a post."""
    document = context.get("document")
    post = None
    if document is not None and document.kind == DocumentKind.SOCIAL:
        post = post_of(document.pk)
    return {
        "post": post,
        "project": context.get("project"),
        "can_edit": context.get("can_edit", False),
    }
