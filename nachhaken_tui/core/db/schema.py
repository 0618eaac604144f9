"""The name nachhaken's migrations are recorded under, shared by the store and the migrations.

A module of its own so that `core.db.migrations` (which needs sqlite-utils) and
`core.db.store` (which opens a current file without it) both read it without
importing each other.
"""

from __future__ import annotations

__all__ = ["MIGRATION_SET"]

MIGRATION_SET = "nachhaken"
"""The set name of our rows in sqlite-utils' `_sqlite_migrations` table."""
