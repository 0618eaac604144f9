"""A database file that is not what it should be: every command says so and leaves it alone.

Not SQLite, someone else's SQLite, one from a newer nachhaken, a damaged one,
a read-only one, a full disk, a lock held by another program: exit code 1
with one line that names the file, never the crash handler (exit 2), and the
file as it was. The TUI (`nachhaken` alone) is refused the same way before
the terminal switches into the app.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from fault_helpers import (
    assert_handled,
    count,
    integrity,
    run_cli,
    run_process,
    without_file_permission_override,
)

from nachhaken_tui.core.db import opening as opening_module
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.schedule.cadence import Cadence

COMMANDS = [
    ["due"],
    ["due", "--json"],
    ["export"],
    ["export", "--format", "csv"],
    ["stats"],
    ["calendar"],
    ["add", "--client", "C", "--title", "T"],
    ["import", "{csv}"],
]


def _filled(path: Path, offers: int = 3) -> Path:
    store = Store.open(path, Cadence())
    for i in range(offers):
        store.add_offer(
            OfferDraft(client=f"Client {i}", title="Offer", sent_on=dt.date(2026, 11, 2), notes="n" * 400)
        )
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def _not_sqlite(path: Path) -> None:
    path.write_text("client,title\nA,B\n", encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(hashlib.sha256(b"seed").digest() * 500)


def _png(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 600)


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('Someone else')")
    conn.close()


def _newer(path: Path) -> None:
    _filled(path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('nachhaken', 'm099_from_the_future', '2031-01-01')"
        )
    conn.close()


def _damaged(path: Path) -> None:
    """A real nachhaken file whose second half was overwritten (a failing disk)."""
    _filled(path, offers=300)
    data = path.read_bytes()
    half = len(data) // 2
    path.write_bytes(data[:half] + hashlib.sha512(b"x").digest() * ((len(data) - half) // 64 + 1))


BAD_FILES = {
    "not-sqlite": (_not_sqlite, "is not an SQLite database"),
    "random-bytes": (_random_bytes, "is not an SQLite database"),
    "png": (_png, "is not an SQLite database"),
    "foreign-sqlite": (_foreign, "not nachhaken's"),
    "newer-nachhaken": (_newer, "written by a newer nachhaken (m099_from_the_future)"),
    "damaged": (_damaged, "damaged"),
}


def _args(command: list[str], tmp_path: Path) -> list[str]:
    csv = tmp_path / "in.csv"
    csv.write_text("client,title,sent_on\nNew,T,2026-11-20\n", encoding="utf-8")
    return [part.replace("{csv}", str(csv)) for part in command]


@pytest.mark.parametrize("kind", BAD_FILES)
def test_every_command_refuses_a_file_that_is_not_a_usable_database(tmp_path, kind):
    make, fragment = BAD_FILES[kind]
    path = tmp_path / "nachhaken.db"
    make(path)
    before = path.read_bytes()
    for command in COMMANDS:
        result = run_cli(*_args(command, tmp_path), db=path)
        assert_handled(result.exit_code, result.output)
        if kind == "damaged" and result.exit_code == 0:
            continue  # a read that happens to miss the broken pages is fine
        assert result.exit_code == 1, (command, result.output)
        assert fragment in result.output, (command, result.output)
        assert str(path) in result.output
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("nachhaken.db.before-migration-*"))


@pytest.mark.parametrize("kind", ["not-sqlite", "newer-nachhaken"])
def test_the_tui_refuses_it_before_the_terminal_switches(tmp_path, kind):
    make, fragment = BAD_FILES[kind]
    path = tmp_path / "nachhaken.db"
    make(path)
    before = path.read_bytes()
    result = run_process("--db", str(path))
    assert (result.returncode, fragment in result.stderr) == (1, True), result.stderr
    assert "\x1b[?1049h" not in result.stdout
    assert path.read_bytes() == before


# ------------------------------------------------------------------ read-only


@pytest.fixture
def read_only_runner():
    prefix = without_file_permission_override()
    if prefix is None:
        pytest.skip(
            "running as root without setpriv: a 0400 file would still be writable, so there is "
            "no honest read-only file to test against"
        )
    return prefix


def test_a_read_only_database_can_be_read_but_not_changed(tmp_path, read_only_runner):
    path = _filled(tmp_path / "nachhaken.db")
    path.chmod(0o400)
    before = path.read_bytes()
    csv = tmp_path / "in.csv"
    csv.write_text("client,title,sent_on\nNew,T,2026-11-20\n", encoding="utf-8")
    for command in (["due"], ["export"], ["stats"]):
        result = run_process(*command, "--db", str(path), prefix=read_only_runner)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
    for command in (["add", "--client", "C", "--title", "T"], ["import", str(csv)]):
        result = run_process(*command, "--db", str(path), prefix=read_only_runner)
        assert result.returncode == 1, (command, result.stderr)
        assert f"{path} is read-only; nothing was changed." in result.stderr
    path.chmod(0o600)
    assert path.read_bytes() == before
    assert count(path) == 3


def test_a_database_in_a_folder_that_cannot_exist(tmp_path):
    result = run_cli("add", "--client", "C", "--title", "T", db=Path("/proc/nachhaken/x.db"))
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1


# ------------------------------------------------------------------ full disk


@pytest.fixture
def full_disk(monkeypatch):
    """Every store opened from now on may not grow the file by a single page
    (SQLite's `max_page_count`, the honest stand-in for a full disk)."""
    original = Store.open.__func__

    def open_full(cls, path, cadence=None, **options):
        store = original(cls, path, cadence, **options)
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_full))


