"""When to call: business days, the follow-up cadence, and urgency.

Pure functions with `today` passed in, so tests pin any date and the inbox,
the CLI and the store agree on what "due" means.

- Business days skip Saturday, Sunday and the public holidays of the
  configured country and subdivision (`holidays` package).
- A new offer is first due `first_followup_days` business days after it was
  sent; an unanswered attempt moves it `retry_days` business days on; an
  agreed date is kept exactly; won/lost close it.
- Urgency: business days overdue (most first), then value (highest first),
  then attempts (fewest first), then sent_on (oldest first).
- An offer's validity: when it ends before the cadence's date, a first
  follow-up or a retry moves to `expiry_lead_days` business days before the
  end (never before the day after sending, or after the attempt). Agreed
  dates are kept exactly.
- The user's time away counts like public holidays; a date that falls inside
  a period (an agreed one, or one set before the period was entered) moves to
  the first business day after it, or, when the offer would have run out by
  then, to the last business day before it (if that is still ahead).
"""

from __future__ import annotations

import datetime as dt
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nachhaken_tui.core.config import Config
from nachhaken_tui.core.models import DueCause, DueKind, DueOffer, Offer, Outcome, Status
from nachhaken_tui.core.paths import cache_dir

__all__ = ["BusinessCalendar", "Cadence", "OfferState", "Placement", "urgency_key"]


class BusinessCalendar:
    """Working days of one country (and optionally one of its regions).

    The arithmetic (`add_business_days`, `subtract_business_days`,
    `business_days_between`) looks dates up in the business days of each year,
    listed once per year and kept until the time away changes: a calendar
    export asks how overdue each of 100,000 offers is, and counting day by day
    cost one step per day of every answer.
    """

    def __init__(self, country: str = "DE", subdivision: str | None = None):
        self.country = country
        self.subdivision = subdivision
        self._holidays_by_year: dict[int, frozenset[dt.date]] = {}
        self._away: frozenset[dt.date] = frozenset()
        self._business_by_year: dict[int, tuple[int, ...]] = {}

    def set_away(self, periods: Iterable[tuple[dt.date, dt.date]]) -> None:
        """The user's time away (first and last day of each period), counted like public holidays.

        The store sets it when it opens and after every change to `absences`;
        periods are at most a few a year, so a set of their days is small.
        """
        self._away = frozenset(
            start + dt.timedelta(days=offset)
            for start, end in periods
            for offset in range((end - start).days + 1)
        )
        self._business_by_year = {}  # a new dict: a reader in another thread keeps a consistent old one

    def is_away(self, day: dt.date) -> bool:
        """Whether the user is away on `day`."""
        return day in self._away

    def away_until(self, day: dt.date) -> dt.date | None:
        """The last day of the time away that ends just before `day`, with only days off between.

        For "moved: you were away until Tue 5 Jan": overlapping or adjoining
        periods read as one.
        """
        current = day - dt.timedelta(days=1)
        while not self.is_away(current):
            if self.is_business_day(current) or day - current > dt.timedelta(days=14):
                return None
            current -= dt.timedelta(days=1)
        return current

    def holidays_of(self, year: int) -> frozenset[dt.date]:
        """Public holidays of one year (computed once per year)."""
        if year not in self._holidays_by_year:
            self._holidays_by_year[year] = _public_holidays(self.country, self.subdivision, year)
        return self._holidays_by_year[year]

    def is_business_day(self, day: dt.date) -> bool:
        """Monday to Friday, not a public holiday, and not a day the user is away."""
        return day.weekday() < 5 and day not in self._away and day not in self.holidays_of(day.year)

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """The business day `count` business days after `day` (count >= 0).

        With count 0 a non-business day moves forward to the next business day,
        since a call cannot be due on a Sunday.
        """
        year, days = day.year, self._business_days(day.year)
        index = (
            bisect_left(days, day.toordinal()) + count
        )  # the first business day on or after `day`, then on
        while index >= len(days):
            index -= len(days)
            year += 1
            days = self._business_days(year)
        return dt.date.fromordinal(days[index])

    def subtract_business_days(self, day: dt.date, count: int) -> dt.date:
        """The business day `count` business days before `day` (count >= 0).

        With count 0 a non-business day moves back to the business day before it.
        """
        year, days = day.year, self._business_days(day.year)
        index = bisect_right(days, day.toordinal()) - 1 - count  # the last business day on or before `day`
        while index < 0:
            year -= 1
            days = self._business_days(year)
            index += len(days)
        return dt.date.fromordinal(days[index])

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Business days after `start` up to and including `end` (0 if end <= start)."""
        if end <= start:
            return 0
        count = bisect_right(self._business_days(end.year), end.toordinal())
        count -= bisect_right(self._business_days(start.year), start.toordinal())
        for year in range(start.year, end.year):
            count += len(self._business_days(year))
        return count

    def _business_days(self, year: int) -> tuple[int, ...]:
        """The business days of `year` as sorted ordinals, listed once (until the time away changes)."""
        known = self._business_by_year
        days = known.get(year)
        if days is None:
            first = dt.date(year, 1, 1).toordinal()
            last = dt.date(year, 12, 31).toordinal()
            days = tuple(
                ordinal
                for ordinal in range(first, last + 1)
                if self.is_business_day(dt.date.fromordinal(ordinal))
            )
            known[year] = days
        return days


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    """The public holidays of one year, from the disk cache when it has them.

    Importing `holidays` loads every country it knows: about 45 ms, another
    40 ms for the first year, and some 19 MB of memory, which would be a
    third of the app's footprint and more than the rest of `nachhaken due`. The
    dates of a (country, region, year) never change for one version of the
    package, so they are computed once and kept in the user's cache folder;
    a cache written by another `holidays` version is ignored.
    """
    cache = _holiday_cache_file(country, subdivision, year)
    stamp = _holidays_stamp()
    if cache is not None and stamp is not None:
        try:
            first, *days = cache.read_text(encoding="utf-8").splitlines()
            if first == stamp:
                return frozenset(dt.date.fromisoformat(day) for day in days)
        except (OSError, ValueError):
            pass
    import holidays

    result = frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))
    if cache is not None and stamp is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_name(f"{cache.name}.{os.getpid()}")
            partial.write_text(
                "\n".join([stamp, *sorted(day.isoformat() for day in result)]), encoding="utf-8"
            )
            os.replace(partial, cache)
        except OSError:
            pass  # a read-only cache folder costs speed, not correctness
    return result


def _holiday_cache_file(country: str, subdivision: str | None, year: int) -> Path | None:
    """Where the dates of one year are kept; None when there is no home folder for them."""
    folder = cache_dir("holidays")
    if folder is None:
        return None
    name = "-".join(part for part in (country, subdivision, str(year)) if part)
    return folder / f"{''.join(c for c in name if c.isalnum() or c == '-')}.txt"


@lru_cache(maxsize=1)
def _holidays_stamp() -> str | None:
    """Identifies the installed `holidays` (its version file), without importing it."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    version = Path(spec.origin).with_name("version.py")
    try:
        info = version.stat()
    except OSError:
        return None
    return f"{version}:{info.st_mtime_ns}:{info.st_size}"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a follow-up lands, and what (if anything) moved it from the cadence's own date."""

    next_due: dt.date
    cause: DueCause | None = None
    planned: dt.date | None = None
    """The cadence's own date when `cause` moved it; None when it was kept."""


