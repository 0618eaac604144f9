"""The user's data stays theirs: a consistent backup, and forgetting a contact for good.

Backup (`backup_database`) uses SQLite's online backup API on the open
connection: one step under a read lock, so the copy is one consistent state
of the file even while the TUI or another process is saving a call. It is
written beside the target, switched to a single self-contained file (no
-wal), checked to be whole and readable (`_unsound`), and only then renamed
into place, 0600.

Forgetting (`forget_offers`) deletes offers; their calls and answers go with
them (ON DELETE CASCADE), and so do the address-book contacts (from a vCard
import) that carry the offers' client, contact, phone or e-mail. A DELETE alone leaves the bytes in free pages of
the file and in the write-ahead log, so afterwards the file is rebuilt
(VACUUM, which cannot run inside a transaction) and the log is checkpointed
and truncated to zero bytes. If another process is reading the file just
then, the log cannot be truncated yet; the report says so (`compacted`).
SQLite empties and removes the log when the last connection closes, and
`forget_offers(store, [])` tries again.
Backups and copies made earlier still hold the data; the report names the
ones lying beside the database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.db.search_index import erase_deleted_from_search
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.fields import quote
from nachhaken_tui.core.safe_files import leftovers_beside, output_target, private_temporary
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    from sqlite_utils import Database

    from nachhaken_tui.core.db.store import Store

__all__ = [
    "BackupError",
    "BackupReport",
    "ForgetError",
    "ForgetReport",
    "OfferSummary",
    "backup_database",
    "default_backup_path",
    "forget_offers",
    "offers_by_id",
    "offers_of_client",
]

_MIN_TRACE = 3
"""Shorter names, phones or e-mails are not searched for in the remaining offers."""


class ForgetError(UserError):
    """What to forget cannot be found; nothing was deleted."""

    catalog = Catalog(
        {
            "no_client": {
                "de": "Kein Angebot hat den Kunden {name}; nichts wurde gelöscht.",
                "en": "No offer has the client {name}; nothing was deleted.",
            },
            "no_client_similar": {
                "de": "Kein Angebot hat genau den Kunden {name}; meintest du {similar}? Nichts wurde gelöscht.",
                "en": "No offer has exactly the client {name}; did you mean {similar}? Nothing was deleted.",
            },
            "no_offer": {
                "de": "Es gibt kein Angebot mit der Nummer {offer_id}; nichts wurde gelöscht.",
                "en": "There is no offer with id {offer_id}; nothing was deleted.",
            },
        }
    )


class BackupError(UserError):
    """The backup could not be written; an existing file at the target was left as it was."""

    catalog = Catalog(
        {
            "unwritable": {
                "de": "Die Sicherung kann nicht nach {path} geschrieben werden: {reason}",
                "en": "The backup cannot be written to {path}: {reason}",
            },
            "damaged": {
                "de": "Die Sicherung nach {path} ist fehlerhaft ({reason}) und wurde verworfen.",
                "en": "The backup to {path} came out damaged ({reason}) and was discarded.",
            },
        }
    )


_REBUILD_PROBLEMS = ("full", "busy", "readonly")
_REBUILD = Catalog(
    {
        "not_rebuilt": {
            "de": "Die Angebote sind gelöscht, aber die Datei konnte nicht neu aufgebaut werden ({why}): "
            "Teile der gelöschten Daten können noch im freien Platz von {path} und in ihrem Protokoll "
            "(-wal) stehen. Zum Abschließen {todo} und dann `nachhaken forget --finish` ausführen.",
            "en": "The offers are erased, but the file could not be rebuilt ({why}): parts of the erased "
            "data may still be in the free space of {path} and in its log (-wal). To finish, {todo}, "
            "then run `nachhaken forget --finish`.",
        },
        "why_full": {"de": "der Speicherplatz ist voll", "en": "the disk is full"},
        "todo_full": {"de": "Speicherplatz freigeben", "en": "free some disk space"},
        "why_busy": {
            "de": "ein anderes Programm hält die Datenbank gesperrt",
            "en": "another program holds the database locked",
        },
        "todo_busy": {"de": "das andere Programm schließen", "en": "close the other program"},
        "why_readonly": {"de": "die Datei ist schreibgeschützt", "en": "the file is read-only"},
        "todo_readonly": {"de": "die Datei beschreibbar machen", "en": "make the file writable"},
        "why_other": {"de": "ein Lese- oder Schreibfehler", "en": "an error reading or writing it"},
        "todo_other": {"de": "den Datenträger prüfen", "en": "check the disk"},
    }
)
"""The words for a forget whose rebuild failed, shared by the command and the app."""


@dataclass(frozen=True, slots=True)
class OfferSummary:
    """An offer as a forget listing shows it (only what identifies it)."""

    id: int
    client: str
    title: str
    sent_on: dt.date
    status: str
    calls: int
    answers: int


@dataclass(frozen=True, slots=True)
class ForgetReport:
    """What `forget_offers` erased and whether any trace may remain."""

    offers: list[OfferSummary]
    compacted: bool
    """The file was rebuilt and the write-ahead log truncated: no byte of the data is left in them."""
    still_mentioned: list[int] = field(default_factory=list)
    """Remaining offers whose fields, calls or answers mention a forgotten name, phone or e-mail."""
    backups: list[Path] = field(default_factory=list)
    """Backups beside the database, made earlier, that may still hold the data."""
    leftovers: list[Path] = field(default_factory=list)
    """Temporary copies beside the database that a killed backup or export left behind."""
    unfinished: str | None = None
    """Why the file could not be rebuilt ("full", "busy", "readonly", ...); None if it was."""

    def unfinished_message(self, lang: str, path: Path | str | None) -> str:
        """What was done and what is still to do when the rebuild failed ("" when it did not)."""
        if self.unfinished is None:
            return ""
        kind = self.unfinished if self.unfinished in _REBUILD_PROBLEMS else "other"
        why, todo = (_REBUILD.text(lang, f"{part}_{kind}") for part in ("why", "todo"))
        return _REBUILD.text(lang, "not_rebuilt", why=why, todo=todo, path=path)

    @property
    def calls(self) -> int:
        """Calls erased with the offers."""
        return sum(offer.calls for offer in self.offers)

    @property
    def answers(self) -> int:
        """Script answers erased with the calls."""
        return sum(offer.answers for offer in self.offers)


@dataclass(frozen=True, slots=True)
class BackupReport:
    """Where a backup went and what it holds."""

    path: Path
    offers: int
    calls: int
    """Calls as `nachhaken stats` counts them: every row of `calls` but snoozes."""
    snoozes: int = 0
    """Rows of `calls` that only moved a date (a snooze, a close-the-loop e-mail)."""


def offers_of_client(store: Store, name: str) -> list[OfferSummary]:
    """Every offer whose client is `name` (case and spacing do not count).

    Only an exact name matches, since what matches is erased; similar names
    are offered in the error instead.

    Raises:
        ForgetError: no client has that name.
    """
    wanted = _folded(name)
    rows = [(row["id"], row["client"]) for row in store.read("SELECT id, client FROM offers")]
    ids = [offer_id for offer_id, client in rows if _folded(client) == wanted]
    if not ids:
        similar = sorted({client for _, client in rows if wanted and wanted in _folded(client)})[:5]
        if similar:
            raise ForgetError("no_client_similar", name=quote(name), similar=", ".join(map(quote, similar)))
        raise ForgetError("no_client", name=quote(name))
    return offers_by_id(store, ids)


def offers_by_id(store: Store, offer_ids: list[int]) -> list[OfferSummary]:
    """The offers with these ids, in id order, with their numbers of calls and answers.

    Raises:
        ForgetError: one of the ids names no offer.
    """
    summaries = []
    with store.snapshot() as conn:
        for offer_id in sorted(set(offer_ids)):
            row = conn.execute(
                """
                SELECT o.id, o.client, o.title, o.sent_on, o.status,
                       (SELECT count(*) FROM calls c WHERE c.offer_id = o.id),
                       (SELECT count(*) FROM answers a JOIN calls c ON c.id = a.call_id WHERE c.offer_id = o.id)
                FROM offers o WHERE o.id = ?
                """,
                [offer_id],
            ).fetchone()
            if row is None:
                raise ForgetError("no_offer", offer_id=offer_id)
            _, client, title, sent_on, status, calls, answers = row
            summaries.append(
                OfferSummary(offer_id, client, title, dt.date.fromisoformat(sent_on), status, calls, answers)
            )
    return summaries


def forget_offers(store: Store, offer_ids: list[int]) -> ForgetReport:
    """Erase these offers with their calls and answers, leaving no byte of them in the file.

    Meant for the CLI and the TUI alike (the caller confirms first). Must not
    be called inside a `store.transaction()`: VACUUM cannot run in one.

    Raises:
        ForgetError: an id names no offer (then nothing is deleted).
    """
    with store.connection() as conn:
        summaries = offers_by_id(store, offer_ids)
        ids = [offer.id for offer in summaries]
        still: list[int] = []
        if ids:
            with store.transaction() as db:
                traces = _traces(db, ids)
                db.execute(f"DELETE FROM offers WHERE id IN ({', '.join('?' * len(ids))})", ids)
                _forget_contacts(db, traces)
                still = _mentions(db, traces)
        unfinished = None
        try:
            busy = _rebuild(conn)
        except sqlite3.Error as exc:
            # The offers are gone (committed above), but their bytes may still
            # be in free pages and the log: say so, never "nothing was changed".
            unfinished = _rebuild_problem(exc, store.path)
            busy = 1
    return ForgetReport(
        summaries,
        compacted=busy == 0,
        still_mentioned=still,
        backups=_backups_beside(store),
        leftovers=leftovers_beside(store.path) if store.path is not None else [],
        unfinished=unfinished,
    )


def _rebuild(conn: sqlite3.Connection) -> int:
    """Rebuild the file and truncate its log; returns non-zero if a reader kept the log from being emptied."""
    with conn:  # its own transaction: VACUUM cannot run in one
        erase_deleted_from_search(conn)
    conn.execute("VACUUM")
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy)


def _rebuild_problem(error: sqlite3.Error, path: Path | None) -> str:
    """The kind of storage problem that stopped VACUUM; other SQLite errors are bugs and propagate."""
    from nachhaken_tui.core.db.opening import storage_error

    problem = storage_error(error, path)
    if problem is None:
        raise error
    return problem.key


def default_backup_path(db_path: Path, now: dt.datetime | None = None) -> Path:
    """`nachhaken-backup-YYYYMMDD-HHMMSS.db` beside the database (local time)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return db_path.with_name(f"nachhaken-backup-{stamp}.db")


