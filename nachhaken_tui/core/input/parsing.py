"""Turning what people type or import into exact amounts, dates and valid offers.

One set of rules for the command line, the CSV import and the TUI's forms, so
"4.800,50 €" or "3.11.26" means the same everywhere. Every refusal is a
`ParseError` that says why in German or English; `validate_offer` collects
one per field so a form or an import report can name every bad field at once.

Amount rules (`parse_amount`):

- Money is exact: `Decimal`, never float; the result is whole cents.
- A currency may stand before or after the number: `€`, `$`, `£`, an
  ISO 4217 code (any case), or the word Euro (`EUR 300`, `4.800,50 €`). `4.800,-`
  is a whole amount (and makes `,` the decimal mark).
- Negative amounts are refused (an offer has no negative value), as are more
  than two non-zero decimals and amounts over 10 billion.
- With both `.` and `,` in a number, the last one is the decimal mark
  (`4.800,50`, `1,250.00`). Apostrophes and spaces only group thousands
  (`CHF 1'200.00`, `4 800,50`).
- A single `.` or `,` followed by one, two or four and more digits is the
  decimal mark (`4800,5`, `4800.50`). Followed by exactly three digits
  (`1.250`) it is ambiguous: `decimal_comma=True` reads `.` as thousands and
  `,` as decimal (German files), `False` the other way round, and `None`
  (unknown) reads it as thousands, since money rarely has three decimals.

Date rules (`parse_date`): ISO `2026-11-03` (a time after it is ignored),
`3.11.2026`, `03.11.2026`, `3.11.26` (two-digit years are 20yy); years from
1970 to 2100. `parse_user_date` adds the short forms people type into a date
field for a coming call: `3.12.`, `+3`, `morgen`, `Freitag`, `nächste Woche`, ...;
`parse_past_date` the same for a day that has been (an offer's sent date):
`3.11.`, `gestern`, `-3`, `Montag`, ...
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.date_phrases import Reading, read_past_phrase, read_phrase, strip_time
from nachhaken_tui.core.input.phone import PHONE_HINTS, normalise_phone
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.text.currencies import ISO_CURRENCIES, minor_digits
from nachhaken_tui.core.text.i18n import Catalog

__all__ = [
    "FIELDS",
    "MAX_CENTS",
    "NOTES_LIMIT",
    "REQUIRED_FIELDS",
    "TEXT_LIMIT",
    "FieldNote",
    "FieldProblem",
    "OfferCheck",
    "OfferInvalid",
    "ParseError",
    "check_offer",
    "field_label",
    "fold",
    "parse_amount",
    "parse_date",
    "parse_past_date",
    "parse_user_date",
    "quote",
    "read_user_date",
    "validate_offer",
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
MAX_CENTS = 10**12
"""10 billion in whole units: anything larger is a typo, not an offer."""
_EARLIEST_YEAR, _LATEST_YEAR = 1970, 2100


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


# ---------------------------------------------------------------- amounts

_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "euro": "EUR"}
"""Currency signs and words (casefolded) that stand for a code."""
_CURRENCY = r"[€$£]|[Ee][Uu][Rr][Oo]|[A-Za-z]{3}"
_LEADING_CURRENCY = re.compile(rf"^({_CURRENCY})\s*")
_TRAILING_CURRENCY = re.compile(rf"\s*({_CURRENCY})$")
_WHOLE_MARK = re.compile(r"[.,][-–]{1,2}$")
_NUMBER = re.compile(r"\d(?:[\d.,'’ \u00a0\u202f]*\d)?")
_SEPARATOR = re.compile(r"([.,'’ \u00a0\u202f])")
_MINUS = ("-", "−", "–")


def parse_amount(text: str, decimal_comma: bool | None = None) -> tuple[int, str | None]:
    """An amount as exact cents, and the currency it names (if any).

    Args:
        text: e.g. "4800", "4.800,50 €", "€ 1,250.00", "CHF 1'200.00".
        decimal_comma: whether `,` is the decimal mark where a number alone
            cannot tell (see the module docstring); None = unknown.

    Returns:
        (cents, currency code or None).

    Raises:
        ParseError: not an amount, negative, more than two decimals, too large.
    """
    value, currency = _parse_money(text, decimal_comma)
    return _minor_units(value, 2, text), currency


def _minor_units(value: Decimal, digits: int, text: str, currency: str | None = None) -> int:
    """`value` counted in units of 10**-digits (cents for 2); refused if finer."""
    units = value * 10**digits
    if units != units.to_integral_value():
        if digits == 2:
            raise ParseError("amount_decimals", text=quote(text))
        raise ParseError("amount_decimals_currency", text=quote(text), currency=currency, n=digits)
    return int(units)


def _parse_money(text: str, decimal_comma: bool | None) -> tuple[Decimal, str | None]:
    """An amount in the currency's main unit, exact, and the currency it names; see `parse_amount`."""
    shown = quote(text)
    rest = text.strip()
    if not rest:
        raise ParseError("required")
    if len(rest) > 64:
        raise ParseError("amount_invalid", text=shown)
    rest, negative = _strip_sign(rest)
    currency = None
    if match := _LEADING_CURRENCY.match(rest):
        currency, rest = match.group(1), rest[match.end() :]
        rest, signed = _strip_sign(rest)
        negative = negative or signed
    if match := _TRAILING_CURRENCY.search(rest):
        if currency is not None:
            raise ParseError("amount_invalid", text=shown)
        currency, rest = match.group(1), rest[: match.start()]
    if match := _WHOLE_MARK.search(rest):
        decimal_comma, rest = match.group(0)[0] == ",", rest[: match.start()]
    if rest.endswith(_MINUS):
        negative, rest = True, rest[:-1].rstrip()
    if not _NUMBER.fullmatch(rest):
        raise ParseError("amount_invalid", text=shown)
    if negative:
        raise ParseError("amount_negative", text=shown)
    value = _decimal(rest, decimal_comma, shown)
    if value * 100 > MAX_CENTS:
        raise ParseError("amount_too_large", text=shown)
    return value, _currency_code(currency, shown)


