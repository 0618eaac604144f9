"""The name nachhaken's migrations are recorded under, and the list of them, shared by opening and the migrations.

A module of its own so that `core.db.migrations` (which needs sqlite-utils) and
`core.db.opening` (which opens a current file without it) both read it without
importing each other.
"""

from __future__ import annotations

__all__ = ["MIGRATION_SET", "MIGRATION_TABLES", "SCHEMA"]

MIGRATION_SET = "nachhaken"
"""The set name of our rows in sqlite-utils' `_sqlite_migrations` table."""

SCHEMA = (
    "m001_initial",
    "m002_call_blocks",
    "m003_closed_index",
    "m004_call_memory",
    "m005_coaching",
    "m006_validity_away",
    "m007_reference_views",
    "m008_due_rank_search",
)
"""Every migration in `core.db.migrations`, in order: a file whose record says exactly
these is current and opens without sqlite-utils (see `Store.open`). Append a new
migration's name here; opening a new database checks that the two agree."""
MIGRATION_TABLES = {
    "m001_initial": ("offers", "calls", "answers"),
    "m002_call_blocks": ("blocks",),
    "m008_due_rank_search": ("due_rank_days",),
}
"""The tables each migration creates: a file that records the migration must have them."""