def test_a_full_disk_refuses_the_write_and_keeps_the_data(tmp_path, full_disk):
    path = _filled(tmp_path / "nachhaken.db")
    big = tmp_path / "big.csv"
    big.write_text(
        "client,title,sent_on,notes\n" + "".join(f"C{i},T,2026-11-20,{'n' * 300}\n" for i in range(3000)),
        encoding="utf-8",
    )
    for command in (["import", str(big)], ["add", "--client", "C", "--title", "T", "--notes", "x" * 9000]):
        result = run_cli(*command, db=path)
        assert_handled(result.exit_code, result.output)
        assert result.exit_code == 1, result.output
        assert f"There is no space left for {path}; nothing was changed." in result.output
    assert count(path) == 3
    assert integrity(path) == "ok"


def test_a_full_disk_during_a_call_keeps_the_offer_as_it_was(tmp_path):
    from nachhaken_tui.core.db.opening import StoreError
    from nachhaken_tui.core.models import Answer, CallDraft, Outcome

    path = _filled(tmp_path / "nachhaken.db")
    store = Store.open(path)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    draft = CallDraft(outcome=Outcome.NO_ANSWER, answers=[Answer("s", "q" * 2000, "a" * 2000)] * 10)
    with pytest.raises(StoreError, match="no space left") as caught:
        store.record_call(1, draft, today=dt.date(2026, 11, 26))
    assert "Speicherplatz" in caught.value.message("de")
    assert store.get_offer(1).attempts == 0
    assert store.read("SELECT count(*) AS n FROM calls")[0]["n"] == 0
    store.close()
    assert integrity(path) == "ok"


# ------------------------------------------------------------------ another program holds the lock


def test_a_lock_held_past_the_busy_timeout_is_a_message_not_a_crash(tmp_path, monkeypatch):
    """nachhaken waits 10 s for another writer; after that the user hears
    which file is busy (here the wait is shortened to 0.3 s)."""
    path = _filled(tmp_path / "nachhaken.db")
    monkeypatch.setattr(opening_module, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run_cli("add", "--client", "C", "--title", "T", db=path)
        assert_handled(result.exit_code, result.output)
        assert result.exit_code == 1
        assert "has been locked by another program" in result.output
        reading = run_cli("due", db=path)  # WAL: readers never wait for a writer
        assert reading.exit_code == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run_cli("add", "--client", "C", "--title", "T", db=path).exit_code == 0
    assert count(path) == 4


def test_a_writer_that_finishes_within_the_timeout_is_waited_for(tmp_path):
    path = _filled(tmp_path / "nachhaken.db")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    result = run_process("add", "--client", "C", "--title", "T", "--db", str(path))
    release.join()
    holder.close()
    assert result.returncode == 0, result.stderr
    assert count(path) == 4


def test_the_wal_of_a_crashed_writer_is_recovered_by_the_next_reader(tmp_path):
    """A -wal file left behind (here: copied away before a checkpoint and put
    back) is replayed, not ignored or reported as damage."""
    path = tmp_path / "nachhaken.db"
    store = Store.open(path)
    store.db.execute("PRAGMA wal_autocheckpoint = 0")
    store.add_offer(OfferDraft(client="In the WAL only", title="T", sent_on=dt.date(2026, 11, 20)))
    wal = path.with_name(path.name + "-wal")
    kept = {suffix: Path(f"{path}{suffix}").read_bytes() for suffix in ("", "-wal")}
    store.close()
    for suffix, data in kept.items():
        Path(f"{path}{suffix}").write_bytes(data)
    assert wal.stat().st_size > 0
    result = run_cli("due", db=path)
    assert result.exit_code == 0 and "In the WAL only" in result.output
    assert os.stat(path).st_mode & 0o777 == 0o600