def _strip_sign(text: str) -> tuple[str, bool]:
    if text.startswith(_MINUS):
        return text[1:].lstrip(), True
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip(), True
    return text, False


def _currency_code(currency: str | None, shown: str) -> str | None:
    if currency is None:
        return None
    code = _SYMBOLS.get(currency.casefold()) or currency.upper()
    if code not in ISO_CURRENCIES:
        raise ParseError("amount_invalid", text=shown)
    return code


def _decimal(number: str, decimal_comma: bool | None, shown: str) -> Decimal:
    """The digits of `number` as a Decimal, its separators read by the module's rules."""
    parts = _SEPARATOR.split(number)
    runs = parts[0::2]
    seps = [" " if sep in "\u00a0\u202f" else sep.replace("’", "'") for sep in parts[1::2]]
    if not all(runs):
        raise ParseError("amount_invalid", text=shown)
    mark = _decimal_mark_index(runs, seps, decimal_comma)
    groups = seps if mark is None else seps[:mark]
    if len(set(groups)) > 1 or (mark is not None and mark != len(seps) - 1):
        raise ParseError("amount_invalid", text=shown)
    whole = runs if mark is None else runs[:-1]
    if groups and not (len(whole[0]) <= 3 and all(len(run) == 3 for run in whole[1:])):
        raise ParseError("amount_invalid", text=shown)
    fraction = runs[-1] if mark is not None else "0"
    return Decimal(f"{''.join(whole)}.{fraction}")


def _decimal_mark_index(runs: list[str], seps: list[str], decimal_comma: bool | None) -> int | None:
    """Which separator is the decimal mark, or None for a whole number."""
    marks = [index for index, sep in enumerate(seps) if sep in ".,"]
    if not marks or marks[-1] != len(seps) - 1:
        return None
    last = marks[-1]
    if len({seps[index] for index in marks}) == 2:
        return last
    if len(marks) > 1:
        return None
    if len(runs[-1]) != 3 or len(seps) > 1 or len(runs[0]) > 3 or runs[0] == "0":
        return last
    if decimal_comma is None:
        return None
    return last if (seps[last] == ",") == decimal_comma else None


# ------------------------------------------------------------------ dates

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})\.?")


def parse_date(text: str) -> dt.date:
    """A date from an import or an option: ISO, `3.11.2026`, `03.11.2026`, `3.11.26`.

    Raises:
        ParseError: not a date, a day that does not exist, or outside 1970–2100.
    """
    raw = text.strip()
    shown = quote(raw)
    if not raw:
        raise ParseError("required")
    if match := _ISO.fullmatch(raw):
        year, month, day = match.groups()
    elif match := _DOTTED.fullmatch(raw):
        day, month, year = match.groups()
        if len(year) == 2:
            year = f"20{year}"
    else:
        raise ParseError("date_invalid", text=shown)
    return _make_date(int(year), int(month), int(day), shown)


