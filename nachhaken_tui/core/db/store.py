"""The SQLite store: every read and write of offers.

Only this module writes SQL against the offer tables, so the UI and the CLI
never see a cursor; the inbox's reads (views, search, order, pages) are in
`core.db.inbox`, mixed into `Store`. Opening a file safely (the checks, the
migration) is `core.db.opening`; the read and writer connections and the
transactions on them are `core.db.connections`.

Reads and writes have connections of their own (see `Store`): the TUI reads
on the UI thread while its save worker waits for another program's lock.

Every change that touches more than one row runs in one transaction
(`Database.atomic`), so a call is saved whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.db import due_rank
from nachhaken_tui.core.db.bulk import bulk_insert
from nachhaken_tui.core.db.connections import Connections
from nachhaken_tui.core.db.inbox import InboxReads
from nachhaken_tui.core.db.opening import BUSY_TIMEOUT_MS, StoreError, open_connection
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

if TYPE_CHECKING:
    from sqlite_utils.db import Table

__all__ = ["OFFER_BATCH", "Closing", "ImportOutcome", "Store", "new_row_id", "now_iso"]


def new_row_id(table: Table) -> int:
    """The id of the row `table.insert(...)` has just written."""
    if table.last_pk is None:
        raise RuntimeError(f"no row was inserted into {table.name}")
    return int(table.last_pk)


Closing = tuple[str, str | None]
"""How an offer arrives closed (an import from a CRM): won or lost, and the loss reason."""

OFFER_BATCH = 1000
"""Offers written with one INSERT in a bulk insert (`Store.adding_offers`)."""
_BULK_CACHE_KIB = 16 * 1024
"""SQLite's page cache during a bulk insert (instead of its 2 MiB): more of the indexes
stay in memory instead of going back and forth to the WAL, about a fifth of the
insert's time at 100,000 offers. Bounded, so a million rows take no more memory."""


