"""German and English: choosing the language, message catalogs, and formatting.

Every text a user reads goes through a `Catalog` (one per area of the app, each
beside the code that uses it) so that both languages are always complete: a
catalog refuses, at import time, an entry that lacks a language.

Money and dates are formatted here so the inbox, the card, the CLI and the
exports agree on "4.800 €" / "€4,800" and "vor 9 Tagen" / "9 days ago".
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from nachhaken_tui.core.text.currencies import CURRENCY_SYMBOLS, minor_digits

__all__ = [
    "LANGUAGES",
    "Catalog",
    "detect_language",
    "format_date",
    "format_date_long",
    "format_decimal",
    "format_money",
    "humanize_date",
]

LANGUAGES = ("de", "en")


def detect_language(explicit: str | None = None, configured: str | None = None) -> str:
    """The language to speak: `--lang`, else config, else the locale, else English."""
    for candidate in (explicit, configured):
        if candidate:
            return candidate
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "de" if value.lower().startswith("de") else "en"
    return "en"


class Catalog:
    """Messages of one area of the app, each in every language.

    Args:
        messages: key -> {"de": text, "en": text}; texts are `str.format`
            templates whose fields the caller fills.
    """

    def __init__(self, messages: Mapping[str, Mapping[str, str]]):
        for key, texts in messages.items():
            missing = [lang for lang in LANGUAGES if lang not in texts]
            if missing:
                raise ValueError(f"message {key!r} lacks {', '.join(missing)}")
        self._messages = messages

    def text(self, lang: str, message_key: str, /, **fields: object) -> str:
        """The message `message_key` in `lang`, its fields filled."""
        template = self._messages[message_key][_lang(lang)]
        return template.format(**fields) if fields else template

    def keys(self) -> list[str]:
        """All message keys (used by the completeness tests)."""
        return list(self._messages)


_WEEKDAYS = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def format_date(day: dt.date, lang: str) -> str:
    """Short weekday date: "Di 1. Dez" / "Tue 1 Dec"."""
    weekday = _WEEKDAYS[_lang(lang)][day.weekday()]
    month = _MONTHS[_lang(lang)][day.month - 1]
    if _lang(lang) == "de":
        return f"{weekday} {day.day}. {month}"
    return f"{weekday} {day.day} {month}"


def format_date_long(day: dt.date, lang: str) -> str:
    """Weekday date with the year: "Di 1. Dez 2026" / "Tue 1 Dec 2026"."""
    return f"{format_date(day, lang)} {day.year}"


def humanize_date(day: dt.date, today: dt.date, lang: str) -> str:
    """ "vor 9 Tagen" / "9 days ago", "heute" / "today", "in 2 Tagen" / "in 2 days".

    The span is counted as pendulum counts it (calendar-aware months, see
    `_whole_months`); the words are ours, because pendulum's relative phrases
    ("1 Woche zuvor") read oddly in an inbox.
    """
    days = abs((today - day).days)
    if days == 0:
        return _RELATIVE.text(lang, "today")
    if days == 1:
        return _RELATIVE.text(lang, "yesterday" if day < today else "tomorrow")
    if days < 14:
        amount, unit = days, "days"
    elif days < 61:
        amount, unit = days // 7, "weeks"
    else:
        amount, unit = max(_whole_months(min(day, today), max(day, today)), 2), "months"
    return _RELATIVE.text(lang, f"{unit}_{'ago' if day < today else 'ahead'}", n=amount)


def _whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (`start <= end`), exactly as pendulum's
    `(end - start).in_months()` counts them (its `precise_diff`, quirks included).

    Every inbox row says how long ago its offer was sent, so the first frame
    would import pendulum (10 ms of the startup) only for this arithmetic.
    A test checks the two agree on thousands of date pairs.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        before = end.replace(day=1) - dt.timedelta(days=1)  # the last day of the month before `end`
        length = ((end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)).day
        if end.day - start.day == length - before.day:
            months += 1  # pendulum counts this as a full month
        months -= 1
    return months


def format_decimal(value: float | None, lang: str) -> str:
    """One decimal, with the language's mark: "2,7" / "2.7"; "–" for no value."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text.replace(".", ",") if _lang(lang) == "de" else text


def format_money(cents: int | None, currency: str | None, lang: str) -> str:
    """An exact amount for reading: "4.800,50 €" / "€4,800.50"; "" when unknown.

    `cents` counts the currency's minor unit (`minor_digits`: yen are whole).
    Whole amounts drop the decimals, since offers are mostly round numbers and
    the inbox is narrow.
    """
    if cents is None:
        return ""
    code = (currency or "EUR").upper()
    sign = "-" if cents < 0 else ""
    digits = minor_digits(code)
    whole, rest = divmod(abs(cents), 10**digits)
    thousands = "." if _lang(lang) == "de" else ","
    decimal = "," if _lang(lang) == "de" else "."
    number = f"{whole:,}".replace(",", thousands)
    if rest:
        number += f"{decimal}{rest:0{digits}d}"
    symbol = CURRENCY_SYMBOLS.get(code)
    if _lang(lang) == "de":
        return f"{sign}{number} {symbol or code}"
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{code} {number}"


_RELATIVE = Catalog(
    {
        "today": {"de": "heute", "en": "today"},
        "yesterday": {"de": "gestern", "en": "yesterday"},
        "tomorrow": {"de": "morgen", "en": "tomorrow"},
        "days_ago": {"de": "vor {n} Tagen", "en": "{n} days ago"},
        "weeks_ago": {"de": "vor {n} Wochen", "en": "{n} weeks ago"},
        "months_ago": {"de": "vor {n} Monaten", "en": "{n} months ago"},
        "days_ahead": {"de": "in {n} Tagen", "en": "in {n} days"},
        "weeks_ahead": {"de": "in {n} Wochen", "en": "in {n} weeks"},
        "months_ahead": {"de": "in {n} Monaten", "en": "in {n} months"},
    }
)


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"
