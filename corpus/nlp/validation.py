"""Checks on the pattern data a component is built from.

Pattern data is edited by hand (YAML beside the components, or a project's
own data passed to ``initialize(data=...)``); a typo must fail when the
component is built, with a message naming the file section and entry,
rather than silently match nothing. ``PatternError`` is a ``ValueError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The claimant types of tags.md, the only values a sentence can carry.
CLAIMANT_TYPES = (
    "acting_government",
    "other_government",
    "un",
    "rights_group",
    "expert",
    "reporter",
    "columnist",
    "media",
    "legislator",
    "witness",
)


class PatternError(ValueError):
    """Bad pattern data; the message names the component and the entry.

    The cue and quantity components' ``PatternDataError`` is a subclass, so
    callers catch this one class for every component."""


def mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PatternError(f"{where} must be a mapping, not {type(value).__name__}.")
    return value


def words(value: Any, where: str, *, required: bool = False) -> list[str]:
    """A list of non-empty strings (``None`` is an empty list unless
    ``required``)."""
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise PatternError(f"{where} must be a list of words.")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise PatternError(
                f"{where}[{index}] must be a non-empty string, not {item!r}."
            )
    return value


def keys(data: dict[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise PatternError(f"{where} has unknown keys: {', '.join(unknown)}.")


def one_of(value: Any, allowed: Iterable[str], where: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise PatternError(
            f"{where} is {value!r}; expected one of {', '.join(allowed)}."
        )
    return value


def claimant_lexicon(data: Any, where: str = "claimants") -> dict[str, Any]:
    """The claimant lexicon (``patterns/claimants.yaml``)."""
    data = mapping(data, where)
    keys(
        data,
        (
            "order",
            "roles",
            "armed_groups",
            "former_markers",
            "legal_roles",
            "state_aliases",
            "local_roles",
            "state_representatives",
            "violent_verbs",
            "collective_nouns",
            "person_nouns",
        ),
        where,
    )
    roles = mapping(data.get("roles"), f"{where}.roles")
    order = words(data.get("order"), f"{where}.order", required=True)
    allowed = (*CLAIMANT_TYPES, "government")
    for index, role in enumerate(order):
        one_of(role, allowed, f"{where}.order[{index}]")
        if role not in roles:
            raise PatternError(
                f"{where}.order[{index}] {role!r} has no entry in roles."
            )
    for role, entry in roles.items():
        one_of(role, allowed, f"{where}.roles key")
        entry = mapping(entry, f"{where}.roles.{role}")
        keys(entry, ("lemmas", "phrases"), f"{where}.roles.{role}")
        words(entry.get("lemmas"), f"{where}.roles.{role}.lemmas")
        words(entry.get("phrases"), f"{where}.roles.{role}.phrases")
    for name in (
        "armed_groups",
        "former_markers",
        "legal_roles",
        "local_roles",
        "state_representatives",
        "violent_verbs",
        "collective_nouns",
        "person_nouns",
    ):
        words(data.get(name), f"{where}.{name}")
    aliases = data.get("state_aliases") or []
    if not isinstance(aliases, list):
        raise PatternError(f"{where}.state_aliases must be a list of lists of names.")
    for index, group in enumerate(aliases):
        words(group, f"{where}.state_aliases[{index}]", required=True)
    return data


def reporting_verbs(data: Any, where: str = "reporting_verbs") -> dict[str, Any]:
    """Reporting verbs by family and speech nouns (``reporting_verbs.yaml``)."""
    data = mapping(data, where)
    families = ("neutral", "factive", "distancing", "negative")
    lists = (
        *families,
        "speech_nouns",
        "speech",
        "withholding_heads",
        "non_answer_heads",
        "no_object_content",
        "pronouns",
        "outlet_verbs",
        "directive_heads",
        "citing_verbs",
        "according_phrases",
        "according_name_words",
    )
    keys(data, (*lists, "platforms"), where)
    for name in lists:
        words(data.get(name), f"{where}.{name}")
    for word, name in mapping(
        data.get("platforms") or {}, f"{where}.platforms"
    ).items():
        if not isinstance(name, str) or not name:
            raise PatternError(f"{where}.platforms.{word} must name the platform.")
    return data


def voice_lexicon(data: Any, where: str = "voice") -> dict[str, Any]:
    """Source kinds, furniture and document nouns (``voice.yaml``)."""
    from corpus.nlp.context import DOCUMENT_KINDS, SOURCE_KINDS

    data = mapping(data, where)
    keys(
        data,
        (
            "source_kinds",
            "document_kinds",
            "default",
            "first_lines",
            "furniture",
            "document_nouns",
            "page_furniture",
            "expert_publishers",
            "dateline",
        ),
        where,
    )
    types = (*CLAIMANT_TYPES, "government")
    for kind, value in mapping(
        data.get("source_kinds"), f"{where}.source_kinds"
    ).items():
        one_of(kind, SOURCE_KINDS, f"{where}.source_kinds key")
        one_of(value, types, f"{where}.source_kinds.{kind}")
    for kind, value in mapping(
        data.get("document_kinds") or {}, f"{where}.document_kinds"
    ).items():
        one_of(kind, DOCUMENT_KINDS, f"{where}.document_kinds key")
        one_of(value, types, f"{where}.document_kinds.{kind}")
    one_of(data.get("default"), CLAIMANT_TYPES, f"{where}.default")
    lines = data.get("first_lines")
    if not isinstance(lines, int) or isinstance(lines, bool) or lines < 1:
        raise PatternError(f"{where}.first_lines must be a positive integer.")
    for name in ("furniture", "document_nouns", "expert_publishers"):
        words(data.get(name), f"{where}.{name}")
    furniture = mapping(data.get("page_furniture"), f"{where}.page_furniture")
    keys(
        furniture,
        (
            "max_words",
            "prefixes",
            "lines",
            "caption_credits",
            "credit_lines",
            "link_list_heads",
        ),
        f"{where}.page_furniture",
    )
    words(furniture.get("prefixes"), f"{where}.page_furniture.prefixes")
    for name in ("lines", "caption_credits", "credit_lines", "link_list_heads"):
        for index, line in enumerate(
            words(furniture.get(name) or [], f"{where}.page_furniture.{name}")
        ):
            try:
                re.compile(line)
            except re.error as exc:
                raise PatternError(
                    f"{where}.page_furniture.{name}[{index}] is not a regular "
                    f"expression: {exc}."
                ) from exc
    try:
        re.compile(str(data.get("dateline") or ""))
    except re.error as exc:
        raise PatternError(
            f"{where}.dateline is not a regular expression: {exc}."
        ) from exc
    if not isinstance(furniture.get("max_words"), int):
        raise PatternError(f"{where}.page_furniture.max_words must be an integer.")
    return data


def claim_rules(data: Any, where: str = "claims") -> dict[str, Any]:
    """What makes a sentence a claim (``patterns/claims.yaml``)."""
    data = mapping(data, where)
    keys(data, ("demand_verbs", "demand_preps", "min_chars"), where)
    words(data.get("demand_verbs"), f"{where}.demand_verbs")
    words(data.get("demand_preps"), f"{where}.demand_preps")
    chars = data.get("min_chars")
    if not isinstance(chars, int) or isinstance(chars, bool) or chars < 0:
        raise PatternError(f"{where}.min_chars must be a whole number of characters.")
    return data
