"""Annotations: taxonomy, legal criteria, annotations, claims, assessments,
suggestions, agreement, exports and reports. Reads from ``corpus``."""