def backup_database(store: Store, target: Path | None = None) -> BackupReport:
    """Copy the open database to `target` (default: beside it, timestamped), 0600.

    The target follows the rules of `core.safe_files` (never the database or
    its companions, a symlink keeps pointing where it did) and must be a
    regular file or not exist yet: a backup belongs in a file.

    Raises:
        FileRefused: the target may not be written (see `output_target`).
        BackupError: the copy cannot be written or fails its check (nothing
            is left at the target then).
        ValueError: an in-memory store and no target.
    """
    if target is None:
        if store.path is None:
            raise ValueError("an in-memory database needs a backup target")
        target = default_backup_path(store.path)
    real = output_target(target, store.path, streams=False).real
    with private_temporary(real, target) as temporary:
        try:
            copy = sqlite3.connect(temporary)
            try:
                with store.connection() as conn:
                    conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
                damage = _unsound(copy, temporary)
                [offers] = copy.execute("SELECT count(*) FROM offers").fetchone()
                calls, snoozes = copy.execute(
                    "SELECT coalesce(sum(outcome != 'snoozed'), 0), coalesce(sum(outcome = 'snoozed'), 0) FROM calls"
                ).fetchone()
            except sqlite3.DatabaseError as exc:
                if getattr(exc, "sqlite_errorcode", None) not in _DAMAGED:
                    raise
                damage = str(exc)
            finally:
                copy.close()
            if damage:
                raise BackupError("damaged", path=target, reason=damage)
            os.replace(temporary, real)
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise BackupError("unwritable", path=target, reason=reason) from None
    return BackupReport(target, offers, calls, snoozes)