def _make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise ParseError("date_impossible", text=shown) from None
    return _in_range(result, shown)


def _in_range(day: dt.date, shown: str) -> dt.date:
    if not _EARLIEST_YEAR <= day.year <= _LATEST_YEAR:
        raise ParseError("date_range", text=shown)
    return day


_RELATIVE_DAYS = {
    fold(word): days
    for word, days in {
        "heute": 0,
        "today": 0,
        "morgen": 1,
        "tomorrow": 1,
        "übermorgen": 2,
        "day after tomorrow": 2,
    }.items()
}
_WEEKDAY_NAMES = {
    fold(name): index
    for index, names in enumerate(
        [
            ("montag", "mo", "monday", "mon"),
            ("dienstag", "di", "tuesday", "tue", "tues"),
            ("mittwoch", "mi", "wednesday", "wed"),
            ("donnerstag", "do", "thursday", "thu", "thur", "thurs"),
            ("freitag", "fr", "friday", "fri"),
            ("samstag", "sonnabend", "sa", "saturday", "sat"),
            ("sonntag", "so", "sunday", "sun"),
        ]
    )
    for name in names
}
_NEXT_WEEK = {fold(words) for words in ("nächste Woche", "next week")}
_OFFSET = re.compile(r"\+ ?(\d{1,4}) ?([dtwm]?)")
_IN_UNITS = re.compile(r"in (\d{1,4}) (\w+)")
_UNIT_WORDS = {
    fold(word): unit
    for unit, words in {
        "d": ("tag", "tagen", "day", "days"),
        "w": ("woche", "wochen", "week", "weeks"),
        "m": ("monat", "monaten", "month", "months"),
    }.items()
    for word in words
}


def parse_user_date(text: str, today: dt.date) -> dt.date:
    """A date as people type it into a date field, in German or English alike.

    Both languages are understood whatever the UI speaks; case, umlauts
    (`übermorgen` = `uebermorgen`) and a trailing dot (`Fr.`) do not matter.

    - `2026-12-03`, `3.12.2026`, `3.12.26`: that day.
    - `3.12.` / `3.12`: that day this year, or next year if it has passed.
    - `+3` / `+3d` / `+3t`: 3 calendar days on; `+2w` weeks; `+1m` months
      (the end of a shorter month is kept: 31 Jan + 1m = 28/29 Feb);
      also `in 3 Tagen` / `in 2 weeks`.
    - `heute`/`today`, `morgen`/`tomorrow`, `übermorgen`/`day after tomorrow`.
    - a weekday (`Freitag`, `fr`, `friday`, `fri`, `am Freitag`): the next
      such day strictly after `today`.
    - `nächste Woche` / `next week`: Monday of next week.
    - the longer phrases of `core.input.date_phrases`: `KW 50`, `Anfang Januar`,
      `Mitte Dezember`, `3. Dezember`, `Dec 3`, `3 Dec`, `nächste Woche
      Mittwoch`, `nächsten Donnerstag` (the Thursday of next week), and any
      of these followed by a time (`Donnerstag 14 Uhr`), which is dropped.

    Past dates are not refused here: whether one is allowed is the caller's
    decision.

    Raises:
        ParseError: the text is none of the above, or names an impossible day.
    """
    return read_user_date(text, today)[0]


