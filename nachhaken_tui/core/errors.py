"""Errors a user is meant to read, in their language.

Core code raises a `UserError` subclass with a message key and its facts; the
CLI and the TUI word it with `message(lang)`. `str(error)` is the English text,
for logs and tests.
"""

from __future__ import annotations

from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["UserError"]


class UserError(Exception):
    """A problem caused by input or environment, explained without a traceback.

    Subclasses set `catalog`; `message_key` picks the message and `fields` fill it.
    """

    catalog: Catalog

    def __init__(self, message_key: str, /, **fields: object):
        self.key = message_key
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in `lang`."""
        return self.catalog.text(lang, self.key, **self.fields)
