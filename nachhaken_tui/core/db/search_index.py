"""Keeping the search index (`offers_search`, m008) in step with `offers` where its triggers are not enough.

The triggers index every insert, update and delete one row at a time,
which is right for the store's single changes. Two cases need more:

- a bulk insert (the CSV import): the insert trigger costs six times what
  one `INSERT … SELECT` over the new rows does (5.2 s against 0.8 s for
  100,000 offers), so `indexed_at_the_end` indexes them in one statement;
- forgetting (`forget`): FTS5 drops a deleted row's trigrams only when it
  next merges that part of the index, so `erase_deleted_from_search`
  merges it all before the file is rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["erase_deleted_from_search", "indexed_at_the_end"]

_INSERT_TRIGGER = "offers_search_insert"


@contextmanager
def indexed_at_the_end(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside a write transaction on `conn`: offers inserted in the block are indexed for search when it ends.

    The insert trigger is dropped for the block and put back exactly as it
    was (its SQL from `sqlite_master`) in the same transaction, so if the
    block fails the rollback restores it with everything else. Offers are
    recognised as new by an id above the highest before the block.
    """
    if not conn.in_transaction:
        raise RuntimeError("indexed_at_the_end needs the caller's write transaction")
    (trigger,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [_INSERT_TRIGGER]
    ).fetchone()
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM offers").fetchone()
    conn.execute(f"DROP TRIGGER {_INSERT_TRIGGER}")
    yield
    conn.execute(
        "INSERT INTO offers_search (rowid, client, contact, title, reference, notes) "
        "SELECT id, client, contact, title, reference, notes FROM offers WHERE id > ?",
        [last],
    )
    conn.execute(trigger)


def erase_deleted_from_search(conn: sqlite3.Connection) -> None:
    """After offers were deleted for good (`forget`): rewrite the search index without a trace of them.

    FTS5 marks a deleted row's trigrams as deleted and drops them only when
    it next merges that part of the index; until then they are in the file,
    where a VACUUM keeps them. 'optimize' merges the whole index now (under
    a second at 100,000 offers); before the VACUUM that frees the old pages.
    """
    conn.execute("INSERT INTO offers_search (offers_search) VALUES ('optimize')")
