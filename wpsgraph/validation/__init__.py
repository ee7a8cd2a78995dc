"""Validation: syntax, vocabulary, SHACL (``shacl/``, or pySHACL as the reference) and the QC queries, every
finding located to file, line and column (``positions``, ``locate``) and written by ``reports/``."""
