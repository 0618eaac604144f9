"""Forgetting for good in the search index (`offers_search`, m008).

FTS5 drops a deleted row's trigrams only when it next merges that part of
the index; `forget` must not leave them in the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["erase_deleted_from_search"]


def erase_deleted_from_search(conn: sqlite3.Connection) -> None:
    """After offers were deleted for good (`forget`): rewrite every search index without a trace of them.

    FTS5 marks a deleted row's trigrams as deleted and drops them only when
    it next merges that part of the index; until then they are in the file,
    where a VACUUM keeps them. 'optimize' merges the whole index now (under
    a second at 100,000 offers); before the VACUUM that frees the old pages.
    Every FTS5 table is merged, not only `offers_search`, so an index added
    later is covered without a change here.
    """
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
    ).fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        conn.execute(f"INSERT INTO {quoted} ({quoted}) VALUES ('optimize')")
