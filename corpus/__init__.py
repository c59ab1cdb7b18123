"""Corpus: projects, members, sources, documents, ingestion and spaCy analysis.

This app never imports ``annotations``; ``annotations`` reads from it.
"""
