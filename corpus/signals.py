"""Signals ``corpus`` sends so that apps above it can react without being imported.

``document_analysed`` is sent by ``corpus.analysis.analyse_documents`` once a
document's analysis is stored, inside that document's transaction;
``annotations`` listens to turn the analysis into suggestions.
``assignment_submitted`` is sent by ``corpus.services.assignment_submit``
inside its transaction; ``annotations`` submits the annotator's drafts.
"""

from django.dispatch import Signal

document_analysed = Signal()  # kwargs: document, data (DocumentAnalysis.data)
assignment_submitted = Signal()  # kwargs: assignment, user
