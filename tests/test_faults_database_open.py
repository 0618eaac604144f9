"""Opening a file that this nachhaken must not change: refused before a single byte moves.

A database from a newer nachhaken may still be in rollback-journal mode (the
newer version may have turned WAL off, or another tool did): switching it to
WAL is already a change, so the version is checked before anything else
happens. A nachhaken file that lacks one of its tables is damaged, and is
reported as such (exit 1), not as an unexpected error (exit 2).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from fault_helpers import assert_handled, run_cli, run_process

from nachhaken_tui.core.db.opening import StoreError
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome
from nachhaken_tui.core.schedule.cadence import Cadence

COMMANDS = [
    ["due"],
    ["due", "--json"],
    ["export"],
    ["export", "--format", "csv", "--table", "answers"],
    ["stats"],
    ["calendar"],
    ["backup", "--out", "{tmp}/copy.db"],
    ["forget", "--client", "Client 0"],
    ["add", "--client", "C", "--title", "T"],
    ["import", "{tmp}/in.csv"],
    ["demo"],
]


def _nachhaken_file(path: Path) -> None:
    store = Store.open(path, Cadence())
    for i in range(3):
        offer_id = store.add_offer(
            OfferDraft(client=f"Client {i}", title="Offer", sent_on=dt.date(2026, 11, 2))
        )
        store.record_call(offer_id, CallDraft(outcome=Outcome.NO_ANSWER), today=dt.date(2026, 11, 20))
    store.close()


def _in_rollback_journal_mode(path: Path, sql: str) -> None:
    """Leave the file in DELETE journal mode (no -wal, no -shm) after running `sql`."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.executescript(sql)
    conn.close()
    assert _journal_mode(path) == "delete"


def _journal_mode(path: Path) -> str:
    """The file's journal mode, read from its header (opening it could change nothing, but why risk it)."""
    header = path.read_bytes()[:20]
    return {1: "delete", 2: "wal"}[header[18]]


def _args(command: list[str], tmp_path: Path) -> list[str]:
    (tmp_path / "in.csv").write_text("client,title,sent_on\nNew,T,2026-11-20\n", encoding="utf-8")
    return [part.replace("{tmp}", str(tmp_path)) for part in command]


def _assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert _journal_mode(path) == "delete"
    companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]
    assert not [companion for companion in companions if companion.exists()]
    assert not list(path.parent.glob(f"{path.name}.before-migration-*"))


NEWER = {
    "one-unknown-migration": "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
    "VALUES ('nachhaken', 'm099_from_the_future', '2031-01-01');",
    "unknown-migration-and-table": "CREATE TABLE future (id INTEGER PRIMARY KEY); "
    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
    "VALUES ('nachhaken', 'm099_from_the_future', '2031-01-01');",
    # a newer nachhaken that dropped a table it no longer needs is still newer, not damaged
    "unknown-migration-without-blocks": "DROP TABLE blocks; "
    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
    "VALUES ('nachhaken', 'm099_from_the_future', '2031-01-01');",
}


@pytest.mark.parametrize("kind", NEWER)
def test_a_newer_file_in_rollback_journal_mode_stays_byte_identical(tmp_path, kind):
    path = tmp_path / "nachhaken.db"
    _nachhaken_file(path)
    _in_rollback_journal_mode(path, NEWER[kind])
    before = path.read_bytes()
    for command in COMMANDS:
        result = run_cli(*_args(command, tmp_path), db=path)
        assert_handled(result.exit_code, result.output)
        assert result.exit_code == 1, (command, result.output)
        assert "written by a newer nachhaken (m099_from_the_future)" in result.output, (
            command,
            result.output,
        )
        _assert_untouched(path, before)
    with pytest.raises(StoreError, match="newer"):
        Store.open(path, create=False)
    _assert_untouched(path, before)
    app = run_process("--db", str(path))  # the TUI refuses it before the terminal switches
    assert app.returncode == 1, app.stderr
    assert "written by a newer nachhaken" in app.stderr and "\x1b[?1049h" not in app.stdout
    _assert_untouched(path, before)


@pytest.mark.parametrize("table", ["offers", "calls", "answers", "blocks"])
@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_a_nachhaken_file_without_one_of_its_tables_is_damaged(tmp_path, table, mode):
    path = tmp_path / "nachhaken.db"
    _nachhaken_file(path)
    sql = f"PRAGMA foreign_keys = OFF; DROP TABLE {table};"
    if mode == "delete":
        _in_rollback_journal_mode(path, sql)
    else:
        with sqlite3.connect(path) as conn:
            conn.executescript(sql)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    before = path.read_bytes()
    for command in COMMANDS:
        result = run_cli(*_args(command, tmp_path), db=path)
        assert_handled(result.exit_code, result.output)
        assert result.exit_code == 1, (command, result.output)
        assert f"{path} is damaged (the table {table} is missing); nothing was changed." in result.output
        assert path.read_bytes() == before, command
    german = run_cli("due", db=path, lang="de")
    assert german.exit_code == 1 and f"es fehlt die Tabelle {table}" in german.output
    app = run_process("--db", str(path))
    assert app.returncode == 1 and "is damaged" in app.stderr, app.stderr
    assert path.read_bytes() == before
    if mode == "delete":
        _assert_untouched(path, before)
