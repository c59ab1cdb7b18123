"""The language of a quote, for briefs and claim pages (issue 16).

Quotes stay verbatim in their document's language. The page marks them with
``lang`` so that screen readers and hyphenation use the right language, and
the brief says when a quote is in another language than its own (English)
and whether the analyst translated it. ``Document.language`` is whatever a
detector or a person stored, so it is checked before it goes into an
attribute: anything that is not a language tag becomes ``""`` (unknown).
"""

from __future__ import annotations

import re

from django import template
from django.utils.translation import get_language_info

register = template.Library()

#: The language briefs and pages are written in.
BRIEF_LANGUAGE = "en"

# A BCP 47 tag as Glossa stores them: a 2-3 letter primary subtag and
# optional subtags (``es``, ``es-MX``, ``zh-Hant``).
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@register.filter
def quote_lang(code: object) -> str:
    """``code`` as a ``lang`` value, or ``""`` (unknown) when it is not a tag."""
    text = str(code or "").strip().replace("_", "-")
    return text if _TAG.fullmatch(text) else ""


def _primary(code: object) -> str:
    return quote_lang(code).split("-")[0].lower()


@register.filter
def is_foreign(code: object) -> bool:
    """True when a text of language ``code`` is not in the brief's language.

    ``en-GB`` is English; an unknown or invalid code is not called foreign,
    since the brief could not say which language it is.
    """
    primary = _primary(code)
    return bool(primary) and primary != BRIEF_LANGUAGE


@register.filter
def language_name(code: object) -> str:
    """The English name of ``code`` (``es`` -> ``Spanish``), from Django's
    language table; a code it does not know is named as ``language xx``."""
    primary = _primary(code)
    try:
        return str(get_language_info(primary)["name"])
    except KeyError:
        return f"language {primary or 'unknown'}"
