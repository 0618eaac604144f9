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
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nachhaken_tui.core.config import Config
from nachhaken_tui.core.models import DueKind, DueOffer, Outcome, Status

__all__ = ["BusinessCalendar", "Cadence", "OfferState", "urgency_key"]


class BusinessCalendar:
    """Working days of one country (and optionally one of its regions)."""

    def __init__(self, country: str = "DE", subdivision: str | None = None):
        self.country = country
        self.subdivision = subdivision
        self._holidays_by_year: dict[int, frozenset[dt.date]] = {}

    def holidays_of(self, year: int) -> frozenset[dt.date]:
        """Public holidays of one year (computed once per year)."""
        if year not in self._holidays_by_year:
            self._holidays_by_year[year] = _public_holidays(self.country, self.subdivision, year)
        return self._holidays_by_year[year]

    def is_business_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a public holiday."""
        return day.weekday() < 5 and day not in self.holidays_of(day.year)

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """The business day `count` business days after `day` (count >= 0).

        With count 0 a non-business day moves forward to the next business day,
        since a call cannot be due on a Sunday.
        """
        current = day
        while not self.is_business_day(current):
            current += dt.timedelta(days=1)
        remaining = count
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_business_day(current):
                remaining -= 1
        return current

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Business days after `start` up to and including `end` (0 if end <= start)."""
        if end <= start:
            return 0
        count = 0
        current = start + dt.timedelta(days=1)
        while current <= end:
            if self.is_business_day(current):
                count += 1
            current += dt.timedelta(days=1)
        return count


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
            partial.write_text("\n".join([stamp, *sorted(day.isoformat() for day in result)]), encoding="utf-8")
            os.replace(partial, cache)
        except OSError:
            pass  # a read-only cache folder costs speed, not correctness
    return result


def _holiday_cache_file(country: str, subdivision: str | None, year: int) -> Path | None:
    """Where the dates of one year are kept; None when there is no home folder for them."""
    if sys.platform.startswith("linux"):
        # platformdirs' answer on Linux, without the 3 ms its imports cost `nachhaken due`
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        folder = Path(base) / "nachhaken" / "holidays"
    else:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("nachhaken", appauthor=False)) / "holidays"
    if not folder.is_absolute():  # no HOME: compute every time rather than write somewhere odd
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
class OfferState:
    """An offer's cadence fields after an outcome."""

    status: Status
    next_due: dt.date | None
    due_kind: DueKind | None
    attempts: int


class Cadence:
    """The follow-up rules of one user, built from their config."""

    def __init__(self, config: Config | None = None):
        config = config or Config()
        self.calendar = BusinessCalendar(config.country, config.subdivision)
        self.first_followup_days = config.first_followup_days
        self.retry_days = config.retry_days
        self.max_attempts = config.max_attempts
        self.revised_followup_days = config.revised_followup_days

    def first_due(self, sent_on: dt.date) -> dt.date:
        """When a newly sent offer is first due for a follow-up call."""
        return self.calendar.add_business_days(sent_on, self.first_followup_days)

    def after_outcome(
        self,
        outcome: Outcome,
        *,
        attempts: int,
        today: dt.date,
        agreed: dt.date | None = None,
    ) -> OfferState:
        """The offer's state after an attempt with `outcome` on `today`.

        Args:
            outcome: how the attempt ended.
            attempts: unanswered attempts so far (before this one).
            today: the day of the attempt.
            agreed: the date agreed with the client (required for follow_up,
                revise and snoozed).

        Raises:
            ValueError: an outcome that needs a date came without one.
        """
        if outcome.closes:
            status = Status.WON if outcome is Outcome.WON else Status.LOST
            return OfferState(status, None, None, attempts)
        if outcome.is_unanswered:
            return OfferState(
                Status.OPEN,
                self.calendar.add_business_days(today, self.retry_days),
                DueKind.RETRY,
                attempts + 1,
            )
        if agreed is None:
            raise ValueError(f"outcome {outcome} needs an agreed date")
        return OfferState(Status.OPEN, agreed, DueKind.AGREED, attempts)

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


