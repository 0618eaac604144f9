"""The fields of an offer, their limits, and what every input check shares.

One set of rules for the command line, the CSV import and the TUI's forms, so
"4.800,50 €" or "3.11.26" means the same everywhere. Every refusal is a
`ParseError` that says why in German or English. Its own module so `amounts`,
`dates` and `offer_check` share one error and one set of field names without
importing each other.
"""

from __future__ import annotations

import unicodedata

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.text.i18n import Catalog

__all__ = [
    "FIELDS",
    "NOTES_LIMIT",
    "REQUIRED_FIELDS",
    "TEXT_LIMIT",
    "ParseError",
    "field_label",
    "fold",
    "quote",
]

FIELDS = (
    "client",
    "contact",
    "salutation",
    "phone",
    "email",
    "title",
    "reference",
    "value",
    "currency",
    "sent_on",
    "first_talk_on",
    "valid_until",
    "notes",
)
"""The fields of an offer as people enter or import them (`value` is an amount text)."""

REQUIRED_FIELDS = ("client", "title", "sent_on")
TEXT_LIMIT = 500
"""Characters allowed in a one-line field (names, title, phone, e-mail)."""
NOTES_LIMIT = 10_000


class ParseError(UserError):
    """A typed or imported value cannot be used; the message says why."""

    catalog = Catalog(
        {
            "required": {"de": "fehlt", "en": "is required"},
            "too_long": {
                "de": "ist zu lang ({length} Zeichen, höchstens {limit})",
                "en": "is too long ({length} characters, at most {limit})",
            },
            "nul": {"de": "enthält ein NUL-Zeichen", "en": "contains a NUL character"},
            "email": {"de": "{text} ist keine E-Mail-Adresse", "en": "{text} is not an e-mail address"},
            "currency": {
                "de": "{text} ist kein Währungscode nach ISO 4217 wie EUR oder CHF",
                "en": "{text} is not an ISO 4217 currency code like EUR or CHF",
            },
            "currency_conflict": {
                "de": "der Betrag nennt {found}, die Währung ist {given}",
                "en": "the amount says {found} but the currency is {given}",
            },
            "amount_invalid": {
                "de": "{text} ist kein Betrag (z. B. 4800, 4.800,50 € oder 4,800.50)",
                "en": "{text} is not an amount (e.g. 4800, 4.800,50 € or 4,800.50)",
            },
            "amount_negative": {
                "de": "{text} ist negativ; ein Angebot hat keinen negativen Wert",
                "en": "{text} is negative; an offer has no negative value",
            },
            "amount_decimals": {
                "de": "{text} hat mehr als zwei Nachkommastellen",
                "en": "{text} has more than two decimals",
            },
            "amount_decimals_currency": {
                "de": "{text} hat mehr Nachkommastellen, als {currency} kennt ({n})",
                "en": "{text} has more decimals than {currency} has ({n})",
            },
            "amount_too_large": {
                "de": "{text} ist unplausibel groß (höchstens 10 Milliarden)",
                "en": "{text} is implausibly large (at most 10 billion)",
            },
            "date_invalid": {
                "de": "{text} ist kein Datum (z. B. 2026-11-03 oder 3.11.2026)",
                "en": "{text} is not a date (e.g. 2026-11-03 or 3.11.2026)",
            },
            "date_impossible": {
                "de": "{text}: diesen Tag gibt es nicht",
                "en": "{text} is not a real day",
            },
            "date_range": {
                "de": "{text} liegt nicht zwischen 1970 und 2100",
                "en": "{text} is not between 1970 and 2100",
            },
            "user_date_invalid": {
                "de": "{text} ist kein Datum; möglich sind z. B. 3.12., 3.12.2026, +3, +2w, "
                "morgen, Freitag, nächsten Mittwoch, KW 50, Mitte Dezember",
                "en": "{text} is not a date; try e.g. 3.12., 2026-12-03, +3, +2w, "
                "tomorrow, friday, next wednesday, Dec 3, mid-December",
            },
            "sent_future": {
                "de": "{text} liegt nach heute ({today}); ein Angebot wird erfasst, wenn es verschickt ist",
                "en": "{text} is after today ({today}); record an offer once it has been sent",
            },
            "talk_future": {
                "de": "{text} liegt nach heute ({today}); ein Erstgespräch hat schon stattgefunden",
                "en": "{text} is after today ({today}); a first talk is one that has taken place",
            },
            "talk_after_sent": {
                "de": "{text} liegt nach dem Versanddatum {sent}; das Erstgespräch kommt vor dem Angebot",
                "en": "{text} is after the sent date {sent}; the first talk comes before the offer",
            },
            "valid_before_sent": {
                "de": "{text} liegt vor dem Versanddatum {sent}; ein Angebot gilt ab dem Versand",
                "en": "{text} is before the sent date {sent}; an offer is valid from when it is sent",
            },
            "past_date_invalid": {
                "de": "{text} ist kein Datum; möglich sind z. B. 3.11., 3.11.2026, heute, gestern, "
                "-3, Montag",
                "en": "{text} is not a date; try e.g. 3.11., 2026-11-03, today, yesterday, -3, monday",
            },
        }
    )


_LABELS = Catalog(
    {
        "client": {"de": "Kunde", "en": "client"},
        "contact": {"de": "Ansprechpartner", "en": "contact"},
        "salutation": {"de": "Anrede", "en": "salutation"},
        "phone": {"de": "Telefon", "en": "phone"},
        "email": {"de": "E-Mail", "en": "e-mail"},
        "title": {"de": "Titel", "en": "title"},
        "reference": {"de": "Angebotsnr.", "en": "offer no."},
        "value": {"de": "Wert", "en": "value"},
        "currency": {"de": "Währung", "en": "currency"},
        "sent_on": {"de": "Gesendet am", "en": "sent on"},
        "first_talk_on": {"de": "Erstgespräch", "en": "first talk"},
        "valid_until": {"de": "Gültig bis", "en": "valid until"},
        "notes": {"de": "Notizen", "en": "notes"},
        "status": {"de": "Status", "en": "status"},
        "loss_reason": {"de": "Verlustgrund", "en": "loss reason"},
    }
)


def field_label(field: str, lang: str) -> str:
    """The name of an offer field for people: "Gesendet am" / "sent on"."""
    return _LABELS.text(lang, field)


def quote(text: str, limit: int = 60) -> str:
    """`text` quoted for a message: shortened, and escaped so it cannot steer a terminal.

    `repr` escapes every non-printable character (control characters, ESC,
    bidi overrides), which is what a message quoting untrusted input needs.
    """
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def fold(text: str) -> str:
    """`text` reduced for matching words: case, accents and spacing do not count.

    "Nächste  Woche", "naechste woche" and "NACHSTE WOCHE" all fold to
    "nachste woche"; header matching and `parse_user_date` compare folded text.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    for spelled, umlaut in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        plain = plain.replace(spelled, umlaut)
    return " ".join(plain.split())
