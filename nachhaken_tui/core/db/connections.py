"""The store's two connections, one for reads and one for the single writer, and its transactions.

Apart from the store because this is how the store talks to the file, not
what it says: reads and writes have connections of their own, so the TUI
reads on the UI thread while its save worker waits for another program's
lock. Every change that touches more than one row runs in one transaction
(`Connections.transaction`), so a call is saved whole or not at all.
`Store` (core.db.store) is a `Connections`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.db import opening
from nachhaken_tui.core.db.inbox import register_search_function
from nachhaken_tui.core.db.opening import StoreError, storage_error

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["QUIET_WAIT_MS", "Connections"]

QUIET_WAIT_MS = 250
"""A write that finds the file locked waits this long before it says so (see `Store.reporting_waits`)."""


class Connections:
    """The read connection and the writer connection of one open database, each with its own lock.

    The writer connection is opened on the first write. Reads made inside a
    write, on the thread that writes, go to the writer connection and see
    that write's own changes.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self._read_conn = conn
        self._read_lock = threading.RLock()
        self._write_conn: sqlite3.Connection | None = None
        self._write_lock = threading.RLock()
        self._writing_thread: int | None = None
        """The thread inside `_writing`, if any: its reads go to the writer connection."""
        self._waits = threading.local()
        """Per thread: whom to tell when a write waits for another program (see `reporting_waits`)."""
        self._db: Database | None = None
        register_search_function(conn)
        self.path = path

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection this thread reads through: the read connection,
        or the writer's while this thread is writing (to see its own changes)."""
        if self._writing_thread == threading.get_ident():
            return self._writer()
        return self._read_conn

    @property
    def _lock(self) -> threading.RLock:
        """The lock that goes with `conn`; hold it around every use of `conn`."""
        if self._writing_thread == threading.get_ident():
            return self._write_lock
        return self._read_lock

    def _writer(self) -> sqlite3.Connection:
        """The writer connection, opened on first use (`nachhaken due` never writes)."""
        with self._write_lock:
            if self._write_conn is None:
                if self.path is None:
                    raise ValueError("a store without a file has no writer connection")
                try:
                    conn = sqlite3.connect(
                        self.path, timeout=opening.BUSY_TIMEOUT_MS / 1000, check_same_thread=False
                    )
                    conn.execute(f"PRAGMA busy_timeout = {opening.BUSY_TIMEOUT_MS}")
                    conn.execute("PRAGMA foreign_keys = ON")
                except sqlite3.Error as exc:
                    raise storage_error(exc, self.path) or StoreError(
                        "unreadable", path=self.path, reason=exc
                    ) from None
                register_search_function(conn)
                self._write_conn = conn
            return self._write_conn

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The writer connection, for this thread alone until the block ends."""
        with self._write_lock:
            outermost = self._writing_thread is None
            self._writing_thread = threading.get_ident()
            try:
                yield self._writer()
            finally:
                if outermost:
                    self._writing_thread = None

    @property
    def db(self) -> Database:
        """The writer connection as a sqlite-utils `Database`, for writes.

        Made on first use: importing sqlite-utils costs 25 ms and 4.5 MB, a
        tenth of the TUI's startup and a third of `nachhaken due`. Reads go
        through the plain read connection (`_query`), so they never pay for it.
        """
        if self._db is None:
            with self._write_lock:
                if self._db is None:
                    from sqlite_utils import Database

                    self._db = Database(self._writer(), execute_plugins=False)
        return self._db

    def _query(self, sql: str, params: dict | list | tuple = ()) -> list[dict]:
        """Rows of a SELECT as dicts, on this thread's connection (`conn`); call with `_lock` held."""
        cursor = self.conn.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        return [dict(zip(keys, row, strict=True)) for row in cursor]

    def close(self) -> None:
        """Close both connections (the last one to close checkpoints the WAL)."""
        with self._write_lock:
            if self._write_conn is not None:
                self._write_conn.close()
        with self._read_lock:
            self._read_conn.close()

    @contextmanager
    def reporting_waits(self, waiting: Callable[[], None]) -> Iterator[None]:
        """Writes on this thread, inside the block, call `waiting` when they find
        the file locked by another program, before they wait for it.

        The TUI's save worker uses it to say "waiting for another program"
        while the UI goes on; a lock let go within `QUIET_WAIT_MS` goes unmentioned.
        """
        previous = getattr(self._waits, "report", None)
        self._waits.report = waiting
        try:
            yield
        finally:
            self._waits.report = previous

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of work on the writer connection; everything inside commits or none of it.

        The outermost level starts with BEGIN IMMEDIATE: it takes the write
        lock up front, waiting out other writers with the busy timeout. A
        deferred BEGIN would read first and then fail at once with "database
        is locked" when it tries to write after another process has.
        Nested levels are savepoints (sqlite-utils' `atomic`).
        """
        with self._writing() as conn:
            db = self.db
            if conn.in_transaction:
                with db.atomic():
                    yield db
                return
            try:
                self._begin(conn)
            except sqlite3.Error as exc:
                raise storage_error(exc, self.path) or exc from None
            try:
                yield db
                self._before_commit(conn)
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.rollback()
                # A full disk or a read-only file surfaces here as an
                # OperationalError from whichever statement hit it; the user
                # gets one line saying so instead of a crash (issue 7).
                if (problem := storage_error(exc, self.path)) is not None:
                    raise problem from None
                raise

    def _before_commit(self, conn: sqlite3.Connection) -> None:
        """Called at the end of every outermost transaction, inside it, just before COMMIT.

        Where the store keeps what is derived from its own rules right (the
        due ranks, see `Store._before_commit`), in the same transaction as
        the change that called for it.
        """

    def _begin(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE, telling whoever `reporting_waits` named if the lock is not free at once."""
        waiting = getattr(self._waits, "report", None)
        if waiting is not None:
            conn.execute(f"PRAGMA busy_timeout = {QUIET_WAIT_MS}")
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
            finally:
                conn.execute(f"PRAGMA busy_timeout = {opening.BUSY_TIMEOUT_MS}")
            waiting()
        conn.execute("BEGIN IMMEDIATE")

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """The writer connection, held for the caller alone (backup, VACUUM).

        Reads the caller makes through the store meanwhile, on this thread,
        use it too.
        """
        with self._writing() as conn:
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection inside one read transaction: every query sees the same state.

        Statistics and exports read many tables; a write landing between two
        of their queries would make the figures disagree.
        """
        with self._lock:
            conn = self.conn
            own = not conn.in_transaction
            if own:
                conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if own:
                    conn.execute("COMMIT")

    def data_version(self) -> int:
        """Changes by other connections (another program's, or our own writer's) bump this; cheap to poll."""
        with self._lock:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
