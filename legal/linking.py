"""Proposing links between annotations and claims, with reasons.

The same claim ("14 people were killed on four vessels") is reported in
many documents in slightly different words. A proposal scores a candidate
by TF-IDF cosine similarity of the words (over the candidates compared, so
rare words weigh more than "said") and by shared figures: the same number
counting the same thing ("14 killed", "fourteen dead"). No spaCy: plain
tokenising keeps this fast enough to run on every page view.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from annotations.models import Annotation
from legal.models import Claim, ClaimQuantity

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

#: How many candidates are compared at most (the newest first).
MAX_CANDIDATES = 3000
#: Proposals scoring below this are not shown.
MIN_SCORE = 0.12

STOPWORDS = frozenset(
    """a an and are as at be been by for from had has have he her his in into is
    it its of on or our said says that the their them there these they this to
    was were which who will with would not no yes we you your i than then also
    but if so such after before over under about more most some any all""".split()  # noqa: SIM905
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12,
}  # fmt: skip

#: Words after a number that say what it counts (QuantityCounts values).
COUNT_WORDS = {
    "killed": "killed", "dead": "killed", "died": "killed", "deaths": "killed",
    "death": "killed", "fatalities": "killed", "bodies": "killed",
    "lives": "killed", "slain": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured",
    "survivors": "survivors", "survivor": "survivors", "survived": "survivors",
    "rescued": "survivors",
    "missing": "missing",
    "aboard": "aboard", "crew": "aboard", "passengers": "aboard",
    "boats": "vessels", "boat": "vessels", "vessels": "vessels",
    "vessel": "vessels", "ships": "vessels", "speedboats": "vessels",
    "strikes": "strikes", "strike": "strikes", "attacks": "strikes",
}  # fmt: skip

WORD_RE = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


def _is_number(word: str) -> bool:
    """Decimal digits only (not "²"), short enough for ``int``."""
    return word.isdecimal() and len(word) <= 9


def tokens(text: str) -> list[str]:
    """Lower-case content words, with number words turned into digits."""
    out = []
    for raw in WORD_RE.findall(text.lower()):
        word = raw.replace(",", "")
        if word in NUMBER_WORDS:
            word = str(NUMBER_WORDS[word])
        if word in STOPWORDS or (len(word) < 3 and not _is_number(word)):
            continue
        out.append(word)
    return out


def quantities_in(text: str) -> set[tuple[int, str]]:
    """(value, counts) pairs stated in a text, e.g. {(14, "killed")}.

    A number counts the first count word within the next four words
    ("14 people were killed", "four vessels").
    """
    words = [w.replace(",", "") for w in WORD_RE.findall(text.lower())]
    found: set[tuple[int, str]] = set()
    for i, word in enumerate(words):
        if _is_number(word):
            value = int(word)
        elif word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
        else:
            continue
        for follower in words[i + 1 : i + 5]:
            if follower in COUNT_WORDS:
                found.add((value, COUNT_WORDS[follower]))
                break
            if _is_number(follower) or follower in NUMBER_WORDS:
                break
    return found


def _tfidf(docs: list[list[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)
    vectors = []
    for doc in docs:
        tf = Counter(doc)
        vec = {w: (1 + math.log(c)) * math.log((n + 1) / (df[w] + 1)) + 1e-9
               for w, c in tf.items()}  # fmt: skip
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


@dataclass
class Proposal:
    """A candidate with its score (0-1) and the reasons, in plain words."""

    target: object
    score: float
    reasons: list[str] = field(default_factory=list)


def _score(
    query_vec: dict[str, float],
    query_qty: set[tuple[int, str]],
    cand_vec: dict[str, float],
    cand_qty: set[tuple[int, str]],
) -> tuple[float, list[str]]:
    similarity = _cosine(query_vec, cand_vec)
    reasons = []
    shared_words = sorted(
        set(query_vec) & set(cand_vec), key=lambda w: -query_vec[w] * cand_vec[w]
    )[:5]
    if shared_words and similarity > 0:
        reasons.append(f"similar wording ({similarity:.0%}): {', '.join(shared_words)}")
    same = sorted(query_qty & cand_qty)
    qty_score = 0.0
    if same:
        qty_score = 1.0
        reasons.append("same figures: " + ", ".join(f"{v} {c}" for v, c in same))
    elif query_qty and cand_qty:
        q_counts = {c for _, c in query_qty}
        differing = sorted((v, c) for v, c in cand_qty if c in q_counts)
        if differing:
            reasons.append(
                "different figures for the same thing: "
                + ", ".join(f"{v} {c}" for v, c in differing)
            )
    score = 0.7 * similarity + 0.3 * qty_score
    return min(1.0, score), reasons


def claim_text(claim: Claim) -> str:
    """The words a claim is known by: proposition, claimant and quotes."""
    parts = [claim.proposition, claim.claimant]
    parts += [m.quote for m in claim.mentions.all()]
    return " ".join(parts)


def claim_quantities(claim: Claim) -> set[tuple[int, str]]:
    qty = {(q.value, q.counts) for q in claim.quantities.all()}
    return qty | quantities_in(claim_text(claim))


def _rank(
    query_text: str,
    query_qty: set[tuple[int, str]],
    candidates: Sequence[tuple[object, str, set[tuple[int, str]]]],
    limit: int,
) -> list[Proposal]:
    if not candidates:
        return []
    vectors = _tfidf([tokens(query_text)] + [tokens(t) for _, t, _ in candidates])
    query_vec = vectors[0]
    proposals = []
    for (target, _, qty), vec in zip(candidates, vectors[1:], strict=True):
        score, reasons = _score(query_vec, query_qty, vec, qty)
        if score >= MIN_SCORE:
            proposals.append(
                Proposal(target=target, score=round(score, 3), reasons=reasons)
            )
    proposals.sort(key=lambda p: -p.score)
    return proposals[:limit]


def _claims(user: User | AnonymousUser | None) -> QuerySet[Claim]:
    """Claims ``user`` may see (blind mode: their own); all without a user."""
    return Claim.objects.all() if user is None else Claim.objects.for_user(user)


def _annotations(user: User | AnonymousUser | None) -> QuerySet[Annotation]:
    """Annotations ``user`` may see (blind mode: their own); all without one."""
    if user is None:
        return Annotation.objects.all()
    return Annotation.objects.for_user(user)


def propose_claims_for_annotation(
    annotation: Annotation,
    *,
    limit: int = 5,
    user: User | AnonymousUser | None = None,
) -> list[Proposal]:
    """Existing claims of the project that this annotation may report (of
    those ``user`` may see)."""
    claims = (
        _claims(user)
        .filter(project_id=annotation.project_id)
        .exclude(links__annotation=annotation)
        .prefetch_related(
            Prefetch("mentions", queryset=Annotation.objects.only("id", "quote")),
            Prefetch("quantities", queryset=ClaimQuantity.objects.all()),
        )
        .order_by("-updated_at")[:MAX_CANDIDATES]
    )
    candidates = [(c, claim_text(c), claim_quantities(c)) for c in claims]
    text = f"{annotation.quote} {annotation.note}"
    return _rank(text, quantities_in(text), candidates, limit)


def propose_mentions_for_claim(
    claim: Claim, *, limit: int = 8, user: User | AnonymousUser | None = None
) -> list[Proposal]:
    """Annotations of the project (that ``user`` may see), not yet linked,
    that may report the claim."""
    annotations = (
        _annotations(user)
        .filter(project_id=claim.project_id)
        .exclude(claim_links__claim=claim)
        .select_related("document", "document__source")
        .defer("document__text", "document__metadata")
        .order_by("-created_at")[:MAX_CANDIDATES]
    )
    candidates = [
        (a, f"{a.quote} {a.note}", quantities_in(f"{a.quote} {a.note}"))
        for a in annotations
    ]
    return _rank(claim_text(claim), claim_quantities(claim), candidates, limit)


def propose_similar_claims(
    claim: Claim, *, limit: int = 5, user: User | AnonymousUser | None = None
) -> list[Proposal]:
    """Other claims (that ``user`` may see) that may be the same claim."""
    others = (
        _claims(user)
        .filter(project_id=claim.project_id)
        .exclude(pk=claim.pk)
        .prefetch_related("mentions", "quantities")
        .order_by("-updated_at")[:MAX_CANDIDATES]
    )
    candidates = [(c, claim_text(c), claim_quantities(c)) for c in others]
    return _rank(claim_text(claim), claim_quantities(claim), candidates, limit)
