"""Writes on annotations, suggestions, comments, claims, assessments and more.

One module per subject; import from the module itself, e.g.
``from annotations.services.annotations import annotation_update``.
Every service owns its transaction, validates with ``full_clean()`` and
records history (``audit.services``).
"""
