"""Internals of the golem:exec Python guest; `app.py` and `executor.py` hold the exported WIT classes."""
