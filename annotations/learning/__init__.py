"""A per-project model learnt from the analysts' decisions, merged with the rules.

- ``examples``: the training data (selector): positives, negatives, snapshot.
- ``storage``: where a version's artefacts live, hashing, the download.
- ``services``: queue a training run, run it (the Celery task's body).
- ``merge``: the model's probabilities merged into the rules' predictions
  when suggestions are made (called from ``annotations.services.suggestions``).
- ``views``, ``api``, ``urls``: the model page and the REST endpoints.

spaCy is only touched through ``corpus.nlp.learning``. See docs/learning.md.
"""
