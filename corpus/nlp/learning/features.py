"""What the analysis found in a sentence, as features for the learnt model.

The model learns from the analysts' decisions *when each rule is right*, so
besides the words it sees what the analysis found: which tags fired and by
which rule, the casualty counts, the claimant type, what fired in the
sentences on either side (an official statement or a casualty report often
runs over several sentences, and the rules tag only the one with the cue)
and the sentence's shape (a headline or a list item has no final stop).
Measured on the real-text dev set (``benchmarks/learning.py``), the context
and rule-id features take the model alone from 0.60 to about 0.87 micro F1
at 80% of the texts.

Pure Python, shared by the training snapshot, the merge at suggestion time
and the benchmark, so that all three compute the same features.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_NOT_NAME = re.compile(r"[^a-z0-9]+")
# Ends of a sentence that closes normally (after stripping spaces).
_ENDS = (".", "!", "?", ":", ";", "\u201d", '"', "\u00bb", "'", "\u2019", ")")


def feature_name(value: str) -> str:
    """``value`` as one token for any tokenizer: lower-case letters, digits
    and underscores (``official_claim:official-attribution`` becomes
    ``official_claim_official_attribution``)."""
    return _NOT_NAME.sub("_", value.lower()).strip("_")


def unit_features(
    *,
    fired: Mapping[str, str],
    counts: Iterable[str] = (),
    claimant_type: str = "",
    text: str = "",
    previous: Iterable[str] = (),
    following: Iterable[str] = (),
    first: bool = False,
) -> tuple[str, ...]:
    """The features of one sentence (sorted, each a single token).

    ``fired`` maps each tag a rule fired to the rule's id; ``previous`` and
    ``following`` are the tags fired in the neighbouring sentences.
    """
    found = {f"rule_{tag}" for tag in fired}
    found |= {f"rid_{feature_name(rule)}" for rule in fired.values() if rule}
    found |= {f"count_{feature_name(c)}" for c in counts if c}
    found.add(f"claimant_{feature_name(claimant_type) or 'none'}")
    found |= {f"prev_{tag}" for tag in previous}
    found |= {f"next_{tag}" for tag in following}
    stripped = text.strip()
    if stripped and not stripped.endswith(_ENDS):
        found.add("shape_noend")
    if any(q in stripped for q in ('"', "\u201c", "\u00ab")):
        found.add("shape_quote")
    if first:
        found.add("shape_first")
    return tuple(sorted(found))


def predictions_features(
    predictions: Sequence[Mapping[str, Any]], text: str | None = None
) -> list[tuple[str, ...]]:
    """Features of each of a document's sentence predictions (as made by
    ``annotations.rules.sentence_predictions``), in order, with context."""
    tags = [list(p.get("fired", {})) for p in predictions]
    out = []
    for i, prediction in enumerate(predictions):
        fired = {
            tag: str((detail or {}).get("rule", ""))
            for tag, detail in prediction.get("fired", {}).items()
        }
        sentence = prediction.get("text")
        if sentence is None and text is not None:
            sentence = text[prediction["start"] : prediction["end"]]
        out.append(
            unit_features(
                fired=fired,
                counts=[n.get("counts", "") for n in prediction.get("numbers", [])],
                claimant_type=prediction.get("claimant_type") or "",
                text=sentence or "",
                previous=tags[i - 1] if i > 0 else (),
                following=tags[i + 1] if i + 1 < len(tags) else (),
                first=i == 0,
            )
        )
    return out