_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _unsound(copy: sqlite3.Connection, path: Path) -> str | None:
    """Why the copy is not a whole, readable database; None when it is.

    SQLite's online backup copies the pages of one consistent state of the
    file, as they are, and reports any error writing them; so the copy is
    checked for what could still go wrong, cheaply: every page is in the file
    (its size is the page count times the page size) and the schema reads.
    The counts the report gives then read the offers and the calls, the bulk
    of the file. A full `quick_check` read and checked every page again, and
    took four times as long as the backup itself.
    """
    [pages] = copy.execute("PRAGMA page_count").fetchone()
    [page_size] = copy.execute("PRAGMA page_size").fetchone()
    size = path.stat().st_size
    if size != pages * page_size:
        return f"{size} bytes, not {pages} pages of {page_size}"
    copy.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return None


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _traces(db: Database, ids: list[int]) -> set[str]:
    """Names, phones and e-mails of the offers about to go, to look for elsewhere."""
    marks = ", ".join("?" * len(ids))
    rows = db.execute(
        f"SELECT client, contact, phone, email FROM offers WHERE id IN ({marks})", ids
    ).fetchall()
    return {value.strip() for row in rows for value in row if value and len(value.strip()) >= _MIN_TRACE}


def _forget_contacts(db: Database, traces: set[str]) -> None:
    """Delete the address-book contacts (from a vCard import) named by, or reaching, the forgotten client."""
    wanted = {_folded(trace) for trace in traces}
    doomed = [
        contact_id
        for contact_id, *values in db.execute("SELECT id, name, organisation, phone, email FROM contacts")
        if any(value and _folded(value) in wanted for value in values)
    ]
    if doomed:
        db.execute(f"DELETE FROM contacts WHERE id IN ({', '.join('?' * len(doomed))})", doomed)


