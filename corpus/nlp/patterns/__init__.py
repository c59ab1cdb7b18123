"""Pattern data for Glossa's spaCy components, kept as YAML beside this module.

The files are data, not code: analysts and maintainers can read and extend
them without touching the components. Each loader is registered in spaCy's
``misc`` registry under a versioned name, so a pipeline config can name the
data it was built with (``{"@misc": "glossa.cue_patterns.v1"}``); a change
in shape means a new ``v2`` loader, never an edit of ``v1``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from spacy.util import registry

PATTERNS_DIR = Path(__file__).resolve().parent


class WordLoader(yaml.SafeLoader):
    """YAML 1.1 reads the words no, yes, on and off as booleans; in word
    lists they are words. Only true and false stay booleans."""


WordLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_yaml(path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=WordLoader)  # noqa: S506 (safe subclass)


@cache
def load_yaml(name: str) -> Any:
    """Read one pattern file (cached per process)."""
    return read_yaml(PATTERNS_DIR / name)


@registry.misc("glossa.cue_patterns.v1")
def cue_patterns_v1() -> dict[str, Any]:
    return load_yaml("cues.yaml")


@registry.misc("glossa.reporting_verbs.v1")
def reporting_verbs_v1() -> dict[str, Any]:
    return load_yaml("reporting_verbs.yaml")


@registry.misc("glossa.claimant_lexicon.v2")
def claimant_lexicon_v2() -> dict[str, Any]:
    """Roles, armed groups, state aliases (v2: ``roles`` and the ten
    claimant types of tags.md; v1's flat ``official``/``military`` shape is
    gone with ``glossa_attribution_v1``)."""
    return load_yaml("claimants.yaml")


@registry.misc("glossa.voice_lexicon.v1")
def voice_lexicon_v1() -> dict[str, Any]:
    return load_yaml("voice.yaml")


@registry.misc("glossa.quantity_lexicon.v1")
def quantity_lexicon_v1() -> dict[str, Any]:
    return load_yaml("quantities.yaml")


@registry.misc("glossa.claim_rules.v1")
def claim_rules_v1() -> dict[str, Any]:
    return load_yaml("claims.yaml")
