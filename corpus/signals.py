"""Signals ``corpus`` sends so that other apps can react without being imported.

``project_created`` is sent by ``corpus.services.project_create`` once the
project and its owner's membership are committed; ``annotations`` listens to
load the default taxonomy and framework.
"""

from django.dispatch import Signal

document_ingested = Signal()  # kwargs: document
document_analysed = Signal()  # kwargs: document, data (DocumentAnalysis.data)
