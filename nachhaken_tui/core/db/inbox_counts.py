"""How many offers each inbox view holds, all four counted in one pass, off the store's read connection.

The bar above the inbox shows a count per view and the header how many are
due; the screen used to ask for each with a query of its own, on the read
connection the UI thread pages through. With a search that is four scans of
the table per keystroke: a search uses no index for the text, and reaching
the rows through the inbox index is slower still (120 ms per view at
100,000 offers all due). One statement with a filtered count per view reads
each row once (25 ms), and the TUI runs it in a worker thread.

So the count gets a connection of its own, opened per count: on the store's
read connection it would hold the store's lock for the whole scan, and every
cursor move on the UI thread would wait behind it. Opening costs well under
a millisecond, nothing beside a count that reads the table. A newer count
makes an older one pointless: `interrupt` stops the one under way.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nachhaken_tui.core.db import opening
from nachhaken_tui.core.db.inbox import _VIEW_WHERE, View, _horizon, _search_where, register_search_function

if TYPE_CHECKING:
    from pathlib import Path

    from nachhaken_tui.core.db.store import Store

__all__ = ["InboxCounter", "InboxCounts"]


@dataclass(frozen=True, slots=True)
class InboxCounts:
    """Offers per view (searched, if a search is on), and open offers due, search or not."""

    views: dict[View, int]
    due: int
    """What the header says is due today: every open offer due by today, whatever the search."""


def counts_query(search: str, today: dt.date) -> tuple[str, dict[str, str]]:
    """The one statement that counts every view (and, with a search, all that is due); its parameters."""
    params = {"today": today.isoformat(), "horizon": _horizon(today)}
    columns = [f"count(*) FILTER (WHERE {_VIEW_WHERE[view]})" for view in View]
    where = ""
    if search.strip():
        where = " WHERE " + _search_where(search, params)
        # The header's figure ignores the search: the index counts it, apart from the scan.
        columns.append(f"(SELECT count(*) FROM offers WHERE {_VIEW_WHERE[View.DUE]})")
    return f"SELECT {', '.join(columns)} FROM offers{where}", params


class InboxCounter:
    """Counts the inbox's views for the store's file, on a connection of its own per count.

    Safe to use from any thread; `interrupt` may come from another thread
    than the one counting.

    Args:
        store: the open database; only its file is used (a store without
            one is counted through its own read connection).
    """

    def __init__(self, store: Store):
        self._store = store
        self._running: sqlite3.Connection | None = None
        self._guard = threading.Lock()
        """Guards `_running` between the counting thread and `interrupt`."""

    def count(self, search: str, today: dt.date) -> InboxCounts:
        """Every view's count for `search` on `today`, as committed when the count starts.

        Raises:
            sqlite3.Error: the file cannot be read, or `interrupt` stopped the count.
        """
        sql, params = counts_query(search, today)
        path = self._store.path
        row = (
            tuple(self._store.read(sql, params)[0].values())
            if path is None
            else self._count_apart(path, sql, params)
        )
        views = {view: int(row[index]) for index, view in enumerate(View)}
        return InboxCounts(views, int(row[len(View)]) if len(row) > len(View) else views[View.DUE])

    def _count_apart(self, path: Path, sql: str, params: dict[str, str]) -> tuple:
        conn = sqlite3.connect(path, timeout=opening.BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            conn.execute("PRAGMA query_only = ON")
            register_search_function(conn)
            with self._guard:
                self._running = conn
            return tuple(conn.execute(sql, params).fetchone())
        finally:
            with self._guard:
                self._running = None
            conn.close()

    def interrupt(self) -> None:
        """Stop the count under way, if any (its `count` raises); a newer one is coming."""
        with self._guard:
            if self._running is not None:
                self._running.interrupt()
