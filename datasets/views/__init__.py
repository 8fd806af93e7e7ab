"""Views, one module per page family: ``uploads``, ``reference``, ``trends``."""
