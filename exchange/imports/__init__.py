"""Imports into Glossa: the project archive and annotation tools' files
(doccano, Label Studio, Prodigy, BRAT, Hypothesis, INCEpTION, W3C). One
module per format; offsets in each tool's unit (``exchange.units``); shared
anchoring, label mapping and document matching in ``common``."""
