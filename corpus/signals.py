"""Signals ``corpus`` sends so that apps above it can react without being imported.

``documents_analysed`` is sent by ``corpus.analysis.analyse_documents`` once
a group of documents' analyses is stored, inside that group's transaction;
``annotations`` listens to turn the analyses into suggestions.
``assignment_submitted`` is sent by ``corpus.services.assignment_submit``
inside its transaction; ``annotations`` submits the annotator's drafts.
"""

from django.dispatch import Signal

# kwargs: analyses, a list of (document, data: DocumentAnalysis.data)
documents_analysed = Signal()
assignment_submitted = Signal()  # kwargs: assignment, user
