"""Imports into Glossa: the project archive, W3C annotations, doccano and
Label Studio exports. One module per format; shared anchoring and label
mapping in ``common``."""
