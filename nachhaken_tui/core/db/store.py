"""The SQLite store: opening a file safely, and every read and write of offers.

Only this module writes SQL against the offer tables, so the UI and the CLI
never see a cursor; the inbox's reads (views, search, order, pages) are in
`core.db.inbox`, mixed into `Store`. Opening a file:

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

Reads and writes have connections of their own (see `Store`): the TUI reads
on the UI thread while its save worker waits for another program's lock.

Every change that touches more than one row runs in one transaction
(`Database.atomic`), so a call is saved whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.db.inbox import InboxReads, register_search_function
from nachhaken_tui.core.db.schema import MIGRATION_SET
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.models import (
    Answer,
    CallDraft,
    CallRecord,
    Contact,
    DueKind,
    Offer,
    OfferDraft,
    Outcome,
    Reached,
    Status,
)
from nachhaken_tui.core.schedule.cadence import Cadence, Placement
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.db import Table

__all__ = [
    "BUSY_TIMEOUT_MS",
    "QUIET_WAIT_MS",
    "ImportOutcome",
    "Store",
    "StoreError",
    "new_row_id",
    "now_iso",
    "storage_error",
]

BUSY_TIMEOUT_MS = 10_000
QUIET_WAIT_MS = 250
"""A write that finds the file locked waits this long before it says so (see `Store.reporting_waits`)."""
SCHEMA = (
    "m001_initial",
    "m002_call_blocks",
    "m003_closed_index",
    "m004_call_memory",
    "m005_coaching",
    "m006_validity_away",
    "m007_reference_views",
)
"""Every migration in `core.db.migrations`, in order: a file whose record says exactly
these is current and opens without sqlite-utils (see `Store.open`). Append a new
migration's name here; opening a new database checks that the two agree."""
MIGRATION_TABLES = {"m001_initial": ("offers", "calls", "answers"), "m002_call_blocks": ("blocks",)}
"""The tables each migration creates: a file that records the migration must have them."""
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


def new_row_id(table: Table) -> int:
    """The id of the row `table.insert(...)` has just written."""
    if table.last_pk is None:
        raise RuntimeError(f"no row was inserted into {table.name}")
    return int(table.last_pk)