def _mentions(db: Database, traces: set[str]) -> list[int]:
    """Offers left in the file that still mention any of `traces` (case-insensitive for ASCII, as LIKE).

    One pass over the text of every table that leads to an offer (see
    `_mention_queries`), all traces sought at once: a search per trace read
    the whole file once per name, phone and e-mail of every forgotten offer.
    """
    if not traces:
        return []
    sought = {part for trace in traces for part in trace.split("\x00") if len(part) >= _MIN_TRACE}
    # as written into JSON too: a call's `offer_before` keeps the offer as it was ("M\\u00fcller")
    pattern = _trie_pattern(sought | {json.dumps(part)[1:-1] for part in sought})
    found: set[int] = set()
    for sql in _mention_queries(db):
        for offer_id, text in db.execute(sql):
            if text and pattern.search(text):
                found.add(offer_id)
    return sorted(found)


def _trie_pattern(words: set[str]) -> re.Pattern[str]:
    """One regular expression matching any of `words`, as a trie: `Müller|Mülheim` is `Mül(?:ler|heim)`.

    A plain alternation of 300 traces tries each at every position (30 s on
    400,000 rows); the trie tries a character once. ASCII letters match in
    either case, other characters exactly, as SQLite's LIKE does.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char.lower() if char.isascii() else char, {})
        node[""] = {}

    def alternatives(node: dict[str, dict]) -> str:
        branches = []
        for char, child in sorted(node.items()):
            if not char:
                continue
            run = [char]
            while len(child) == 1 and "" not in child:  # a chain without a choice: no group, no recursion
                [(char, child)] = child.items()
                run.append(char)
            branches.append(re.escape("".join(run)) + alternatives(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return re.compile(alternatives(trie), re.IGNORECASE | re.ASCII)


_TEXT_SEPARATOR = "char(0)"
"""Between the columns of a row searched as one text; no part sought holds it, so none spans two columns."""


def _mention_queries(db: Database) -> list[str]:
    """For `offers` and every table that leads to it by foreign keys: `SELECT offer_id, text`.

    The text is every TEXT column of the row, joined by `_TEXT_SEPARATOR`.
    Found from the schema, so a table added later (and its text) is searched
    too; tables that lead to no offer (time away, blocks, contacts, a search
    index's own tables) are not: no offer to name.
    """
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    parents = {
        table: {
            fk[3]: fk[2] for fk in db.execute(f"PRAGMA foreign_key_list({_quoted(table)})") if fk[4] == "id"
        }
        for table in tables
    }

    def route(table: str, seen: frozenset[str]) -> tuple[str, str] | None:
        """(joins, offer id expression) from `table`'s rows to their offer, or None."""
        if table == "offers":
            return "", f"{_quoted(table)}.id"
        for column, parent in sorted(parents.get(table, {}).items()):
            if parent in seen or parent not in parents:
                continue
            if parent == "offers":
                return "", f"{_quoted(table)}.{_quoted(column)}"
            onward = route(parent, seen | {parent})
            if onward is not None:
                joins, offer_id = onward
                join = f" JOIN {_quoted(parent)} ON {_quoted(parent)}.id = {_quoted(table)}.{_quoted(column)}"
                return join + joins, offer_id
        return None

    queries = []
    for table in tables:
        found = route(table, frozenset({table}))
        columns = [
            f"coalesce({_quoted(table)}.{_quoted(column[1])}, '')"
            for column in db.execute(f"PRAGMA table_info({_quoted(table)})")
            if column[2].upper() == "TEXT"
        ]
        if found is None or not columns:
            continue
        joins, offer_id = found
        text = f" || {_TEXT_SEPARATOR} || ".join(columns)
        queries.append(f"SELECT {offer_id}, {text} FROM {_quoted(table)}{joins}")
    return queries


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _backups_beside(store: Store) -> list[Path]:
    if store.path is None:
        return []
    folder = store.path.parent
    patterns = ("nachhaken-backup-*.db", f"{store.path.name}.before-migration-*")
    return sorted({path for pattern in patterns for path in folder.glob(pattern)})
