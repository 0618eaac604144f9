"""Phone numbers as people type them, stored in one form where that is safe.

`normalise_phone` turns a number that Google's libphonenumber (the
`phonenumbers` package) recognises as valid into E.164 (`030 1234567` with
country DE becomes `+49301234567`), so every offer's number can be dialled,
linked as `tel:` and compared the same way. Anything else is kept exactly as
typed, with a hint that says why: nachhaken never throws away what a user
wrote ("Zentrale, dann Durchwahl 12" stays as it is).

Used by `nachhaken add` and the TUI's offer form, through
`offer_check.validate_offer(..., phone_country=...)`. Not used by the CSV import:
parsing and validating costs tens of microseconds per number, which adds up
at 100,000 rows, and rewriting every number of a file someone exported from
another tool is a surprise better left to an explicit step.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["PHONE_HINTS", "PhoneResult", "display_phone", "load_formatting", "normalise_phone"]

PHONE_HINTS = Catalog(
    {
        "invalid_for": {
            "de": "wie eingegeben übernommen: keine gültige Nummer für {country}",
            "en": "kept as typed: not a valid number for {country}",
        },
        "invalid": {
            "de": "wie eingegeben übernommen: keine gültige internationale Nummer",
            "en": "kept as typed: not a valid international number",
        },
        "no_country": {
            "de": "wie eingegeben übernommen: ohne Landesvorwahl (z. B. +49) nicht prüfbar",
            "en": "kept as typed: cannot be checked without a country code (e.g. +49)",
        },
        "no_digits": {
            "de": "wie eingegeben übernommen: keine Ziffern darin – ein Name gehört ins Feld Ansprechpartner",
            "en": "kept as typed: it has no digits – a name belongs in the contact field",
        },
        "not_a_number": {
            "de": "wie eingegeben übernommen: enthält mehr als eine Telefonnummer",
            "en": "kept as typed: contains more than a phone number",
        },
    }
)
"""Why a number was kept as typed; `{country}` is the configured country code."""


@dataclass(frozen=True, slots=True)
class PhoneResult:
    """What to store for a typed phone number, and why it was not normalised.

    Attributes:
        value: the E.164 number, the text as typed (stripped), or None for
            an empty input.
        hint_key: a `PHONE_HINTS` key when the number was kept as typed,
            else None.
        country: the country the number was read for (fills the hint).
    """

    value: str | None
    hint_key: str | None = None
    country: str | None = None

    def hint(self, lang: str) -> str | None:
        """The hint in `lang` ("kept as typed: not a valid number for DE"), or None."""
        if self.hint_key is None:
            return None
        return PHONE_HINTS.text(lang, self.hint_key, country=self.country or "")


_DIALLABLE = re.compile(r"(?:tel:)?\s*\+?[\d\s()./\-\u00a0\u2010-\u2015]+", re.IGNORECASE)
"""Digits and the separators people put between them; nothing else is rewritten."""

_REGION_ALIASES = {"UK": "GB"}
"""Country codes the holidays package accepts that libphonenumber spells otherwise."""


def normalise_phone(text: str | None, country: str | None) -> PhoneResult:
    """`text` as E.164 when it is a valid number, else as typed with a hint.

    Only text made of digits, spaces, `+ ( ) / . -` (and an optional `tel:`)
    is rewritten, so words around a number and extensions (`x12`) are never
    dropped: such text is kept as typed.

    Args:
        text: the number as typed; None or blank gives `PhoneResult(None)`.
        country: ISO 3166 code (the config's `country`, e.g. "DE") for numbers
            written without a country code; None or a code libphonenumber
            does not know means such numbers are kept as typed.

    Returns:
        The value to store and, if it was kept as typed, why.
    """
    typed = (text or "").strip()
    if not typed:
        return PhoneResult(None)
    import phonenumbers

    named = (country or "").strip().upper() or None
    region = _REGION_ALIASES.get(named or "", named)
    if region not in phonenumbers.SUPPORTED_REGIONS:
        region = None
    if not _DIALLABLE.fullmatch(typed):
        return PhoneResult(typed, "not_a_number" if any(c.isdigit() for c in typed) else "no_digits", named)
    international = typed.casefold().removeprefix("tel:").lstrip().startswith("+")
    if not international and region is None:
        return PhoneResult(typed, "no_country", named)
    kept = PhoneResult(typed, "invalid" if international else "invalid_for", named)
    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException:
        return kept
    if not phonenumbers.is_valid_number(number) or number.extension:
        return kept
    return PhoneResult(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


_E164 = re.compile(r"\+[1-9]\d{5,14}")
_formatting_loaded = threading.Event()


def load_formatting() -> None:
    """Import libphonenumber so `display_phone` can format (some 20–60 ms, 2.8 MB).

    The TUI calls this in a background thread after its first frame, so the
    start stays fast; until it is done, numbers are shown as stored.
    """
    import phonenumbers  # noqa: F401

    _formatting_loaded.set()


def display_phone(value: str, country: str | None) -> str:
    """A stored number as people write it: "0621 445566" for a number of the
    user's own `country`, "+44 20 7946 0958" for one abroad.

    Numbers are stored in E.164 ("+49621445566"), which is right for
    dialling and comparing but hard to read. Text kept as typed is shown as
    typed. Before `load_formatting` has run, every number is shown as stored.
    """
    if not _formatting_loaded.is_set() or not _E164.fullmatch(value):
        return value
    return _formatted(value, (country or "").strip().upper() or None)


@lru_cache(maxsize=512)
def _formatted(value: str, country: str | None) -> str:
    import phonenumbers

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    home = _REGION_ALIASES.get(country or "", country)
    national = phonenumbers.region_code_for_number(number) == home
    formats = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, formats.NATIONAL if national else formats.INTERNATIONAL)