def now_iso() -> str:
    """The current time as ISO-8601 with the local offset, to the second."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class ImportOutcome:
    """What a bulk insert did: how many rows were new and which were known."""

    def __init__(self) -> None:
        self.inserted = 0
        self.duplicates: list[int] = []
        """Indexes (into the input) of offers already present."""


class Store(Connections, InboxReads):
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
        super().__init__(conn, path)
        self.cadence = cadence
        self.load_away()
        self._rerank_if_stale()

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

    def _before_commit(self, conn: sqlite3.Connection) -> None:
        """Every write transaction ends with the due ranks in step with this store's calendar (`core.db.due_rank`)."""
        due_rank.refresh_due_ranks(conn, self.cadence.calendar)

    def _rerank_if_stale(self) -> None:
        """Re-rank the due offers now if the file's ranks were computed with another calendar.

        After an upgrade (m008 ranks weekends only) or a change of country,
        region or time away in another program. Only if the file can be
        written at once: a read-only file, or one another program is writing
        to, is read as it is (the Due view then shows the same offers, at
        worst in an order a day off) and the next write puts it right.
        """
        with self._lock:
            if self.path is None or due_rank.ranks_current(self.conn, self.cadence.calendar):
                return
        try:
            with self._writing() as conn:
                conn.execute("PRAGMA busy_timeout = 0")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        due_rank.refresh_due_ranks(conn, self.cadence.calendar)
                        conn.execute("COMMIT")
                    except BaseException:
                        conn.rollback()
                        raise
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except (sqlite3.Error, StoreError):
            pass

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
        return cls(open_connection(path, create=create), path, cadence or Cadence())

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
        closing: Mapping[int, Closing] | None = None,
    ) -> ImportOutcome:
        """Insert many offers in one transaction (all or nothing).

        Args:
            drafts: validated offers; read as they come, `OFFER_BATCH` at a time.
            currency: used where an offer names none.
            skip_duplicates: leave out offers whose client, title and sent_on
                are already present (so importing a file twice adds nothing).
            progress: called with the number of offers handled so far, after each batch.
            closing: index into `drafts` -> (won or lost, loss reason) for
                offers that arrive closed (an import from a CRM).
        """
        result = ImportOutcome()
        closed = closing or {}
        with self.adding_offers(currency=currency, skip_duplicates=skip_duplicates) as add:
            offers = iter(drafts)
            done = 0
            while batch := list(islice(offers, OFFER_BATCH)):
                known = add([(draft, closed.get(done + index)) for index, draft in enumerate(batch)])
                result.duplicates.extend(done + index for index in known)
                result.inserted += len(batch) - len(known)
                done += len(batch)
                if progress is not None:
                    progress(done)
        return result

    @contextmanager
    def adding_offers(
        self, *, currency: str = "EUR", skip_duplicates: bool = True
    ) -> Iterator[Callable[[Sequence[tuple[OfferDraft, Closing | None]]], list[int]]]:
        """One transaction that adds new offers batch by batch: `add(batch)` inserts a
        batch and returns the positions in it of the offers already present.

        For imports of any size: a batch costs one query for its duplicates
        (by the `offers_identity` index; the offers of earlier batches are in
        the file by then) and one INSERT of all its rows. One statement, not
        an `executemany` of one per row: SQLite opens a statement savepoint
        for each statement, and FTS5 (a search index kept by a trigger)
        writes its pending terms out at every savepoint, which made a row
        several times as dear. Nothing is kept between batches but the
        follow-up dates already worked out (and SQLite's page cache,
        `_BULK_CACHE_KIB`). The search index and the due rank are filled
        once at the end (`bulk_insert`), not by their triggers row by row.
        Leaving the block by an exception rolls every batch back.

        Args:
            currency: used where an offer names none.
            skip_duplicates: leave out offers whose client, title and sent_on
                are already present, in the file or earlier in the same batch.
        """
        stamp = now_iso()
        first_due = lru_cache(maxsize=4096)(_first_due(self.cadence))  # a few thousand sent dates
        with self.transaction():
            conn = self.conn
            (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
            conn.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")

            per_statement = max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(_OFFER_COLUMNS))

            def add(batch: Sequence[tuple[OfferDraft, Closing | None]]) -> list[int]:
                known = self._known_offers([draft for draft, _closed in batch]) if skip_duplicates else set()
                seen: set[tuple[str, str, dt.date]] = set()
                duplicates: list[int] = []
                rows: list[tuple[object, ...]] = []
                for position, (draft, closed) in enumerate(batch):
                    identity = (draft.client, draft.title, draft.sent_on)
                    if skip_duplicates and (position in known or identity in seen):
                        duplicates.append(position)
                    else:
                        rows.append(_offer_values(draft, currency, stamp, first_due, closed))
                    seen.add(identity)
                for start in range(0, len(rows), per_statement):
                    chunk = rows[start : start + per_statement]
                    conn.execute(_insert_offers(len(chunk)), [value for row in chunk for value in row])
                return duplicates

            try:
                with bulk_insert(conn):
                    yield add
            finally:
                conn.execute(f"PRAGMA cache_size = {int(cache_size)}")

    def _known_offers(self, drafts: Sequence[OfferDraft]) -> set[int]:
        """The positions in `drafts` of offers whose client, title and sent_on the file already has."""
        if not drafts:
            return set()
        values = ", ".join(["(?, ?, ?, ?)"] * len(drafts))
        params = [
            value
            for position, draft in enumerate(drafts)
            for value in (position, draft.client, draft.title, draft.sent_on.isoformat())
        ]
        rows = self.conn.execute(
            f"WITH batch (position, client, title, sent_on) AS (VALUES {values}) "
            "SELECT position FROM batch WHERE EXISTS (SELECT 1 FROM offers o "
            "WHERE o.client = batch.client AND o.title = batch.title AND o.sent_on = batch.sent_on)",
            params,
        )
        return {position for (position,) in rows}

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
        return (
            {key: value for key, value in rows[0].items() if key not in due_rank.STORE_KEPT} if rows else None
        )

    def _insert_offer(self, draft: OfferDraft, currency: str, stamp: str) -> int:
        values = _offer_values(draft, currency, stamp, _first_due(self.cadence), None)
        offer_id = self.conn.execute(_insert_offers(1), values).lastrowid
        if offer_id is None:
            raise RuntimeError("no offer was inserted")
        return offer_id

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

    def calls_for(self, offer_id: int, limit: int = -1) -> list[CallRecord]:
        """An offer's calls, newest first; only the newest `limit` of them if given
        (the card needs one, on every cursor move)."""
        with self._lock:
            rows = self._query(
                "SELECT * FROM calls WHERE offer_id = ? ORDER BY ended_at DESC, id DESC LIMIT ?",
                [offer_id, limit],
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

    def history(self, offer_id: int, limit: int = -1) -> list[tuple[dict, list[Answer]]]:
        """An offer's calls, newest first, each with its answers in order; only the
        newest `limit` calls if given (the card's last call at a glance).

        Returns rows of `calls` as dicts (every column, for the timeline)
        paired with their answers.
        """
        with self._lock:
            calls = self._query(
                "SELECT * FROM calls WHERE offer_id = ? ORDER BY ended_at DESC, id DESC LIMIT ?",
                [offer_id, limit],
            )
            answers: dict[int, list[Answer]] = {call["id"]: [] for call in calls}
            for row in self._query(
                "SELECT call_id, step, question, answer FROM answers WHERE call_id IN ("
                "SELECT id FROM calls WHERE offer_id = ? ORDER BY ended_at DESC, id DESC LIMIT ?"
                ") ORDER BY call_id, position",
                [offer_id, limit],
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
                yield {
                    key: value for key, value in zip(keys, row, strict=True) if key not in due_rank.STORE_KEPT
                }


_OFFER_COLUMNS = (
    "client",
    "contact",
    "phone",
    "email",
    "title",
    "value_cents",
    "currency",
    "sent_on",
    "first_talk_on",
    "valid_until",
    "notes",
    "reference",
    "salutation",
    "created_at",
    "updated_at",
    "attempts",
    "status",
    "due_kind",
    "next_due",
    "due_cause",
    "due_planned",
    "loss_reason",
    "closed_at",
    "due_rank",
)
"""The columns a new offer is written with, in `_offer_values`' order; the others keep their defaults.

`due_rank` is written as `next_due`, right for the business days a first
follow-up falls on; `bulk_insert` re-ranks the rows where it may not be."""


@lru_cache(maxsize=4)
def _insert_offers(rows: int) -> str:
    """An INSERT of `rows` new offers (`_OFFER_COLUMNS`, in `_offer_values`' order)."""
    one = f"({', '.join('?' * len(_OFFER_COLUMNS))})"
    return f"INSERT INTO offers ({', '.join(_OFFER_COLUMNS)}) VALUES {', '.join([one] * rows)}"


def _offer_values(
    draft: OfferDraft,
    currency: str,
    stamp: str,
    first_due: Callable[[dt.date, dt.date | None], tuple[object, ...]],
    closed: Closing | None,
) -> tuple[object, ...]:
    """A new offer's row (`_OFFER_COLUMNS`): open and due as `first_due` (`_first_due`) says, or closed.

    An offer that arrives closed (won or lost, from an import) has no next
    date, and its loss reason if it was lost.
    """
    fields = (
        draft.client,
        draft.contact,
        draft.phone,
        draft.email,
        draft.title,
        draft.value_cents,
        draft.currency or currency,
        draft.sent_on.isoformat(),
        _iso(draft.first_talk_on),
        _iso(draft.valid_until),
        draft.notes,
        draft.reference,
        draft.salutation,
        stamp,
        stamp,
        0,
    )
    if closed is not None:
        status, reason = closed
        return (*fields, status, None, None, None, None, reason, stamp, None)
    return (*fields, *first_due(draft.sent_on, draft.valid_until))


def _first_due(cadence: Cadence) -> Callable[[dt.date, dt.date | None], tuple[object, ...]]:
    """The last columns of a new open offer's row (`_OFFER_COLUMNS` from `status`), by its
    sent date and validity: when `cadence` first puts it due."""

    def columns(sent_on: dt.date, valid_until: dt.date | None) -> tuple[object, ...]:
        placed = _placement_columns(cadence.first_placement(sent_on, valid_until))
        due = (placed["next_due"], placed["due_cause"], placed["due_planned"])
        return (Status.OPEN.value, DueKind.FIRST.value, *due, None, None, placed["next_due"])

    return columns


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
