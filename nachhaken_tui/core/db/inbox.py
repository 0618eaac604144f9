"""The inbox's reads: which offers a view shows, in which order, one page at a time.

Apart from the store because this is the part that has to stay instant at
100,000 offers (issue 6): each query here is shaped for the index it should
(or, searching Closed, should not) use, and `tests/test_performance.py` pins
those plans. Everything here reads through the plain sqlite3 connection,
never sqlite-utils, so the first frame and `nachhaken due` do not import it.

`InboxReads` is mixed into `Store`, which supplies the connection and the
lock that serialises it; callers ask the store (`store.page(...)`,
`store.count(...)`) and never see SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from nachhaken_tui.core.models import DueCause, DueOffer, Offer

if TYPE_CHECKING:
    import sqlite3
    import threading

    from nachhaken_tui.core.schedule.cadence import BusinessCalendar, Cadence

__all__ = [
    "UPCOMING_DAYS",
    "InboxQuery",
    "InboxReads",
    "Sort",
    "View",
    "register_search_function",
]


class View(StrEnum):
    """The inbox views: which offers a list shows."""

    DUE = "due"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class Sort(StrEnum):
    """Orders the inbox can be sorted in."""

    URGENCY = "urgency"
    VALUE = "value"
    SENT = "sent"


UPCOMING_DAYS = 7
"""The Upcoming view reaches this many calendar days ahead."""

_DUE_WHERE = "status = 'open' AND due_rank <= :today AND next_due <= :today"
"""The Due view. A rank is never after its `next_due`, so `due_rank <= :today` leaves out no due offer
and lets SQLite walk `offers_due` from its start; `next_due` is in that index too."""

DUE_ORDER = "due_rank, value_cents DESC NULLS LAST, attempts, sent_on, id"
"""Urgency: business days overdue (as `due_rank`, m008), value, attempts, age; the order of `offers_due`."""

_VIEW_WHERE = {
    View.DUE: _DUE_WHERE,
    View.UPCOMING: "status = 'open' AND next_due > :today AND next_due <= :horizon",
    View.OPEN: "status = 'open'",
    View.CLOSED: "status != 'open'",
}
"""Which offers each view shows, as SQL (`:today`, `:horizon` bound by the caller)."""


SEARCHED = ("client", "contact", "title", "reference", "notes")
"""The columns `/` searches."""

CONTAINS_FUNCTION = "nachhaken_contains"
"""SQL function (see `register_search_function`): `needle` in `text`, ignoring case in any script."""


TRIGRAM = 3
"""Searches at least this long are looked up in `offers_search` (m008's trigram index); shorter ones cannot be."""


def _search_where(search: str, params: dict) -> str:
    """SQL for "the search text is in client, contact, title, offer number or notes"; binds its parameters in `params`.

    Three characters or more: the ids the trigram index `offers_search`
    finds for the text anywhere in those columns. The text goes in as one
    FTS5 string, so quotes, `*`, `-`, `AND` or `NEAR(` in it match
    themselves, and the index folds case in any script ("über" finds
    "Übersetzungsbüro", "MÜLLER" "Müller"), as Python's `lower` does.

    One or two characters (no trigram to look up): LIKE on every row, which
    ignores case for ASCII letters only. So a search with other letters asks
    LIKE for a pattern with `_` in their place (any one character, a
    superset found at C speed) and checks only the rows that pass with
    `CONTAINS_FUNCTION`, which lower-cases in Python.
    """
    needle = search.strip()
    if len(needle) >= TRIGRAM:
        params["match"] = '"' + needle.replace('"', '""') + '"'
        return "id IN (SELECT rowid FROM offers_search WHERE offers_search MATCH :match)"
    escaped = "".join(
        # the pattern is escaped so a user's % or _ matches itself
        "\\" + char if char in "\\%_" else char if char.isascii() else "_"
        for char in needle
    )
    params["pattern"] = f"%{escaped}%"
    if needle.isascii():
        return "(" + " OR ".join(f"{column} LIKE :pattern ESCAPE '\\'" for column in SEARCHED) + ")"
    params["needle"] = needle.lower()
    return (
        "("
        + " OR ".join(
            f"({column} LIKE :pattern ESCAPE '\\' AND {CONTAINS_FUNCTION}({column}, :needle))"
            for column in SEARCHED
        )
        + ")"
    )


def _contains(text: str | None, needle: str) -> bool:
    return text is not None and needle in text.lower()


def register_search_function(conn: sqlite3.Connection) -> None:
    """Give `conn` the `CONTAINS_FUNCTION` non-ASCII searches use; once, when the store opens it."""
    conn.create_function(CONTAINS_FUNCTION, 2, _contains, deterministic=True)


def _horizon(today: dt.date) -> str:
    return (today + dt.timedelta(days=UPCOMING_DAYS)).isoformat()


@dataclass(frozen=True, slots=True)
class InboxQuery:
    """What the inbox shows: a view, an optional search text, an order."""

    view: View = View.DUE
    search: str = ""
    sort: Sort = Sort.URGENCY


class InboxReads:
    """The inbox's queries, mixed into `Store`: pages and counts of a view, the due list.

    The store provides `conn`, `_lock` (held around every use of `conn`),
    `cadence` (for business days overdue), `_query` (rows as dicts on the
    plain connection) and `data_version`.
    """

    cadence: Cadence

    _counted: tuple[tuple[object, ...], dict[View, int]] | None = None
    """The last search's counts per view, and what they were counted for (see `count`)."""

    if TYPE_CHECKING:  # provided by the store this is mixed into

        @property
        def conn(self) -> sqlite3.Connection: ...

        @property
        def _lock(self) -> threading.RLock: ...

        def _query(
            self, sql: str, params: dict[str, Any] | list[Any] | tuple[Any, ...] = ()
        ) -> list[dict[str, Any]]: ...

        def data_version(self) -> int: ...

    def due_page(self, today: dt.date, *, limit: int = 50, offset: int = 0) -> list[DueOffer]:
        """Due offers in urgency order, one page of them (the Due view's first page by default)."""
        return self.page(InboxQuery(View.DUE), today, limit=limit, offset=offset)

    def due_rows(self, today: dt.date, columns: Sequence[str], *, chunk: int = 1000) -> Iterator[list[tuple]]:
        """Every due offer in urgency order, as tuples of `columns`, `chunk` rows at a time from one query.

        Urgency is business days overdue first, which is the order of
        `due_rank` (m008); the rest of the order follows it in `offers_due`,
        so SQLite reads the rows in order off the index and never sorts or
        skips them, and `nachhaken due` holds one chunk at a time, whatever
        the number due. Tuples rather than offers: at 100,000 offers building
        an `Offer` per row would cost more than everything else; the caller
        makes one (`due_offer`) per distinct reason.
        """
        with self._lock:
            cursor = self.conn.execute(
                f"SELECT {', '.join(columns)} FROM offers WHERE {_DUE_WHERE} ORDER BY {DUE_ORDER}",
                {"today": today.isoformat()},
            )
        while True:
            with self._lock:
                rows = cursor.fetchmany(chunk)
            if not rows:
                return
            yield rows

    def due_offers(self, today: dt.date) -> Callable[[dict], DueOffer]:
        """Makes a due offer from its row (as `due_rows` reads it, with at least the columns
        `Offer.from_row` needs), with what its reason is worded from; business days counted once per date."""
        overdue = _overdue_days(self.cadence.calendar, today)

        def due_offer(row: dict) -> DueOffer:
            offer = Offer.from_row(row)
            return DueOffer(
                offer,
                overdue(offer.next_due) if offer.next_due else 0,
                _away_until(self.cadence.calendar, offer),
                self.cadence.runs_out_soon(offer, today),
            )

        return due_offer

    def next_upcoming(self, today: dt.date) -> Offer | None:
        """The open offer due soonest after `today`, for the empty inbox."""
        with self._lock:
            rows = self._query(
                """
                SELECT * FROM offers WHERE status = 'open' AND next_due > ?
                ORDER BY next_due, value_cents DESC NULLS LAST LIMIT 1
                """,
                [today.isoformat()],
            )
        return Offer.from_row(rows[0]) if rows else None

    def page(self, query: InboxQuery, today: dt.date, *, limit: int = 50, offset: int = 0) -> list[DueOffer]:
        """One page of the offers `query` selects, in its order.

        Every row comes as a DueOffer; `overdue_days` is 0 for offers that
        are not due (yet), so the inbox words all views alike.
        """
        where, params = self._where(query, today)
        with self._lock:
            rows = self._ordered_rows(where, self._order(query, today), params, limit, offset)
        overdue = _overdue_days(self.cadence.calendar, today)
        return [
            DueOffer(
                offer,
                overdue(offer.next_due) if offer.next_due and offer.next_due <= today else 0,
                _away_until(self.cadence.calendar, offer),
                self.cadence.runs_out_soon(offer, today),
            )
            for offer in map(Offer.from_row, rows)
        ]

    def _ordered_rows(self, where: str, order: str, params: dict, limit: int, offset: int) -> list[dict]:
        """Whole rows `offset` .. `offset + limit` of `offers` matching `where`, in `order`.

        In two steps (a "deferred join"): first the ids of the page, then
        those rows. Every column the inbox filters and sorts by is in an
        index (offers_inbox; offers_closed for the Closed view), so the first
        step sorts small index entries and never reads a table row; only the
        page's own rows are read. In one step SQLite reads every matching row
        whole to sort them; with 34,000 offers due this way is a third
        cheaper (2.6 against 3.8 ms for a page by value), and the cost of a
        page stays that of the index, whatever the rows hold.
        """
        ids = [
            row[0]
            for row in self.conn.execute(
                f"SELECT id FROM offers WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset",
                {**params, "limit": limit, "offset": offset},
            )
        ]
        return self._rows_by_id(ids)

    def _rows_by_id(self, ids: list[int]) -> list[dict]:
        """The rows of `ids`, in that order (one query)."""
        if not ids:
            return []
        by_id = {
            row["id"]: row
            for row in self._query(f"SELECT * FROM offers WHERE id IN ({', '.join('?' * len(ids))})", ids)
        }
        return [by_id[offer_id] for offer_id in ids if offer_id in by_id]

    def count(self, query: InboxQuery, today: dt.date) -> int:
        """How many offers `query` selects.

        Searched counts are kept until the search, the day or the data
        changes: a search can use no index for the text (it looks anywhere
        in four columns), so counting the Closed view reads every closed
        offer (20 ms at 100,000), and the screen recounts on every reload.
        """
        with self._lock:
            if query.search.strip():
                stamp = (query.search, today, self.conn.total_changes, self.data_version())
                if self._counted is None or self._counted[0] != stamp:
                    self._counted = (stamp, {})
                counts = self._counted[1]
                if query.view not in counts:
                    counts[query.view] = self._count(query, today)
                return counts[query.view]
            if query.view is View.CLOSED:
                # All minus open: two index counts instead of a scan that
                # tests every row's status (a third of the time at 100,000).
                return int(
                    self.conn.execute(
                        "SELECT (SELECT count(*) FROM offers) - (SELECT count(*) FROM offers WHERE status = 'open')"
                    ).fetchone()[0]
                )
            return self._count(query, today)

    def _count(self, query: InboxQuery, today: dt.date) -> int:
        where, params = self._where(query, today)
        return int(self.conn.execute(f"SELECT count(*) FROM offers WHERE {where}", params).fetchone()[0])

    def _where(self, query: InboxQuery, today: dt.date) -> tuple[str, dict]:
        params: dict = {"today": today.isoformat()}
        where = _VIEW_WHERE[query.view]
        if query.view is View.UPCOMING:
            params["horizon"] = _horizon(today)
        if query.search.strip():
            if query.view is View.CLOSED:
                # `+` keeps SQLite off the offers_closed index here: it would
                # read every closed row in the index's order, at random places
                # in the file, to test the search (120 ms at 100,000 when
                # little matches); one pass through the table takes 25.
                where = "+" + where
            where += " AND " + _search_where(query.search, params)
        return where, params

    def _order(self, query: InboxQuery, today: dt.date) -> str:
        if query.sort is Sort.VALUE:
            return "value_cents DESC NULLS LAST, id"
        if query.sort is Sort.SENT:
            return "sent_on DESC, id DESC"
        if query.view is View.DUE:
            return DUE_ORDER
        if query.view is View.CLOSED:
            return "closed_at DESC, id DESC"
        return "next_due, value_cents DESC NULLS LAST, attempts, sent_on, id"


def _overdue_days(calendar: BusinessCalendar, today: dt.date) -> Callable[[dt.date], int]:
    """`calendar.business_days_between(day, today)`, remembered per day, each counted from the last.

    The count walks day by day; 100,000 due offers have a few hundred
    distinct due dates, up to two years back, and they come in order: from
    the day counted last, only the days between the two are walked.
    """
    known: dict[dt.date, int] = {}
    last: dt.date | None = None

    def overdue(day: dt.date) -> int:
        nonlocal last
        if day not in known:
            if day >= today:
                known[day] = 0
            elif last is None:
                known[day] = calendar.business_days_between(day, today)
            elif day > last:
                known[day] = known[last] - calendar.business_days_between(last, day)
            else:
                known[day] = known[last] + calendar.business_days_between(day, last)
            last = day
        return known[day]

    return overdue


def _away_until(calendar: BusinessCalendar, offer: Offer) -> dt.date | None:
    """For an offer the user's time away moved: that period's last day, for its reason."""
    if offer.due_cause is not DueCause.AWAY or offer.next_due is None:
        return None
    return calendar.away_until(offer.next_due)
