"""The longer date phrases people say, and which reading of them was taken.

`dates.parse_user_date` handles the short forms (`3.12.`, `+3`, `Freitag`);
this module adds the phrases a week of real use brought up, in German and
English alike, on text already folded by `fields.fold`:

- a calendar week: `KW 50`, `KW50`, `week 50` -> its Monday (today, if that
  week has begun); the next such week from today on;
- a part of a month: `Anfang Januar` / `early January` -> the 1st,
  `Mitte Dezember` / `mid-December` -> the 15th, `Ende Februar` /
  `end of February` -> its last day; the next such day from today on;
- a day and a month in words: `3. Dezember`, `3 Dec`, `Dec 3`, `Dec 3rd`,
  optionally with a year (`3 Dec 2027`);
- a weekday of next week: `nächste Woche Mittwoch`, `Mittwoch nächste Woche`,
  `next week wednesday`, and `nächsten Donnerstag` / `next thursday`, which
  mean the Thursday of next week, as most people mean it (on a Monday, not
  the coming Thursday); `diesen Donnerstag` / `this thursday` is the coming one.

A time after the date (`Donnerstag 14 Uhr`, `Dec 3 at 2pm`, `morgen 9:30`) is
dropped by `strip_time`: the app schedules days, and the date part is enough.
Each phrase whose reading is not obvious comes with a `Reading`, so the date
preview can say which one was taken. The patterns are compiled on first use
(`re` caches them), not when the app starts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["Reading", "read_past_phrase", "read_phrase", "strip_time"]

_READINGS = Catalog(
    {
        "next_weekday": {
            "de": "{weekday} nächster Woche; für diese Woche tippe „{plain}“",
            "en": "{weekday} of next week; for this week's, type “{plain}”",
        },
        "week": {"de": "Montag der KW {n}", "en": "Monday of week {n}"},
        "week_begun": {"de": "KW {n} hat schon begonnen: ab heute", "en": "week {n} has begun: from today"},
        "month_start": {"de": "Anfang = der 1.", "en": "early = the 1st"},
        "month_middle": {"de": "Mitte = der 15.", "en": "mid = the 15th"},
        "month_end": {"de": "Ende = der letzte Tag", "en": "end = the last day"},
        "time_dropped": {
            "de": "nur das Datum zählt, die Uhrzeit nicht",
            "en": "only the date counts, not the time",
        },
    }
)

_WEEKDAY_WORDS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


class Reading:
    """Which meaning of an ambiguous phrase was taken, for the date preview.

    A plain class rather than a dataclass: this module is imported on the way
    to the app's first frame, and building a dataclass costs about a millisecond.
    """

    __slots__ = ("fields", "key")

    def __init__(self, key: str, fields: dict[str, object] | None = None) -> None:
        self.key = key
        """A `_READINGS` message key."""
        self.fields = fields or {}
        """Its fields (`weekday` is a number, 0 = Monday)."""

    def __repr__(self) -> str:
        return f"Reading({self.key!r}, {self.fields!r})"

    def text(self, lang: str) -> str:
        """The reading in words, e.g. "Donnerstag nächster Woche; für diese Woche tippe „Donnerstag“"."""
        fields = dict(self.fields)
        if "weekday" in fields:
            name = _WEEKDAY_WORDS["de" if lang == "de" else "en"][int(fields["weekday"])]  # type: ignore[call-overload]
            fields["weekday"], fields["plain"] = name, name if lang == "de" else name.lower()
        return _READINGS.text(lang, self.key, **fields)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "jan", "january", "janner"),
            ("februar", "feb", "february"),
            ("marz", "mar", "march", "maerz", "mrz"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "october", "oct"),
            ("november", "nov"),
            ("dezember", "dez", "december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_YEAR = r"(?: (\d{4}))?"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_THEN_MONTH = rf"{_ORDINAL} (?:of )?{_MONTH}{_YEAR}"
_MONTH_THEN_DAY = rf"{_MONTH} {_ORDINAL}{_YEAR}"
_PART_OF_MONTH = rf"(anfang|beginning of|start of|early|mitte|mid|middle of|ende|end of|late) {_MONTH}{_YEAR}"
_PARTS = {
    "anfang": "month_start", "beginning of": "month_start", "start of": "month_start", "early": "month_start",
    "mitte": "month_middle", "mid": "month_middle", "middle of": "month_middle",
    "ende": "month_end", "end of": "month_end", "late": "month_end",
}  # fmt: skip
_WEEK = r"(?:kw|calendar week|week|wk|woche) ?(\d{1,2})" + _YEAR
_NEXT_WEEK = r"(?:nachste woche|kommende woche|next week)"
_TIME = (
    r"(?P<date>.+?),? (?:(?:um|at|gegen|ab) )?"
    r"(?:\d{1,2}(?:[:.]\d{2})? ?(?:uhr|h|am|pm)|\d{1,2}:\d{2}|(?<=um )\d{1,2}|(?<=at )\d{1,2})"
)


def strip_time(words: str) -> tuple[str, bool]:
    """`words` without a time of day at its end ("donnerstag 14 uhr" -> "donnerstag"); whether one was dropped."""
    if match := re.fullmatch(_TIME, words):
        return match.group("date"), True
    return words, False


def read_phrase(words: str, today: dt.date, weekdays: dict[str, int]) -> tuple[dt.date, list[Reading]] | None:
    """The day a longer phrase names, with its reading; None if `words` is none of them.

    Args:
        words: folded text (`fields.fold`), time already stripped.
        today: the day the phrase is said on.
        weekdays: folded weekday names and abbreviations -> 0 (Monday) to 6.

    Raises:
        ValueError: a phrase of the right shape that names no real day ("31 Feb", "KW 60").
    """
    text = _plain(words)
    return _calendar_phrase(text, today, past=False) or _weekday_of_next_week(text, today, weekdays)


def read_past_phrase(words: str, today: dt.date) -> tuple[dt.date, list[Reading]] | None:
    """`read_phrase` for a day that has been (`--since`, an offer's sent date): `KW 45`,
    `Anfang November`, `3 Nov`, `Nov 3` name the latest such day on or before `today`.

    Raises:
        ValueError: a phrase of the right shape that names no real day.
    """
    return _calendar_phrase(_plain(words), today, past=True)


def _month_length(year: int, month: int) -> int:
    """Days in `month` of `year` (without the `calendar` module, which costs the app's start 6 ms)."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _plain(words: str) -> str:
    """Folded words without the dots, dashes and commas people put between a date's parts."""
    return " ".join(words.replace(".", " ").replace("-", " ").replace(",", " ").split())


def _calendar_phrase(text: str, today: dt.date, *, past: bool) -> tuple[dt.date, list[Reading]] | None:
    """A calendar week, a part of a month, or a day and a month in words; the next such
    day from `today` on, or with `past` the latest up to `today`."""
    if match := re.fullmatch(_WEEK, text):
        return _week(int(match.group(1)), match.group(2), today, past)
    if match := re.fullmatch(_PART_OF_MONTH, text):
        key = _PARTS[match.group(1)]
        month = _MONTHS[match.group(2)]

        def day_of(year: int) -> int:
            return {"month_start": 1, "month_middle": 15}.get(key) or _month_length(year, month)

        return _in_month(month, day_of, match.group(3), today, past), [Reading(key)]
    for pattern, day_group, month_group in ((_DAY_THEN_MONTH, 1, 2), (_MONTH_THEN_DAY, 2, 1)):
        if match := re.fullmatch(pattern, text):
            fixed_day = int(match.group(day_group))

            def given_day(year: int, day: int = fixed_day) -> int:
                return day

            return _in_month(_MONTHS[match.group(month_group)], given_day, match.group(3), today, past), []
    return None


def _weekday_of_next_week(
    text: str, today: dt.date, weekdays: dict[str, int]
) -> tuple[dt.date, list[Reading]] | None:
    """`nächste Woche Mittwoch`, `Mittwoch nächste Woche`, `nächsten Mittwoch`, `diesen Mittwoch`."""
    for pattern, ambiguous in (
        (rf"{_NEXT_WEEK} (?:am )?(\w+)", False),
        (rf"(\w+) {_NEXT_WEEK}", False),
        (r"(?:nachsten|nachster|next) (\w+)", True),
    ):
        match = re.fullmatch(pattern, text)
        if match and match.group(1) in weekdays:
            weekday = weekdays[match.group(1)]
            day = today + dt.timedelta(days=7 - today.weekday() + weekday)
            coming = today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
            return day, [Reading("next_weekday", {"weekday": weekday})] if ambiguous and coming != day else []
    match = re.fullmatch(r"(?:diesen|dieser|this|am|on) (\w+)", text)
    if match and match.group(1) in weekdays:
        weekday = weekdays[match.group(1)]
        return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1), []
    return None


def _week(number: int, year: str | None, today: dt.date, past: bool) -> tuple[dt.date, list[Reading]]:
    """Monday of ISO week `number` of the year given, else the next such week from today
    on (today, if it has begun), or with `past` the latest that has begun."""
    if year:
        return dt.date.fromisocalendar(int(year), number, 1), [Reading("week", {"n": number})]
    years = [today.year, today.year - 1] if past else [today.year, today.year + 1]
    for candidate in years:
        try:
            monday = dt.date.fromisocalendar(candidate, number, 1)
        except ValueError:
            if candidate == years[-1]:
                raise  # no year near today has this week
            continue
        if past and monday <= today:
            return monday, [Reading("week", {"n": number})]
        if not past and monday + dt.timedelta(days=6) >= today:
            if monday < today:
                return today, [Reading("week_begun", {"n": number})]
            return monday, [Reading("week", {"n": number})]
    raise ValueError(number)


def _in_month(
    month: int, day_of: Callable[[int], int], year: str | None, today: dt.date, past: bool
) -> dt.date:
    """The day `day_of(year)` of `month`: in the year given, else the next one from today
    on, or with `past` the latest up to today."""
    if year:
        return dt.date(int(year), month, day_of(int(year)))
    step = -1 if past else 1
    for candidate in range(today.year, today.year + 5 * step, step):
        try:
            day = dt.date(candidate, month, day_of(candidate))
        except ValueError:
            continue  # 29 Feb in a common year
        if (day <= today) if past else (day >= today):
            return day
    raise ValueError(month)