def now_iso() -> str:
    """The current time as ISO-8601 with the local offset, to the second."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class ImportOutcome:
    """What a bulk insert did: how many rows were new and which were known."""

    def __init__(self) -> None:
        self.inserted = 0
        self.duplicates: list[int] = []
        """Indexes (into the input) of offers already present."""


class Store(InboxReads):
    """One open nachhaken database.

    Use `Store.open(path)`. Reads and writes have connections of their own,
    as in Datasette: one for reads, and one for the single writer, opened on
    the first write. WAL lets the reads go on while a write (ours, in the
    TUI's save worker, or another program's) holds the file's write lock,
    so the UI thread never waits for a save. Each connection has its own
    lock, so the store is safe to share between the UI thread and a worker.
    Reads made inside a write, on the thread that writes, go to the writer
    connection and see that write's own changes. The inbox's reads (`page`,
    `count`, `due_page`, `next_upcoming`) come from `InboxReads`
    (core.db.inbox).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None, cadence: Cadence):
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
        self.cadence = cadence
        self.load_away()

    def load_away(self) -> None:
        """Give the cadence's calendar the user's time away (`absences`), so it counts those days off.

        Called on open and after every change to `absences`; the screen calls
        it again when another process changed the file.
        """
        with self._lock:
            periods = self.conn.execute("SELECT starts_on, ends_on FROM absences").fetchall()
        self.cadence.calendar.set_away(
            (dt.date.fromisoformat(start), dt.date.fromisoformat(end)) for start, end in periods
        )

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
                    conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
                    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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

    # ----------------------------------------------------------------- open

    @classmethod
    def open(cls, path: Path | str, cadence: Cadence | None = None, *, create: bool = True) -> Store:
        """Open the database at `path` and migrate it.

        Args:
            path: the database file.
            cadence: the follow-up rules (the default cadence if None).
            create: make the file (and its folders) when there is none yet.
                False for commands that only read or change existing offers
                (`due`, `export`, `backup` …): a mistyped `--db` must not
                quietly become a new, empty database. An empty (0-byte) file
                counts as no database then, and is left as it is.

        Raises:
            StoreError: the file is not SQLite, not nachhaken's, from a newer
                version, or cannot be opened; or (`create=False`) there is no
                database at `path`. The file is left as it was.
        """
        path = Path(path)
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
            current = set(applied) == set(SCHEMA)
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
        return cls(conn, path, cadence or Cadence())

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
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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

    # --------------------------------------------------------------- writes

    def add_offer(self, draft: OfferDraft, *, currency: str = "EUR") -> int:
        """Insert one open offer, first due by the cadence; returns its id."""
        with self.transaction():
            return self._insert_offer(draft, currency, now_iso())

    def add_offers(
        self,
        drafts: Iterable[OfferDraft],
        *,
        currency: str = "EUR",
        skip_duplicates: bool = True,
        progress: Callable[[int], None] | None = None,
        closing: Mapping[int, tuple[str, str | None]] | None = None,
    ) -> ImportOutcome:
        """Insert many offers in one transaction (all or nothing).

        Args:
            drafts: validated offers.
            currency: used where an offer names none.
            skip_duplicates: leave out offers whose client, title and sent_on
                are already present (so importing a file twice adds nothing).
            progress: called with the number of offers handled so far.
            closing: index into `drafts` -> (won or lost, loss reason) for
                offers that arrive closed (an import from a CRM).
        """
        result = ImportOutcome()
        stamp = now_iso()
        with self.transaction():
            seen: set[tuple[str, str, str]] = set()
            for index, draft in enumerate(drafts):
                identity = (draft.client, draft.title, draft.sent_on.isoformat())
                if skip_duplicates and (identity in seen or self._offer_exists(*identity)):
                    result.duplicates.append(index)
                else:
                    self._insert_offer(draft, currency, stamp, (closing or {}).get(index))
                    result.inserted += 1
                seen.add(identity)
                if progress is not None:
                    progress(index + 1)
        return result

    def record_call(
        self, offer_id: int, draft: CallDraft, *, today: dt.date, ended_at: str | None = None
    ) -> int:
        """Save one attempt and the offer's new state together; returns the call id.

        Args:
            offer_id: the offer called about.
            draft: what the attempt produced.
            today: the day of the attempt (the cadence counts from it).
            ended_at: when the call ended (ISO with offset); now by default.
                Demo data passes past times.

        Raises:
            StoreError: no such offer, or it is not open.
            ValueError: an outcome that needs a date came without one.
        """
        ended = ended_at or now_iso()
        with self.transaction() as db:
            before = self._offer_row(offer_id)
            offer = Offer.from_row(before) if before else None
            if offer is None:
                raise StoreError("no_offer", offer_id=offer_id)
            if offer.status is not Status.OPEN:
                raise StoreError("not_open", offer_id=offer_id, status=offer.status.value)
            if draft.valid_until is not None:
                state = self.cadence.after_extension(offer, today, draft.valid_until)
            else:
                state = self.cadence.after_outcome(
                    draft.outcome,
                    attempts=offer.attempts,
                    today=today,
                    agreed=draft.next_due,
                    valid_until=offer.valid_until,
                    client_away=draft.client_away,
                )
            calls = db.table("calls")
            calls.insert(
                {
                    "offer_id": offer_id,
                    "started_at": draft.started_at or ended,
                    "ended_at": ended,
                    "reached": draft.reached.value if draft.reached else None,
                    "outcome": draft.outcome.value,
                    "next_due": _iso(state.next_due),
                    "loss_reason": draft.loss_reason,
                    "fear": draft.fear,
                    "hesitation_before": draft.hesitation_before,
                    "hesitation_after": draft.hesitation_after,
                    "fear_came_true": None if draft.fear_came_true is None else int(draft.fear_came_true),
                    "fear_likelihood": draft.fear_likelihood,
                    "coaching": draft.coaching,
                    "notes": draft.notes,
                    "block_id": draft.block_id,
                    "offer_before": json.dumps(before),
                }
            )
            call_id = new_row_id(calls)
            db.table("answers").insert_all(
                {
                    "call_id": call_id,
                    "position": position,
                    "step": answer.step,
                    "question": answer.question,
                    "answer": answer.answer,
                }
                for position, answer in enumerate(draft.answers, start=1)
            )
            changes: dict[str, object] = {
                "status": state.status.value,
                "next_due": _iso(state.next_due),
                "due_kind": state.due_kind.value if state.due_kind else None,
                "due_cause": state.due_cause.value if state.due_cause else None,
                "due_planned": _iso(state.due_planned),
                "attempts": state.attempts,
                "updated_at": ended,
            }
            if state.status is not Status.OPEN:
                changes["closed_at"] = ended
            if draft.outcome is Outcome.LOST:
                changes["loss_reason"] = draft.loss_reason
            if draft.valid_until is not None:
                changes["valid_until"] = draft.valid_until.isoformat()
            changes.update(
                _call_memory(offer, draft, state.next_due, today, still_open=state.status is Status.OPEN)
            )
            db.table("offers").update(offer_id, changes)
            return call_id

    def update_offer(
        self, offer_id: int, draft: OfferDraft, *, today: dt.date | None = None
    ) -> tuple[dict, str]:
        """Replace an offer's own facts (client, title, dates, value, validity, notes …).

        Status, next_due and attempts belong to the cadence and stay; only a
        changed `sent_on` of an offer still waiting for its first follow-up
        moves its first due date, and a changed validity places an open
        offer's date again (see `Cadence.replace`).

        Returns:
            the row as it was before and the stamp written (see `change_offer`).

        Raises:
            StoreError: no such offer.
        """
        today = today or dt.date.today()
        with self.transaction() as db:
            before = self._offer_row(offer_id)
            if before is None:
                raise StoreError("no_offer", offer_id=offer_id)
            offer = Offer.from_row(before)
            changes: dict[str, object] = {
                "client": draft.client,
                "contact": draft.contact,
                "phone": draft.phone,
                "email": draft.email,
                "title": draft.title,
                "value_cents": draft.value_cents,
                "currency": draft.currency or offer.currency,
                "sent_on": draft.sent_on.isoformat(),
                "first_talk_on": _iso(draft.first_talk_on),
                "valid_until": _iso(draft.valid_until),
                "notes": draft.notes,
                "reference": draft.reference,
                "salutation": draft.salutation,
                "updated_at": now_iso(),
            }
            if (draft.phone or None) != (offer.phone or None):
                changes["phone_wrong"] = 0  # a new number is no longer the known-wrong one
            moved = (
                offer.status is Status.OPEN
                and offer.due_kind is DueKind.FIRST
                and draft.sent_on != offer.sent_on
            )
            if moved:
                placed = self.cadence.first_placement(draft.sent_on, draft.valid_until)
            elif offer.status is Status.OPEN and offer.next_due and draft.valid_until != offer.valid_until:
                placed = self.cadence.replace(replace(offer, valid_until=draft.valid_until), today)
            else:
                placed = None
            if placed is not None:
                changes.update(_placement_columns(placed))
            db.table("offers").update(offer_id, changes)
            return before, str(changes["updated_at"])

    def archive(self, offer_id: int) -> tuple[dict, str]:
        """Put an offer away: it leaves every inbox view but Closed.

        Returns:
            the offer's row as it was before, read in the same transaction
            (what `core.db.undo` restores), and the `updated_at` written.
        """
        stamp = now_iso()
        return self.change_offer(
            offer_id,
            {
                "status": Status.ARCHIVED.value,
                "next_due": None,
                "due_kind": None,
                "due_cause": None,
                "due_planned": None,
                "closed_at": stamp,
                "updated_at": stamp,
            },
        )

    def reopen(self, offer_id: int, today: dt.date) -> tuple[dict, str]:
        """Make a won, lost or archived offer open again, due today; marked as reopened.

        Returns:
            the offer's row as it was before and the stamp (see `archive`).

        Raises:
            StoreError: no such offer.
        """
        stamp = now_iso()
        return self.change_offer(
            offer_id,
            {
                "status": Status.OPEN.value,
                "next_due": self.cadence.calendar.add_business_days(today, 0).isoformat(),
                "due_kind": DueKind.AGREED.value,
                "due_cause": None,
                "due_planned": None,
                "closed_at": None,
                "loss_reason": None,
                "reopened_at": stamp,
                "updated_at": stamp,
            },
        )

    def change_offer(self, offer_id: int, changes: dict[str, object]) -> tuple[dict, str]:
        """Apply `changes` (with its `updated_at`) to one offer's row.

        The old row is read in the same transaction as the change, so what an
        undo restores is exactly what the change replaced.

        Returns:
            the row as it was before, and the `updated_at` written.

        Raises:
            StoreError: no such offer.
        """
        with self.transaction() as db:
            before = self._offer_row(offer_id)
            if before is None:
                raise StoreError("no_offer", offer_id=offer_id)
            db.table("offers").update(offer_id, changes)
            return before, str(changes["updated_at"])

    def _offer_row(self, offer_id: int) -> dict | None:
        rows = self._query("SELECT * FROM offers WHERE id = ?", [offer_id])
        return rows[0] if rows else None

    def _insert_offer(
        self, draft: OfferDraft, currency: str, stamp: str, closed: tuple[str, str | None] | None = None
    ) -> int:
        placed = self.cadence.first_placement(draft.sent_on, draft.valid_until)
        offers = self.db.table("offers")
        offers.insert(
            {
                "client": draft.client,
                "contact": draft.contact,
                "phone": draft.phone,
                "email": draft.email,
                "title": draft.title,
                "value_cents": draft.value_cents,
                "currency": draft.currency or currency,
                "sent_on": draft.sent_on.isoformat(),
                "first_talk_on": _iso(draft.first_talk_on),
                "status": Status.OPEN.value,
                "valid_until": _iso(draft.valid_until),
                "due_kind": DueKind.FIRST.value,
                **_placement_columns(placed),
                "attempts": 0,
                "notes": draft.notes,
                "reference": draft.reference,
                "salutation": draft.salutation,
                "created_at": stamp,
                "updated_at": stamp,
                **_closed_columns(closed, stamp),
            }
        )
        return new_row_id(offers)

    def _offer_exists(self, client: str, title: str, sent_on: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM offers WHERE client = ? AND title = ? AND sent_on = ? LIMIT 1",
            [client, title, sent_on],
        ).fetchone()
        return row is not None

    # ---------------------------------------------------------------- reads

    def read(self, sql: str, params: dict | list | tuple = ()) -> list[dict]:
        """Rows of a read-only query, for core modules with questions of their own
        (block summaries, statistics) that the store need not know about."""
        with self._lock:
            return self._query(sql, params)

    def get_offer(self, offer_id: int) -> Offer | None:
        """One offer by id, or None."""
        with self._lock:
            rows = self._query("SELECT * FROM offers WHERE id = ?", [offer_id])
        return Offer.from_row(rows[0]) if rows else None

    def count_offers(self) -> int:
        """All offers in the file, whatever their status."""
        with self._lock:
            return int(self.conn.execute("SELECT count(*) FROM offers").fetchone()[0])

    def count_due(self, today: dt.date) -> int:
        """Open offers whose follow-up is due on or before `today`."""
        with self._lock:
            return int(
                self.conn.execute(
                    "SELECT count(*) FROM offers WHERE status = 'open' AND next_due <= ?",
                    [today.isoformat()],
                ).fetchone()[0]
            )

    def calls_for(self, offer_id: int) -> list[CallRecord]:
        """An offer's calls, newest first."""
        with self._lock:
            rows = self._query(
                "SELECT * FROM calls WHERE offer_id = ? ORDER BY ended_at DESC, id DESC", [offer_id]
            )
        return [
            CallRecord(
                id=row["id"],
                offer_id=row["offer_id"],
                started_at=row["started_at"],
                ended_at=row["ended_at"],
                reached=row["reached"],
                outcome=row["outcome"],
                next_due=row["next_due"],
                loss_reason=row["loss_reason"],
                notes=row["notes"],
            )
            for row in rows
        ]

    def history(self, offer_id: int) -> list[tuple[dict, list[Answer]]]:
        """An offer's calls, newest first, each with its answers in order.

        Returns rows of `calls` as dicts (every column, for the timeline)
        paired with their answers.
        """
        with self._lock:
            calls = self._query(
                "SELECT * FROM calls WHERE offer_id = ? ORDER BY ended_at DESC, id DESC", [offer_id]
            )
            answers: dict[int, list[Answer]] = {call["id"]: [] for call in calls}
            for row in self._query(
                "SELECT a.call_id, a.step, a.question, a.answer FROM answers a "
                "JOIN calls c ON c.id = a.call_id WHERE c.offer_id = ? ORDER BY a.call_id, a.position",
                [offer_id],
            ):
                answers[row["call_id"]].append(Answer(row["step"], row["question"], row["answer"]))
        return [(call, answers[call["id"]]) for call in calls]

    def contacts(self) -> list[Contact]:
        """The contacts a vCard import kept, by name, for the offer form to suggest."""
        with self._lock:
            rows = self._query(
                "SELECT name, organisation, phone, email FROM contacts ORDER BY name, organisation"
            )
        return [Contact(**row) for row in rows]

    def iter_rows(self, table: str) -> Iterator[dict]:
        """Every row of `offers`, `calls` or `answers` by id, for export."""
        if table not in ("offers", "calls", "answers"):
            raise ValueError(table)
        with self._lock:
            cursor = self.conn.execute(f"SELECT * FROM {table} ORDER BY id")
            keys = [column[0] for column in cursor.description]
            for row in cursor:
                yield dict(zip(keys, row, strict=True))


