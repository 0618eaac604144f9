"""Dates as imported or typed into a form, made exact, in German and English alike.

Its own module so the commands, the dialogs and `offer_check` read dates by
the same rules; the longer phrases (`KW 50`, `Mitte Dezember`) live in
`date_phrases`.

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

from nachhaken_tui.core.input.date_phrases import Reading, read_past_phrase, read_phrase, strip_time
from nachhaken_tui.core.input.fields import ParseError, fold, quote

__all__ = [
    "parse_date",
    "parse_past_date",
    "parse_user_date",
    "read_user_date",
]

_EARLIEST_YEAR, _LATEST_YEAR = 1970, 2100


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
    if not raw:
        raise ParseError("required")
    if match := _ISO.fullmatch(raw):
        year, month, day = match.groups()
    elif match := _DOTTED.fullmatch(raw):
        day, month, year = match.groups()
        if len(year) == 2:
            year = f"20{year}"
    else:
        raise ParseError("date_invalid", text=quote(raw))
    return _make_date(int(year), int(month), int(day), raw)


def _make_date(year: int, month: int, day: int, raw: str) -> dt.date:
    """That day; `raw` is quoted only for a message (an import reads a million dates that are fine)."""
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise ParseError("date_impossible", text=quote(raw)) from None
    if not _EARLIEST_YEAR <= result.year <= _LATEST_YEAR:
        raise ParseError("date_range", text=quote(raw))
    return result


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
