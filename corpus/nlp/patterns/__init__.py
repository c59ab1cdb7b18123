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


# Languages with their own data files in a folder of that name beside the
# English ones (``es/cues.yaml``); a loader given such a language reads
# those, every other reads the English files.
LANGUAGES_WITH_DATA = ("es",)
DATA_FILES = (
    "claimants.yaml",
    "claims.yaml",
    "cues.yaml",
    "quantities.yaml",
    "reporting_verbs.yaml",
    "voice.yaml",
)


@cache
def load_yaml(name: str, lang: str = "en") -> Any:
    """Read one pattern file of ``lang`` (cached per process)."""
    return read_yaml(data_path(name, lang))


def data_path(name: str, lang: str = "en") -> Path:
    """The file ``name`` of ``lang``: ``es/name`` for Spanish, else ``name``."""
    if lang in LANGUAGES_WITH_DATA:
        return PATTERNS_DIR / lang / name
    return PATTERNS_DIR / name


def pattern_files(lang: str = "en") -> list[tuple[str, Path]]:
    """(name, path) of every data file a ``lang`` pipeline reads, by name
    (hashed into ``pipeline_info``)."""
    return [(name, data_path(name, lang)) for name in DATA_FILES]


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


# The same data in another language: each loader above has a twin named
# "<name>.lang" that takes the language ({"@misc": "glossa.cue_patterns.v1.lang",
# "lang": "es"}); English pipelines keep the plain loaders and their configs.
LOADER_FILES = {
    "glossa.cue_patterns.v1": "cues.yaml",
    "glossa.reporting_verbs.v1": "reporting_verbs.yaml",
    "glossa.claimant_lexicon.v2": "claimants.yaml",
    "glossa.voice_lexicon.v1": "voice.yaml",
    "glossa.quantity_lexicon.v1": "quantities.yaml",
    "glossa.claim_rules.v1": "claims.yaml",
}


def _register_language_loader(loader: str, file: str) -> None:
    def load(lang: str) -> dict[str, Any]:
        return load_yaml(file, lang)

    load.__doc__ = f"{file} of the given language (patterns/<lang>/{file})."
    registry.misc.register(f"{loader}.lang", func=load)


for _loader, _file in LOADER_FILES.items():
    _register_language_loader(_loader, _file)