def read_user_date(text: str, today: dt.date) -> tuple[dt.date, list[Reading]]:
    """`parse_user_date`, and which reading of an ambiguous phrase was taken (for the preview)."""
    raw = text.strip()
    shown = quote(raw)
    if not raw:
        raise ParseError("required")
    if match := _DAY_MONTH.fullmatch(raw):
        return _next_day_month(int(match.group(1)), int(match.group(2)), today, shown), []
    if _ISO.fullmatch(raw) or _DOTTED.fullmatch(raw):
        return parse_date(raw), []
    words = fold(raw).rstrip(".")
    without_time, had_time = strip_time(words)
    if had_time:
        try:
            day, readings = read_user_date(without_time, today)
        except ParseError:
            raise ParseError("user_date_invalid", text=shown) from None
        return day, [*readings, Reading("time_dropped")]
    if match := _OFFSET.fullmatch(words):
        return _shift(today, int(match.group(1)), match.group(2) or "d", shown), []
    if (match := _IN_UNITS.fullmatch(words)) and match.group(2) in _UNIT_WORDS:
        return _shift(today, int(match.group(1)), _UNIT_WORDS[match.group(2)], shown), []
    if words in _RELATIVE_DAYS:
        return _in_range(today + dt.timedelta(days=_RELATIVE_DAYS[words]), shown), []
    if words in _NEXT_WEEK:
        return _in_range(today + dt.timedelta(days=7 - today.weekday()), shown), []
    if words in _WEEKDAY_NAMES:
        ahead = (_WEEKDAY_NAMES[words] - today.weekday() - 1) % 7 + 1
        return _in_range(today + dt.timedelta(days=ahead), shown), []
    try:
        phrase = read_phrase(words, today, _WEEKDAY_NAMES)
    except (ValueError, OverflowError):
        raise ParseError("date_impossible", text=shown) from None
    if phrase is not None:
        return _in_range(phrase[0], shown), phrase[1]
    raise ParseError("user_date_invalid", text=shown)


