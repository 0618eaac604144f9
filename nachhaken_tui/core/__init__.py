"""The core of nachhaken: data, cadence, scripts, import/export.

Nothing in this package imports Textual, so the command line stays fast and
everything here is testable without a terminal (see tests/test_import_hygiene.py).
"""
