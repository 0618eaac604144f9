"""Keeping `offers.due_rank` right: the business day each open offer's `next_due` counts as.

The Due view's urgency is business days overdue, so a follow-up due on a
Saturday, a public holiday or a day the user is away counts as the business
day before it. m008's triggers compute the rank on every write of
`next_due`, whoever writes: weekends by a plain SQL rule, and every other
day that is off from `due_rank_days`. That small table (a dozen days a
year) is the only thing here that depends on the user's calendar (country,
region, time away), and it doubles as the record of which calendar the
ranks were computed for: `refresh_due_ranks` compares it with the store's
calendar and, when they differ (the config names another region, a period
away was entered or removed, an offer is due in a year the table did not
cover yet), rewrites it and re-ranks exactly the open offers on the days
that changed. The store calls it inside every write transaction, just
before it commits, and once when it opens a file whose table is out of step.

A rank can only be stale between a change of calendar and the next write;
even then every rank is a day on or before its `next_due`, so the Due view
still shows exactly the offers due, at worst in an order a day off.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from nachhaken_tui.core.schedule.cadence import BusinessCalendar

__all__ = ["STORE_KEPT", "rank_days", "ranks_current", "refresh_due_ranks"]

STORE_KEPT = frozenset({"due_rank"})
"""Columns of `offers` the store derives from others: not the user's data, so
exports and the snapshot a call keeps of its offer (`offer_before`) leave them out."""

_ONE_DAY = dt.timedelta(days=1)


def rank_days(calendar: BusinessCalendar, years: list[int]) -> dict[str, str]:
    """The days of `years` whose rank the triggers' weekend rule gets wrong, each with its right rank.

    The weekend rule ranks a weekday as itself and a Saturday or Sunday as
    the Friday before; these are the days off on weekdays (public holidays,
    time away) and the weekends after them.
    """
    wanted: dict[str, str] = {}
    for year in years:
        day = dt.date(year, 1, 1)
        while day.year == year:
            if not calendar.is_business_day(day):
                rank = calendar.subtract_business_days(day, 0)
                if rank != day - dt.timedelta(days=max(0, day.weekday() - 4)):
                    wanted[day.isoformat()] = rank.isoformat()
            day += _ONE_DAY
    return wanted


def _years(conn: sqlite3.Connection) -> list[int]:
    """The years open offers are due in, one index seek each (not a scan of every offer)."""
    years: list[int] = []
    sql = "SELECT min(next_due) FROM offers WHERE status = 'open' AND next_due >= ?"
    (day,) = conn.execute(sql, [""]).fetchone()
    while day:
        try:
            year = int(day[:4])
        except ValueError:  # not a date (written by hand): the weekend rule's NULL rank is all it gets
            return years
        if not 1 <= year < 9999:
            return years
        years.append(year)
        (day,) = conn.execute(sql, [f"{year + 1:04d}"]).fetchone()
    return years


def _held_and_wanted(conn: sqlite3.Connection, calendar: BusinessCalendar) -> tuple[dict, dict]:
    held = dict(conn.execute("SELECT day, rank FROM due_rank_days").fetchall())
    return held, rank_days(calendar, _years(conn))


def ranks_current(conn: sqlite3.Connection, calendar: BusinessCalendar) -> bool:
    """Whether the ranks in the file were computed with `calendar` (a read; changes nothing)."""
    held, wanted = _held_and_wanted(conn, calendar)
    return held == wanted


def refresh_due_ranks(conn: sqlite3.Connection, calendar: BusinessCalendar) -> int:
    """Inside a write transaction on `conn`: bring `due_rank_days` in step with `calendar`.

    Re-ranks the open offers due on the days whose rank changed (all of
    them only when the whole calendar changed); returns how many. Cheap when
    nothing changed: one index seek per year and a read of the small table.
    """
    held, wanted = _held_and_wanted(conn, calendar)
    if held == wanted:
        return 0
    changed = [(day,) for day in sorted(held.keys() | wanted.keys()) if held.get(day) != wanted.get(day)]
    conn.execute("DELETE FROM due_rank_days")
    conn.executemany("INSERT INTO due_rank_days (day, rank) VALUES (?, ?)", wanted.items())
    # Writing a rank makes m008's trigger put the right one in its place, from the new table.
    cursor = conn.executemany(
        "UPDATE offers SET due_rank = NULL WHERE status = 'open' AND next_due = ?", changed
    )
    return cursor.rowcount
