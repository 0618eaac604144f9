"""Opening a database file safely: the checks before anything changes it, and the migration.

Apart from the store because none of it reads or writes offers: it decides
whether a file may be used at all, and brings it up to date. `Store.open`
calls `open_connection`; `StoreError` and `storage_error` (what the file or
the disk refused) are here because opening is where they begin. Opening a file:

- refuses a file that is not SQLite, or a SQLite file that is not nachhaken's,
  without touching it;
- refuses a database written by a newer nachhaken, or one that lacks a
  table (damaged), before anything (WAL, a migration) can change a byte;
- backs up an existing database beside itself before migrating it, named
  after the first migration it is about to run;
- creates a new file with mode 0600 (it holds other people's data), or with
  `create=False` (the read-only commands) refuses a path that holds no
  database yet, creating neither the file nor its folders;
- turns on WAL, foreign keys and a busy timeout, so several nachhaken
  processes can work on one file without "database is locked", and reads
  never wait for a writer.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.db import schema
from nachhaken_tui.core.db.schema import MIGRATION_SET
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["BUSY_TIMEOUT_MS", "StoreError", "open_connection", "storage_error"]

BUSY_TIMEOUT_MS = 10_000
_SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(UserError):
    """The database file cannot be used as it is; nothing was changed."""

    catalog = Catalog(
        {
            "not_sqlite": {
                "de": "{path} ist keine SQLite-Datenbank; die Datei bleibt unverändert.",
                "en": "{path} is not an SQLite database; the file was left untouched.",
            },
            "foreign": {
                "de": "{path} ist eine SQLite-Datenbank, aber nicht von nachhaken; die Datei bleibt unverändert.",
                "en": "{path} is an SQLite database but not nachhaken's; the file was left untouched.",
            },
            "newer": {
                "de": "{path} wurde von einer neueren nachhaken-Version geschrieben ({names}); bitte nachhaken aktualisieren.",
                "en": "{path} was written by a newer nachhaken ({names}); please upgrade nachhaken.",
            },
            "missing": {
                "de": "Unter {path} gibt es noch keine Datenbank: Erfasse ein Angebot mit "
                "`nachhaken add` oder importiere welche mit `nachhaken import DATEI`.",
                "en": "No database at {path} yet: add an offer with `nachhaken add` or "
                "`nachhaken import FILE`.",
            },
            "unreadable": {
                "de": "{path} kann nicht geöffnet werden: {reason}",
                "en": "{path} cannot be opened: {reason}",
            },
            "no_offer": {
                "de": "Es gibt kein Angebot mit der Nummer {offer_id}.",
                "en": "There is no offer with id {offer_id}.",
            },
            "changed_since": {
                "de": "Angebot {offer_id} wurde inzwischen geändert (vielleicht in einem anderen Fenster); "
                "es wurde nichts rückgängig gemacht.",
                "en": "Offer {offer_id} has changed since (perhaps in another window); nothing was undone.",
            },
            "not_open": {
                "de": "Angebot {offer_id} ist nicht offen (Status: {status}).",
                "en": "Offer {offer_id} is not open (status: {status}).",
            },
            "not_a_file": {
                "de": "{path} ist keine normale Datei (sondern ein Ordner, Gerät oder eine Pipe); "
                "sie bleibt unverändert.",
                "en": "{path} is not a regular file (but a folder, device or pipe); it was left untouched.",
            },
            # What the file or the disk refused while working (see `storage_error`).
            "readonly": {
                "de": "{path} ist schreibgeschützt; es wurde nichts geändert.",
                "en": "{path} is read-only; nothing was changed.",
            },
            "full": {
                "de": "Der Speicherplatz für {path} ist voll; es wurde nichts geändert.",
                "en": "There is no space left for {path}; nothing was changed.",
            },
            "busy": {
                "de": "{path} ist seit {seconds} Sekunden von einem anderen Programm gesperrt; "
                "es wurde nichts geändert. Bitte noch einmal versuchen.",
                "en": "{path} has been locked by another program for {seconds} seconds; "
                "nothing was changed. Please try again.",
            },
            "damaged": {
                "de": "{path} ist beschädigt ({reason}); es wurde nichts geändert. "
                "Eine Sicherung (nachhaken-backup-….db, nachhaken.db.before-migration-…) hilft weiter.",
                "en": "{path} is damaged ({reason}); nothing was changed. "
                "A backup (nachhaken-backup-….db, nachhaken.db.before-migration-…) can help.",
            },
            "missing_table": {
                "de": "{path} ist beschädigt (es fehlt die Tabelle {tables}); es wurde nichts geändert. "
                "Eine Sicherung (nachhaken-backup-….db, nachhaken.db.before-migration-…) hilft weiter.",
                "en": "{path} is damaged (the table {tables} is missing); nothing was changed. "
                "A backup (nachhaken-backup-….db, nachhaken.db.before-migration-…) can help.",
            },
            "io": {
                "de": "{path} kann nicht gelesen oder geschrieben werden ({reason}); "
                "es wurde nichts geändert.",
                "en": "{path} cannot be read or written ({reason}); nothing was changed.",
            },
        }
    )


_STORAGE_PROBLEMS = {
    sqlite3.SQLITE_READONLY: "readonly",
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_BUSY: "busy",
    sqlite3.SQLITE_LOCKED: "busy",
    sqlite3.SQLITE_CORRUPT: "damaged",
    sqlite3.SQLITE_NOTADB: "damaged",
    sqlite3.SQLITE_IOERR: "io",
    sqlite3.SQLITE_CANTOPEN: "io",
}
"""SQLite's primary result codes for a file or disk that refuses, not for a bug."""