def _closed_columns(closed: tuple[str, str | None] | None, stamp: str) -> dict:
    """The columns of an offer that arrives closed (won or lost, from an import); none for an open one."""
    if closed is None:
        return {}
    status, reason = closed
    return {
        "status": status,
        "next_due": None,
        "due_kind": None,
        "due_cause": None,
        "due_planned": None,
        "loss_reason": reason,
        "closed_at": stamp,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _placement_columns(placed: Placement) -> dict[str, str | None]:
    """`next_due`, `due_cause` and `due_planned` as stored, from where the cadence placed a follow-up."""
    return {
        "next_due": placed.next_due.isoformat(),
        "due_cause": placed.cause.value if placed.cause else None,
        "due_planned": _iso(placed.planned),
    }


def _call_memory(
    offer: Offer, draft: CallDraft, next_due: dt.date | None, today: dt.date, *, still_open: bool
) -> dict[str, object]:
    """What a call changes in the offer's memory between calls (columns of m004).

    - Every call (a snooze too) ends "reopened"; every call but a snooze ends
      "after the revised offer".
    - "revise": the agreed date is the day the revised offer is promised by.
    - "wrong number": a new number given is saved (the old one stays in the
      answers); without one, the number is marked wrong and no retry is
      planned on it: the offer is due today, to find the right number (if
      the call left it open: a won or lost offer has no next date).
    """
    changes: dict[str, object] = {"reopened_at": None}
    if draft.outcome is not Outcome.SNOOZED:
        changes["revised_sent_on"] = None
    changes["revise_by"] = _iso(next_due) if draft.outcome is Outcome.REVISE else None
    if draft.phone:
        changes["phone"] = draft.phone
        changes["phone_wrong"] = 0
    elif draft.reached is Reached.WRONG_NUMBER:
        changes["phone_wrong"] = 1
        if still_open:
            changes["next_due"] = today.isoformat()
    return changes


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
    unknown = [name for name in applied if name not in SCHEMA]
    if unknown:
        raise StoreError("newer", path=path, names=", ".join(unknown))


def _check_tables(conn: sqlite3.Connection, applied: list[str], path: Path) -> None:
    """Refuse a file that lacks a table one of its applied migrations made: it is damaged.

    Otherwise the first read of that table would fail deep inside a command,
    as an unexpected error instead of the user's situation to fix.
    """
    expected = [table for name in applied for table in MIGRATION_TABLES.get(name, ())]
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
    if tuple(every) != SCHEMA:
        raise RuntimeError(
            f"store.SCHEMA is {SCHEMA}, core.db.migrations has {tuple(every)}: list every migration in "
            "store.SCHEMA (a current file is recognised by it without importing sqlite-utils)"
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
