"""One module per verb group of the ``egovnet`` command; each exposes ``app``."""
