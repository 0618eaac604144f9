"""Inserting many offers at once (the CSV import) without paying m008's triggers row by row.

The triggers keep the search index and the due rank right on every insert,
which is right for the store's single changes; for 100,000 rows the search
trigger costs six times what one `INSERT … SELECT` over the new rows does
(5.2 s against 0.8 s), and merely invoking the rank trigger on a row as wide
as an offer costs more than inserting the row. `bulk_insert` drops both for
its block and does their work once at its end.

Into an empty table (a first import, the big one) it also leaves out the
offers' indexes but `offers_identity` and builds them at its end: sorting the
rows once costs half of inserting each row into three B-trees (0.3 s against
0.6 s at 100,000 offers). Into a table that has rows it keeps them, as
building them again would read every old row too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["bulk_insert"]

_TRIGGERS = ("offers_search_insert", "offers_due_rank_insert")
_KEPT_INDEXES = ("offers_identity",)
"""Indexes written row by row even into an empty table: the import looks its duplicates up in it."""


@contextmanager
def bulk_insert(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside a write transaction on `conn`: offers inserted in the block are indexed for search and
    ranked when it ends, in one statement each.

    Give each row its `due_rank` as its `next_due` (a first follow-up is
    always on a business day, where the two are the same): only rows whose
    date might rank otherwise (a weekend, a day in `due_rank_days`, or a rank
    given wrong) are ranked again, by m008's update trigger. The insert
    triggers (and, into an empty table, the indexes) are put back exactly as
    they were (their SQL from `sqlite_master`) in the same transaction, so if
    the block fails the rollback restores them with everything else. New
    offers are those with an id above the highest before the block.
    """
    if not conn.in_transaction:
        raise RuntimeError("bulk_insert needs the caller's write transaction")
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM offers").fetchone()
    triggers = ", ".join("?" * len(_TRIGGERS))
    kept = ", ".join("?" * len(_KEPT_INDEXES))
    dropped = conn.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE (type = 'trigger' AND name IN ({triggers})) "
        # an index SQLite made itself (for a UNIQUE) has no SQL and cannot be dropped
        f"OR (? AND type = 'index' AND tbl_name = 'offers' AND sql IS NOT NULL AND name NOT IN ({kept}))",
        [*_TRIGGERS, last == 0, *_KEPT_INDEXES],
    ).fetchall()
    for kind, name, _sql in dropped:
        conn.execute(f"DROP {kind.upper()} {name}")
    yield
    conn.execute(
        "INSERT INTO offers_search (rowid, client, contact, title, reference, notes) "
        "SELECT id, client, contact, title, reference, notes FROM offers WHERE id > ?",
        [last],
    )
    # A weekday outside `due_rank_days` ranks as itself; everything else is ranked by the update trigger.
    conn.execute(
        "UPDATE offers SET due_rank = NULL WHERE id > ? AND next_due IS NOT NULL AND ("
        "due_rank IS NOT next_due OR strftime('%w', next_due) IN ('0', '6') "
        "OR next_due IN (SELECT day FROM due_rank_days))",
        [last],
    )
    for _kind, _name, sql in dropped:  # the indexes after the ranks, so they are built once
        conn.execute(sql)