def storage_error(error: BaseException, path: Path | str | None) -> StoreError | None:
    """The message for an SQLite error caused by the file or the disk, else None.

    A read-only file, a full disk, a lock held past the busy timeout or a
    damaged file are the user's situation to fix, not a crash: they are
    reported like any bad input (exit code 1, one line), and the transaction
    they happened in was rolled back. Errors with other codes are bugs and
    stay what they are.
    """
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(error, sqlite3.Error) or code is None:
        return None
    key = _STORAGE_PROBLEMS.get(code & 0xFF)
    if key is None:
        return None
    return StoreError(key, path=path or "-", reason=error, seconds=BUSY_TIMEOUT_MS // 1000)


def open_connection(path: Path, *, create: bool) -> sqlite3.Connection:
    """The read connection to the checked, current database at `path` (see `Store.open`)."""
    try:
        exists = path.exists()
        if exists and not path.is_file():
            # `--db /dev/null` (or a FIFO, a directory) is not a database:
            # an empty device used to count as a new file and was chmod-ed
            # to 0600, which as root breaks /dev/null for everyone (issue 7).
            raise StoreError("not_a_file", path=path)
        is_new = not exists or path.stat().st_size == 0
    except OSError as exc:
        raise StoreError("unreadable", path=path, reason=exc.strerror or exc) from None
    if is_new and not create:
        raise StoreError("missing", path=path)
    if not is_new:
        _check_header(path)
    else:
        _create_private_file(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError("unreadable", path=path, reason=exc) from None
    try:
        applied = _applied_migrations(conn)
        current = set(applied) == set(schema.SCHEMA)
        if not current:
            from sqlite_utils import Database

            _check_ownership(Database(conn, execute_plugins=False), path)
        # Before anything can change the file (WAL, a migration): a newer
        # nachhaken's file or a damaged one is left byte for byte as it was.
        _check_version(applied, path)
        _check_tables(conn, applied, path)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if not current:
            _migrate(Database(conn, execute_plugins=False), path)
    except StoreError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError("unreadable", path=path, reason=exc) from None
    return conn


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError("unreadable", path=path, reason=exc.strerror or exc) from None
    if header != _SQLITE_HEADER:
        raise StoreError("not_sqlite", path=path)


def _create_private_file(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
    except OSError as exc:
        raise StoreError("unreadable", path=path, reason=exc.strerror or exc) from None


def _applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of nachhaken's migrations the file records as applied, in order.

    Plain SQL on sqlite-utils' `_sqlite_migrations` table, so that opening an
    up-to-date database (every start but the first after an upgrade) needs
    no sqlite-utils. A file without that table (new, foreign, or worse)
    records none; the full checks of `_check_ownership` and `_migrate` say
    which it is.
    """
    try:
        names = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
        ).fetchall()
    except sqlite3.Error:
        return []
    return [name for (name,) in names]


def _check_version(applied: list[str], path: Path) -> None:
    """Refuse a file that records migrations this version does not know: a newer nachhaken wrote it."""
    unknown = [name for name in applied if name not in schema.SCHEMA]
    if unknown:
        raise StoreError("newer", path=path, names=", ".join(unknown))


def _check_tables(conn: sqlite3.Connection, applied: list[str], path: Path) -> None:
    """Refuse a file that lacks a table one of its applied migrations made: it is damaged.

    Otherwise the first read of that table would fail deep inside a command,
    as an unexpected error instead of the user's situation to fix.
    """
    expected = [table for name in applied for table in schema.MIGRATION_TABLES.get(name, ())]
    if not expected:
        return
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if missing := [table for table in expected if table not in present]:
        raise StoreError("missing_table", path=path, tables=", ".join(missing))


def _check_ownership(db: Database, path: Path) -> None:
    """Refuse SQLite files that hold other tables and no nachhaken history."""
    from nachhaken_tui.core.db.migrations import migrations

    tables = set(db.table_names())
    if not tables:
        return
    if migrations.migrations_table in tables:
        sets = {
            row[0] for row in db.execute(f"SELECT DISTINCT migration_set FROM {migrations.migrations_table}")
        }
        if MIGRATION_SET in sets:
            return
    raise StoreError("foreign", path=path)


def _migrate(db: Database, path: Path) -> None:
    from sqlite_utils import Database

    from nachhaken_tui.core.db.migrations import migrations

    # Everything this version knows is what an empty database would still need.
    every = [m.name for m in migrations.pending(Database(memory=True, execute_plugins=False))]
    if tuple(every) != schema.SCHEMA:
        raise RuntimeError(
            f"schema.SCHEMA is {schema.SCHEMA}, core.db.migrations has {tuple(every)}: list every migration in "
            "schema.SCHEMA (a current file is recognised by it without importing sqlite-utils)"
        )
    applied = [m.name for m in migrations.applied(db)]
    pending = migrations.pending(db)
    if not pending:
        return
    if applied:
        _backup_before_migration(db, path, pending[0].name)
    migrations.apply(db)


def _backup_before_migration(db: Database, path: Path, migration: str) -> None:
    """Copy the file beside itself before `migration` (the first still to run) changes it.

    Named after that migration (`nachhaken.db.before-migration-m003_closed_index`):
    the copy holds the file as it was before m003 ran, i.e. with m001 and m002
    applied. (It used to be named after the last applied migration, which read
    like a copy from before that one.)
    """
    target = path.with_name(f"{path.name}.before-migration-{migration}")
    _create_private_file(target)
    backup = sqlite3.connect(target)
    try:
        db.conn.backup(backup)
    finally:
        backup.close()