def _next_day_month(day: int, month: int, today: dt.date, shown: str) -> dt.date:
    """The next `day.month.` on or after today (trying this year, then next)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return _in_range(candidate, shown)
    raise ParseError("date_impossible", text=shown)


def _shift(today: dt.date, amount: int, unit: str, shown: str) -> dt.date:
    """`today` moved on by calendar days, weeks or months (months via pendulum)."""
    if unit == "m":
        import pendulum

        moved = pendulum.date(today.year, today.month, today.day).add(months=amount)
        return _in_range(dt.date(moved.year, moved.month, moved.day), shown)
    days = amount * 7 if unit == "w" else amount
    return _in_range(today + dt.timedelta(days=days), shown)


_PAST_DAYS = {
    fold(word): days
    for word, days in {
        "heute": 0,
        "today": 0,
        "gestern": 1,
        "yesterday": 1,
        "vorgestern": 2,
        "day before yesterday": 2,
    }.items()
}
_PAST_WEEKDAY_PREFIXES = tuple(fold(word) + " " for word in ("letzten", "letzter", "last", "am", "on"))
_BACK = re.compile(r"- ?(\d{1,4}) ?([dtwm]?)")
_UNITS_AGO = re.compile(r"(?:vor (\d{1,4}) (\w+)|(\d{1,4}) (\w+) ago)")


def parse_past_date(text: str, today: dt.date) -> dt.date:
    """A day that has been, as people type it into a form (an offer's sent date).

    The mirror of `parse_user_date`, in German and English alike:

    - `2026-11-03`, `3.11.2026`, `3.11.26`: that day (as `parse_date`).
    - `3.11.` / `3.11`: that day this year, or last year if it is still ahead.
    - `heute`/`today`, `gestern`/`yesterday`, `vorgestern`/`day before yesterday`.
    - `-3` / `-3d` / `-3t`: 3 days back; `-2w` weeks; `-1m` months; also
      `vor 3 Tagen` / `3 days ago`.
    - a weekday (`Montag`, `mo`, `monday`; optionally `letzten Montag`,
      `last monday`): the last such day strictly before `today`.
    - `KW 45`, `Anfang November`, `3. November`, `3 Nov`, `Nov 3`: the latest
      such day on or before `today` (`core.input.date_phrases`).

    Future dates written in full are not refused: whether one is allowed is
    the caller's decision.

    Raises:
        ParseError: the text is none of the above, or names an impossible day.
    """
    raw = text.strip()
    shown = quote(raw)
    if not raw:
        raise ParseError("required")
    if match := _DAY_MONTH.fullmatch(raw):
        return _last_day_month(int(match.group(1)), int(match.group(2)), today, shown)
    if _ISO.fullmatch(raw) or _DOTTED.fullmatch(raw):
        return parse_date(raw)
    words = fold(raw).rstrip(".")
    if match := _BACK.fullmatch(words):
        return _shift(today, -int(match.group(1)), match.group(2) or "d", shown)
    if match := _UNITS_AGO.fullmatch(words):
        amount, unit = (
            (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        )
        if unit in _UNIT_WORDS:
            return _shift(today, -int(amount), _UNIT_WORDS[unit], shown)
    if words in _PAST_DAYS:
        return _in_range(today - dt.timedelta(days=_PAST_DAYS[words]), shown)
    for prefix in _PAST_WEEKDAY_PREFIXES:
        if words.startswith(prefix) and words[len(prefix) :] in _WEEKDAY_NAMES:
            words = words[len(prefix) :]
    if words in _WEEKDAY_NAMES:
        back = (today.weekday() - _WEEKDAY_NAMES[words] - 1) % 7 + 1
        return _in_range(today - dt.timedelta(days=back), shown)
    try:
        phrase = read_past_phrase(strip_time(words)[0], today)
    except (ValueError, OverflowError):
        raise ParseError("date_impossible", text=shown) from None
    if phrase is not None:
        return _in_range(phrase[0], shown)
    raise ParseError("past_date_invalid", text=shown)


def _last_day_month(day: int, month: int, today: dt.date, shown: str) -> dt.date:
    """The last `day.month.` on or before today (trying this year, then the four before)."""
    for year in range(today.year, today.year - 5, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return _in_range(candidate, shown)
    raise ParseError("date_impossible", text=shown)


# ----------------------------------------------------------------- offers


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Why one field of an offer was refused."""

    field: str
    """One of `FIELDS`."""
    error: ParseError

    def message(self, lang: str, label: str | None = None) -> str:
        """ "Wert: 'abc' ist kein Betrag …"; `label` replaces the field's name."""
        return f"{label or field_label(self.field, lang)}: {self.error.message(lang)}"


class OfferInvalid(UserError):
    """One or more fields of an offer were refused; `problems` lists each."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("offer_invalid")

    def message(self, lang: str, labels: Mapping[str, str] | None = None) -> str:
        """Every problem in one line; `labels` may name fields as the caller shows them."""
        labels = labels or {}
        return "; ".join(problem.message(lang, labels.get(problem.field)) for problem in self.problems)


@dataclass(frozen=True, slots=True)
class FieldNote:
    """Something to tell the user about a field that was accepted.

    For now: a phone number kept as typed because it could not be read as a
    valid number (`key` is a `phone.PHONE_HINTS` key).
    """

    field: str
    """One of `FIELDS`."""
    catalog: Catalog
    key: str
    facts: Mapping[str, object]

    def text(self, lang: str) -> str:
        """The note alone: "kept as typed: not a valid number for DE"."""
        return self.catalog.text(lang, self.key, **self.facts)

    def message(self, lang: str, label: str | None = None) -> str:
        """ "phone: kept as typed …"; `label` replaces the field's name."""
        return f"{label or field_label(self.field, lang)}: {self.text(lang)}"


@dataclass(frozen=True, slots=True)
class OfferCheck:
    """What `check_offer` found: the draft if every field is good, and per field why not.

    A form shows `problems` and `notes` under their fields and `values` (the
    accepted value of each good field: a resolved date, a normalised phone)
    beside them, even while other fields are still bad.
    """

    draft: OfferDraft | None
    """The offer, or None when `problems` is not empty."""
    problems: tuple[FieldProblem, ...]
    """One per refused field, in `FIELDS` order."""
    notes: tuple[FieldNote, ...]
    """Hints about accepted fields (a phone kept as typed)."""
    values: Mapping[str, object]
    """Field -> accepted value (None when empty or refused); `value` holds cents."""

    def problem(self, field: str) -> FieldProblem | None:
        """Why `field` was refused, or None."""
        return next((problem for problem in self.problems if problem.field == field), None)

    def note(self, field: str) -> FieldNote | None:
        """The hint about `field`, or None."""
        return next((note for note in self.notes if note.field == field), None)


RawValue = str | dt.date | None


def validate_offer(
    raw: Mapping[str, RawValue],
    *,
    decimal_comma: bool | None = None,
    phone_country: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    currency: str | None = None,
) -> OfferDraft:
    """An `OfferDraft` from the fields as typed or imported, or every reason it is not one.

    The one gate for new offers: `nachhaken add`, the CSV import and the TUI's
    form all call it, so an offer is checked the same way wherever it comes
    from.

    - `client`, `title` and `sent_on` are required; every text is stripped and
      an empty one counts as missing.
    - One-line fields (all but `notes`) have runs of whitespace, including line
      breaks from spreadsheet cells, collapsed to one space; at most
      `TEXT_LIMIT` characters. `notes` keep their line breaks (CRLF becomes
      LF); at most `NOTES_LIMIT`. A NUL character is refused; everything else
      is kept literally (the UI shows it safely).
    - `email` must look like name@domain.tld; `currency` is an ISO 4217
      code (any case) or €/$/£/Euro; `value` goes through `parse_amount`, and a currency
      written with the amount fills an empty `currency` (a different one is
      refused); dates go through `parse_date` (a `datetime.date` is taken as is),
      or `parse_past_date` when `today` is given.
    - Dates must fit together: `first_talk_on` may not be later than
      `sent_on` (the talk comes before the offer), and with `today` or
      `as_of` neither may be later than that day (an offer is recorded once
      it has been sent).
    - With `phone_country`, `phone` goes through `phone.normalise_phone`: a
      valid number is stored as E.164, anything else as typed (with a note,
      see `check_offer`). Without it (the CSV import) the phone is only
      cleaned like any one-line field.

    Args:
        raw: field name (one of `FIELDS`) -> text; missing keys count as empty.
        decimal_comma: passed to `parse_amount`.
        phone_country: ISO country for phone numbers typed without a country
            code (the config's `country`); None leaves numbers as typed.
        today: read dates as a person types them (`gestern`, `3.11.`, `-3`),
            and refuse dates after it; None accepts only full dates, as an
            import has them.
        as_of: refuse dates after this day without reading typed dates (the
            CSV import passes the day it runs); defaults to `today`. With
            neither, no date is too late.
        currency: the currency of an offer that names none (the configured
            one), which says how many decimals its amount may have.

    Raises:
        OfferInvalid: with one `FieldProblem` per refused field, in `FIELDS` order.
        ValueError: `raw` holds a key that is not a field (a programming error).
    """
    check = check_offer(
        raw,
        decimal_comma=decimal_comma,
        phone_country=phone_country,
        today=today,
        as_of=as_of,
        currency=currency,
    )
    if check.problems:
        raise OfferInvalid(list(check.problems))
    assert check.draft is not None
    return check.draft


def check_offer(
    raw: Mapping[str, RawValue],
    *,
    decimal_comma: bool | None = None,
    phone_country: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    currency: str | None = None,
) -> OfferCheck:
    """`validate_offer`'s rules, reporting instead of raising: for forms and for notes.

    Takes the same arguments; never raises `OfferInvalid`.

    Raises:
        ValueError: `raw` holds a key that is not a field (a programming error).
    """
    unknown = set(raw) - set(FIELDS)
    if unknown:
        raise ValueError(f"not offer fields: {sorted(unknown)}")
    problems: list[FieldProblem] = []
    notes: list[FieldNote] = []
    date = _date if today is None else _user_date(today)

    def check(field: str, convert: Callable[[RawValue], object]) -> Any:
        try:
            return convert(raw.get(field))
        except ParseError as error:
            problems.append(FieldProblem(field, error))
            return None

    values = {
        "client": check("client", _required_line),
        "contact": check("contact", _line),
        "salutation": check("salutation", _line),
        "phone": check("phone", _line),
        "email": check("email", _email),
        "title": check("title", _required_line),
        "reference": check("reference", _line),
        "amount": check("value", lambda value: _amount(value, decimal_comma)),
        "currency": check("currency", _currency),
        "sent_on": check("sent_on", _required(date)),
        "first_talk_on": check("first_talk_on", date),
        "valid_until": check("valid_until", _date if today is None else _coming_date(today)),
        "notes": check("notes", _notes),
    }
    if phone_country is not None and values["phone"] is not None:
        phone = normalise_phone(values["phone"], phone_country)
        values["phone"] = phone.value
        if phone.hint_key is not None:
            notes.append(FieldNote("phone", PHONE_HINTS, phone.hint_key, {"country": phone.country or ""}))
    _check_dates(raw, values, problems, as_of or today)
    amount, written = values.pop("amount") or (None, None)
    cents = None
    if written and values["currency"] and written != values["currency"]:
        error = ParseError("currency_conflict", found=written, given=values["currency"])
        problems.append(FieldProblem("currency", error))
    if amount is not None:
        code = values["currency"] or written or currency
        try:
            cents = _minor_units(amount, minor_digits(code), str(raw.get("value")).strip(), code)
        except ParseError as error:
            problems.append(FieldProblem("value", error))
    problems.sort(key=lambda problem: FIELDS.index(problem.field))
    accepted = {**values, "value": cents, "currency": values["currency"] or written}
    draft = (
        None if problems else OfferDraft(value_cents=cents, **{**values, "currency": accepted["currency"]})
    )
    return OfferCheck(draft, tuple(problems), tuple(notes), accepted)


def _check_dates(
    raw: Mapping[str, RawValue],
    values: dict[str, Any],
    problems: list[FieldProblem],
    latest: dt.date | None,
) -> None:
    """Refuse a sent date or first talk after `latest`, and a first talk after the sent date.

    The message quotes the date as it was typed (or imported), so the user
    finds it; a refused date is no longer an accepted value (None in `values`).
    """

    def refuse(field: str, key: str, **facts: object) -> None:
        typed, day = raw.get(field), values[field].isoformat()
        if not isinstance(typed, str):
            shown = quote(day)
        else:
            text = " ".join(typed.split())
            written_out = _ISO.fullmatch(text) or _DOTTED.fullmatch(text)
            shown = quote(text) if written_out else f"{quote(text)} ({day})"
        problems.append(FieldProblem(field, ParseError(key, text=shown, **facts)))
        values[field] = None

    sent, talk, valid = values["sent_on"], values["first_talk_on"], values["valid_until"]
    if latest is not None and sent is not None and sent > latest:
        refuse("sent_on", "sent_future", today=latest.isoformat())
        sent = None
    typed_valid = raw.get("valid_until")
    if sent is not None and valid is not None and isinstance(typed_valid, str):
        # "20.11." typed for an offer sent on 10.11. means this 20.11., not next year's
        if _DAY_MONTH.fullmatch(typed_valid.strip()) and sent <= _a_year_earlier(valid):
            values["valid_until"] = valid = _a_year_earlier(valid)
    if sent is not None and valid is not None and valid < sent:
        refuse("valid_until", "valid_before_sent", sent=sent.isoformat())
    if latest is not None and talk is not None and talk > latest:
        refuse("first_talk_on", "talk_future", today=latest.isoformat())
    elif sent is not None and talk is not None and talk > sent:
        refuse("first_talk_on", "talk_after_sent", sent=sent.isoformat())


def _a_year_earlier(day: dt.date) -> dt.date:
    """The same day a year before (28 Feb for a 29 Feb)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _required(convert: Callable[[RawValue], object]) -> Callable[[RawValue], object]:
    def required(value: RawValue) -> object:
        result = convert(value)
        if result is None:
            raise ParseError("required")
        return result

    return required


def _text(value: RawValue, limit: int) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if "\x00" in text:
        raise ParseError("nul")
    if len(text) > limit:
        raise ParseError("too_long", length=len(text), limit=limit)
    return text or None


def _line(value: RawValue) -> str | None:
    text = _text(value, TEXT_LIMIT * 4)
    if text is None:
        return None
    collapsed = " ".join(text.split())
    if len(collapsed) > TEXT_LIMIT:
        raise ParseError("too_long", length=len(collapsed), limit=TEXT_LIMIT)
    return collapsed


def _notes(value: RawValue) -> str | None:
    text = _text(value, NOTES_LIMIT)
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _email(value: RawValue) -> str | None:
    text = _line(value)
    if text is not None and not _EMAIL.fullmatch(text):
        raise ParseError("email", text=quote(text))
    return text


def _currency(value: RawValue) -> str | None:
    text = _line(value)
    if text is None:
        return None
    code = _SYMBOLS.get(text.casefold()) or text.upper()
    if code not in ISO_CURRENCIES:
        raise ParseError("currency", text=quote(text))
    return code


def _amount(value: RawValue, decimal_comma: bool | None) -> tuple[Decimal, str | None] | None:
    """The amount in the main unit; counted in minor units once the currency is known (`check_offer`)."""
    text = _line(value)
    return None if text is None else _parse_money(text, decimal_comma)


def _date(value: RawValue) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = _line(value)
    return None if text is None else parse_date(text)


def _coming_date(today: dt.date) -> Callable[[RawValue], dt.date | None]:
    """A date as typed for the future (`+14`, `3.12.`, `Freitag`): an offer's validity."""

    def coming_date(value: RawValue) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        text = _line(value)
        return None if text is None else parse_user_date(text, today)

    return coming_date


def _user_date(today: dt.date) -> Callable[[RawValue], dt.date | None]:
    def user_date(value: RawValue) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        text = _line(value)
        return None if text is None else parse_past_date(text, today)

    return user_date


_required_line = _required(_line)
