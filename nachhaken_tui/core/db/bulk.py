"""Inserting many offers at once (the CSV import) without paying m008's triggers row by row.

The triggers keep the search index and the due rank right on every insert,
which is right for the store's single changes; for 100,000 rows the search
trigger costs six times what one `INSERT … SELECT` over the new rows does
(5.2 s against 0.8 s), and merely invoking the rank trigger on a row as wide
as an offer costs more than inserting the row. `bulk_insert` drops both for
its block and does their work once at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["bulk_insert"]

_TRIGGERS = ("offers_search_insert", "offers_due_rank_insert")


@contextmanager
def bulk_insert(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside a write transaction on `conn`: offers inserted in the block are indexed for search and
    ranked when it ends, in one statement each.

    Give each row its `due_rank` as its `next_due` (a first follow-up is
    always on a business day, where the two are the same): only rows whose
    date might rank otherwise (a weekend, a day in `due_rank_days`, or a rank
    given wrong) are ranked again, by m008's update trigger. The insert
    triggers are put back exactly as they were (their SQL from
    `sqlite_master`) in the same transaction, so if the block fails the
    rollback restores them with everything else. New offers are those with
    an id above the highest before the block.
    """
    if not conn.in_transaction:
        raise RuntimeError("bulk_insert needs the caller's write transaction")
    marks = ", ".join("?" * len(_TRIGGERS))
    triggers = [
        sql
        for (sql,) in conn.execute(
            f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", _TRIGGERS
        )
    ]
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM offers").fetchone()
    for name in _TRIGGERS:
        conn.execute(f"DROP TRIGGER {name}")
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
    for sql in triggers:
        conn.execute(sql)