@dataclass(frozen=True, slots=True)
class OfferState:
    """An offer's cadence fields after an outcome."""

    status: Status
    next_due: dt.date | None
    due_kind: DueKind | None
    attempts: int
    due_cause: DueCause | None = None
    due_planned: dt.date | None = None


class Cadence:
    """The follow-up rules of one user, built from their config."""

    def __init__(self, config: Config | None = None):
        config = config or Config()
        self.calendar = BusinessCalendar(config.country, config.subdivision)
        self.first_followup_days = config.first_followup_days
        self.retry_days = config.retry_days
        self.max_attempts = config.max_attempts
        self.expiry_lead_days = config.expiry_lead_days
        self.revised_followup_days = config.revised_followup_days

    def first_due(self, sent_on: dt.date) -> dt.date:
        """When a newly sent offer is first due by the cadence alone (its validity aside)."""
        return self.calendar.add_business_days(sent_on, self.first_followup_days)

    def first_placement(self, sent_on: dt.date, valid_until: dt.date | None) -> Placement:
        """When a newly sent offer is first due, its validity and the user's time away considered."""
        if valid_until is None:  # the common case, once per row of a 100,000-row import
            return Placement(self.first_due(sent_on))  # business days already skip the time away
        return self.place(
            self.first_due(sent_on),
            kind=DueKind.FIRST,
            valid_until=valid_until,
            earliest=self.calendar.add_business_days(sent_on, 1),
        )

    def place(
        self,
        planned: dt.date,
        *,
        kind: DueKind | None,
        valid_until: dt.date | None = None,
        earliest: dt.date | None = None,
        cause: DueCause | None = None,
    ) -> Placement:
        """The cadence's date `planned`, moved by the offer's validity and the user's time away.

        Args:
            planned: the date the cadence (or the client) gave.
            kind: why; an agreed date is never moved for the validity.
            valid_until: the offer's last valid day.
            earliest: the validity never moves a follow-up before this day
                (the day after sending, or after the attempt); an offer whose
                validity ends before it is not moved (it has expired).
            cause: what set `planned` itself (a client away until then).
        """
        day, why = planned, cause
        expiring = (
            valid_until is not None and valid_until < day and (earliest is None or valid_until >= earliest)
        )
        if kind is not DueKind.AGREED and expiring and valid_until is not None:
            day = self.calendar.subtract_business_days(valid_until, self.expiry_lead_days)
            day, why = max(day, earliest) if earliest is not None else day, DueCause.EXPIRING
        if self.calendar.is_away(day):
            after = self.calendar.add_business_days(day, 0)
            before = self.calendar.subtract_business_days(day, 0)
            # After the time away the offer would have run out: call before leaving, if that is still ahead.
            runs_out = kind is not DueKind.AGREED and valid_until is not None and after > valid_until
            if runs_out and (earliest is None or before >= earliest):
                day, why = before, DueCause.EXPIRING
            else:
                day, why = after, DueCause.AWAY
        return Placement(day, why, planned if day != planned else None)

    def replace(self, offer: Offer, today: dt.date) -> Placement:
        """An open offer's date placed again, after its validity or the user's time away changed.

        Starts from the cadence's own date (`due_planned` when something had
        moved it), so removing an absence brings an offer back to where it was.
        """
        planned = offer.due_planned or offer.next_due or today
        keep = DueCause.CLIENT_AWAY if offer.due_cause is DueCause.CLIENT_AWAY else None
        return self.place(
            planned, kind=offer.due_kind, valid_until=offer.valid_until, earliest=today, cause=keep
        )

    def after_extension(self, offer: Offer, today: dt.date, valid_until: dt.date) -> OfferState:
        """An expired offer whose validity was extended to `valid_until` on `today`.

        Its next call comes by the retry cadence, or before the new validity ends.
        """
        kind = DueKind.RETRY if offer.attempts else DueKind.FIRST
        placed = self.place(
            self.calendar.add_business_days(today, self.retry_days),
            kind=kind,
            valid_until=valid_until,
            earliest=self.calendar.add_business_days(today, 1),
        )
        return OfferState(Status.OPEN, placed.next_due, kind, offer.attempts, placed.cause, placed.planned)

    def after_outcome(
        self,
        outcome: Outcome,
        *,
        attempts: int,
        today: dt.date,
        agreed: dt.date | None = None,
        valid_until: dt.date | None = None,
        client_away: bool = False,
    ) -> OfferState:
        """The offer's state after an attempt with `outcome` on `today`.

        Args:
            outcome: how the attempt ended.
            attempts: unanswered attempts so far (before this one).
            today: the day of the attempt.
            agreed: the date agreed with the client (required for follow_up,
                revise and snoozed).
            valid_until: the offer's last valid day: a retry moves before it.
            client_away: the agreed date is the day the client is back.

        Raises:
            ValueError: an outcome that needs a date came without one.
        """
        if outcome.closes:
            status = Status.WON if outcome is Outcome.WON else Status.LOST
            return OfferState(status, None, None, attempts)
        if outcome.is_unanswered:
            placed = self.place(
                self.calendar.add_business_days(today, self.retry_days),
                kind=DueKind.RETRY,
                valid_until=valid_until,
                earliest=self.calendar.add_business_days(today, 1),
            )
            return OfferState(
                Status.OPEN, placed.next_due, DueKind.RETRY, attempts + 1, placed.cause, placed.planned
            )
        if agreed is None:
            raise ValueError(f"outcome {outcome} needs an agreed date")
        placed = self.place(agreed, kind=DueKind.AGREED, cause=DueCause.CLIENT_AWAY if client_away else None)
        return OfferState(
            Status.OPEN, placed.next_due, DueKind.AGREED, attempts, placed.cause, placed.planned
        )

    def runs_out_soon(self, offer: Offer, today: dt.date) -> bool:
        """The call is about an offer whose validity ends soon (the script's `expiring` opener).

        Its date was moved before the end, or the end comes before the call
        after this one would (`retry_days` on, plus the `expiry_lead_days`
        lead): with the defaults, within four business days, so on a Monday
        an offer valid until Friday. Not once it has passed, and not for an
        agreed call-back (that opener fits better).
        """
        end = offer.valid_until
        if end is None or end < today or offer.due_kind is DueKind.AGREED:
            return False
        if offer.due_cause is DueCause.EXPIRING:
            return True
        return end <= self.calendar.add_business_days(today, self.retry_days + self.expiry_lead_days)

    def after_revised_sent(self, sent_on: dt.date) -> dt.date:
        """When to call after a revised offer went out on `sent_on`: a few business days later."""
        return self.calendar.add_business_days(sent_on, self.revised_followup_days)

    def overdue_days(self, next_due: dt.date, today: dt.date) -> int:
        """Business days past `next_due` as of `today` (0 when due today)."""
        return self.calendar.business_days_between(next_due, today)

    def should_close_loop(self, attempts: int) -> bool:
        """After this many unanswered attempts, suggest a close-the-loop message."""
        return attempts >= self.max_attempts


def urgency_key(due: DueOffer) -> tuple:
    """Sort key: most overdue, then highest value, fewest attempts, oldest offer."""
    offer = due.offer
    return (-due.overdue_days, -(offer.value_cents or 0), offer.attempts, offer.sent_on, offer.id)
