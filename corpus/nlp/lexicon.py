"""Word lists that survive case and inflection, and checks of pattern data.

Real texts spell a cue every way: "Terrorists" in a title-case headline,
"MILITANTS KILLED" in capitals, "disputed" and "disputes" for "dispute".
spaCy's lemma does not cover them all: the tagger often reads a capitalised
noun as a proper noun and leaves its lemma as written ("Militants"). So a
word list names lemmas, and this module expands each lemma into its
inflected forms (regular rules plus the irregular forms listed in
``patterns/inflections.yaml``); matching is then on the lower-cased form,
which is what every token has whatever the tagger decided.

``PatternDataError`` is raised by every component whose data is malformed;
its message names the file and the entry, so an owner editing YAML knows
which line to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from corpus.nlp.validation import PatternError

VOWELS = frozenset("aeiou")


class PatternDataError(PatternError):
    """Pattern data that a component cannot use; the message names it."""


def regular_forms(word: str) -> set[str]:
    """The word and its regular inflections (plural or third person,
    past, gerund), lower case. Over-generation ("dieing") is harmless: a
    form that is not a word never occurs in a text."""
    word = word.lower()
    if not word.isalpha() or len(word) < 3:
        return {word}
    forms = {word}
    last, before = word[-1], word[-2]
    # plural and third person singular
    if last == "y" and before not in VOWELS:
        forms.add(word[:-1] + "ies")
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    # past and gerund
    if last == "e":
        forms.add(word + "d")
        forms.add(word[:-2] + "ying" if word.endswith("ie") else word[:-1] + "ing")
    elif last == "y" and before not in VOWELS:
        forms.update({word[:-1] + "ied", word + "ing"})
    else:
        forms.update({word + "ed", word + "ing"})
        if (
            last not in VOWELS | {"w", "x", "y"}
            and before in VOWELS
            and (len(word) < 3 or word[-3] not in VOWELS)
        ):
            # stop -> stopped; both spellings are kept (target -> targeted)
            forms.update({word + last + "ed", word + last + "ing"})
    return forms


_UNACCENT = str.maketrans("áéíóú", "aeiou")
# Spanish verb endings of the forms news prose uses (third persons of the
# present, preterite and imperfect, the present and past subjunctive,
# participles and the gerund), by conjugation; -er and -ir share them.
_ER_IR_ENDINGS = (
    "e",
    "en",
    "ió",
    "ieron",
    "ido",
    "ida",
    "idos",
    "idas",
    "iendo",
    "ía",
    "ían",
    "a",
    "an",
    "iera",
    "ieran",
)
_ES_VERB_ENDINGS = {
    "ar": (
        "a",
        "an",
        "ó",
        "aron",
        "ado",
        "ada",
        "ados",
        "adas",
        "ando",
        "aba",
        "aban",
        "e",
        "en",
        "ara",
        "aran",
    ),
    "er": _ER_IR_ENDINGS,
    "ir": _ER_IR_ENDINGS,
}
# The future and conditional of every conjugation: the infinitive plus these.
_ES_INFINITIVE_ENDINGS = ("á", "án", "ía", "ían")


def spanish_forms(word: str) -> set[str]:
    """The word and its regular Spanish inflections, lower case: a verb
    (``-ar``, ``-er``, ``-ir``) in the forms of ``_ES_VERB_ENDINGS``; a noun
    or adjective in the plural and, for ``-o``, the feminine ("presunto",
    "presuntas"); ``-ción`` loses its accent in the plural. Stem changes
    ("negar": "niega") and irregular verbs ("decir": "dijo") come from the
    data's ``irregular_forms``. Over-generation is harmless, as in English."""
    word = word.lower()
    if not word.isalpha() or len(word) < 3:
        return {word}
    forms = {word}
    ending = word[-2:]
    if ending in _ES_VERB_ENDINGS and len(word) > 3:
        stem = word[:-2]
        forms.update(stem + e for e in _ES_VERB_ENDINGS[ending])
        forms.update(word + e for e in _ES_INFINITIVE_ENDINGS)
    last = word[-1]
    if last in "aeiouáéó":
        forms.add(word + "s")
    elif last == "z":
        forms.add(word[:-1] + "ces")
    else:
        # unaccent the last syllable: acción -> acciones, francés -> franceses
        head, tail = word[:-3], word[-3:]
        forms.add(head + tail.translate(_UNACCENT) + "es")
    if last == "o":
        forms.update({word[:-1] + "a", word[:-1] + "os", word[:-1] + "as"})
    if word.endswith(("or", "ón", "án", "és")):
        feminine = word[:-2] + word[-2:].translate(_UNACCENT) + "a"
        forms.update({feminine, feminine + "s"})
    return forms


class Inflector:
    """Expands lemmas into surface forms, with irregular forms from data.

    ``irregular`` maps a lemma to its irregular forms (``fight: [fought]``,
    ``person: [people]``); ``lang`` chooses the regular rules (English, or
    Spanish for ``es``).
    """

    def __init__(
        self,
        irregular: Mapping[str, Iterable[str]] | None = None,
        lang: str | None = "en",
    ) -> None:
        self.irregular = {
            str(k).lower(): {str(f).lower() for f in v}
            for k, v in (irregular or {}).items()
        }
        self.regular = spanish_forms if lang == "es" else regular_forms

    def forms(self, lemma: str) -> set[str]:
        """Every surface form of ``lemma`` (lower case). A multi-part word
        ("narco-terrorist", "self-defence") inflects its last part."""
        lemma = lemma.lower().strip()
        for sep in ("-", " "):
            if sep in lemma:
                head, _, tail = lemma.rpartition(sep)
                return {f"{head}{sep}{form}" for form in self.forms(tail)}
        return self.regular(lemma) | self.irregular.get(lemma, set())

    def form_index(self, lemmas: Iterable[str]) -> dict[str, str]:
        """Surface form -> lemma, for the given lemmas. Where two lemmas
        share a form, the form that is itself a lemma keeps its own."""
        index: dict[str, str] = {}
        lemmas = [str(w).lower() for w in lemmas]
        for lemma in lemmas:
            for form in self.forms(lemma):
                index.setdefault(form, lemma)
        for lemma in lemmas:
            index[lemma] = lemma
        return index


def token_lemma(token, forms: Mapping[str, str]) -> str:
    """The lower-case lemma of ``token``: the lemma whose inflection the
    token's lower-cased text is (so "Militants" is "militant" even when
    the tagger read it as a proper noun), else spaCy's lemma."""
    lower = token.lower_
    hit = forms.get(lower)
    if hit is not None:
        return hit
    return token.lemma_.lower() or lower


# --- checks ----------------------------------------------------------------


def require_mapping(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise PatternDataError(
            f"{where}: expected a mapping, got {type(data).__name__}."
        )
    return data


def require_words(value: Any, where: str, *, allow_empty: bool = True) -> list[str]:
    """A list of non-empty strings (or one string), else a clear error."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        raise PatternDataError(f"{where}: expected a list of words, got {value!r}.")
    if not allow_empty and not value:
        raise PatternDataError(f"{where}: the list is empty.")
    return value


def require_keys(data: Mapping[str, Any], keys: Iterable[str], where: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise PatternDataError(f"{where}: missing {', '.join(missing)}.")
