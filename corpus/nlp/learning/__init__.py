"""Learning from analysts' decisions: spaCy models trained per project.

The only part of Glossa's learning code that imports spaCy (``corpus.nlp``
is the one boundary). Django-side code (which examples, where artefacts
live, Celery jobs, views) is in ``annotations.learning`` and hands this
package plain data: texts with partial labels (``TextExample``) or
documents with labelled spans (``SpanExample``).

- ``textcat``: sentence-level multi-label classifier (``textcat_multilabel``,
  bag-of-words architecture), built from a config string with fixed seeds;
  saved with ``to_disk`` and hashed.
- ``spancat``: span categoriser whose n-gram suggester is fitted to the
  lengths of the training spans (measured in ``benchmarks/learning.py``).
- ``calibrate``: per-tag thresholds for merging model probabilities with
  the rules, chosen on out-of-fold predictions (no spaCy needed), and the
  benchmark's diagnostics of them (``threshold_ceiling``, ``rank_auc``).
- ``features``: what the analysis found in and around a sentence (rule ids,
  neighbouring tags, shape), the model's features besides the words.
"""

from corpus.nlp.learning.calibrate import (
    TagCalibration,
    calibrate_tags,
    merge_decision,
)
from corpus.nlp.learning.textcat import (
    MODEL_KIND,
    TextExample,
    directory_sha256,
    textcat_load,
    textcat_predict,
    textcat_save,
    textcat_train,
)

__all__ = [
    "MODEL_KIND",
    "TagCalibration",
    "TextExample",
    "calibrate_tags",
    "directory_sha256",
    "merge_decision",
    "textcat_load",
    "textcat_predict",
    "textcat_save",
    "textcat_train",
]
