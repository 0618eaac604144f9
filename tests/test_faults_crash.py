"""Crash safety: `kill -9` in the middle of an import and of saving a call.

A killed process gets no chance to clean up, so what is left in the file is
exactly what SQLite's WAL recovery makes of it. Afterwards the file must pass
`PRAGMA integrity_check`, hold all or nothing of the interrupted operation,
and work for the next command. The processes are real (`subprocess`), driven
by small scripts in `tests/fault_helpers/` where the kill must land at a
known point inside the transaction, and by the real `nachhaken import` under
a pseudo-terminal (its progress bar says when saving has begun).
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.schedule.cadence import Cadence

pytestmark = pytest.mark.serial  # kills processes at chosen moments; no xdist neighbours

HELPERS = Path(__file__).parent / "fault_helpers"
PINNED = ["--today", "2026-11-26"]


def helper(name: str, *args: str) -> subprocess.Popen:
    """Start a helper script with line-buffered stdout we can read line by line."""
    return subprocess.Popen(
        [sys.executable, str(HELPERS / name), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_until(process: subprocess.Popen, prefix: str, timeout: float = 60) -> list[str]:
    """Lines the process printed up to and including the first starting with `prefix`."""
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if not ready:
            if process.poll() is not None:
                break
            continue
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if line.startswith(prefix):
            return lines
    raise AssertionError(f"no {prefix!r} line; got {lines[-5:]}, stderr: {process.stderr.read()}")


def kill_hard(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


def integrity(db_path: Path) -> str:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def scalar(db_path: Path, sql: str) -> object:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchone()[0]


def seed(db_path: Path, n: int = 3) -> None:
    store = Store.open(db_path, Cadence())
    for i in range(n):
        store.add_offer(OfferDraft(client=f"Seed {i}", title="T", sent_on=dt.date(2026, 11, 2)))
    store.close()


# ------------------------------------------------------------ saving a call


def test_kill_while_a_call_is_half_written_loses_only_that_call(db_path):
    """The helper stops inside record_call's transaction (call row written,
    half its answers written, offer not yet updated); kill -9 must leave the
    earlier calls whole and nothing at all of this one."""
    seed(db_path)
    process = helper(
        "record_calls.py", str(db_path), "--offers", "1,2,3", "--count", "40", "--stall-at", "25"
    )
    lines = read_until(process, "stalled")
    kill_hard(process)
    assert lines[-1] == "stalled r-25"
    committed = [line.split()[1] for line in lines if line.startswith("saved")]
    assert len(committed) == 24

    assert integrity(db_path) == "ok"
    store = Store.open(db_path, Cadence())  # the next process recovers the WAL and works on
    notes = [row["notes"] for row in store.read("SELECT notes FROM calls ORDER BY id")]
    assert notes == committed  # r-25 left nothing behind
    assert store.read("SELECT count(*) AS n FROM answers")[0]["n"] == 24 * 6
    assert store.read("SELECT count(*) AS n FROM answers WHERE question LIKE '%r-25'")[0]["n"] == 0
    # the offers' state agrees with the calls that exist (no half-applied update)
    for row in store.read(
        "SELECT o.id, o.attempts, (SELECT count(*) FROM calls c WHERE c.offer_id = o.id) AS calls "
        "FROM offers o"
    ):
        assert row["attempts"] == row["calls"], row
    store.close()


def test_kill_at_random_moments_of_a_call_loop_never_leaves_a_partial_call(db_path):
    """Without a stall: kill the loop at arbitrary moments, several times over.
    Every call present has all its answers and is counted in its offer."""
    seed(db_path)
    committed: list[str] = []
    for round_number, delay in enumerate((0.25, 0.4, 0.55)):
        process = helper("record_calls.py", str(db_path), "--offers", "1,2,3", "--tag", f"k{round_number}")
        printed = read_until(process, "saved")  # the loop is running
        time.sleep(delay)
        kill_hard(process)
        printed += process.stdout.read().split("\n")
        committed += [line.split()[1] for line in printed if line.startswith("saved")]
        assert integrity(db_path) == "ok"

    with sqlite3.connect(db_path) as conn:
        incomplete = conn.execute(
            "SELECT c.notes, count(a.id) FROM calls c LEFT JOIN answers a ON a.call_id = c.id "
            "GROUP BY c.id HAVING count(a.id) != 6"
        ).fetchall()
        assert incomplete == []
        attempts = conn.execute(
            "SELECT o.attempts, (SELECT count(*) FROM calls c WHERE c.offer_id = o.id) FROM offers o"
        ).fetchall()
        assert all(a == b for a, b in attempts), attempts
        stored = {row[0] for row in conn.execute("SELECT notes FROM calls")}
    # everything a process reported as saved is there (at most the one call
    # it was killed in before printing may be there unreported)
    assert set(committed) <= stored
    assert len(stored - set(committed)) <= 3


# ------------------------------------------------------------ a 200,000-row import


def test_kill_inside_the_bulk_insert_of_200000_offers_leaves_nothing(db_path):
    """100,000 of 200,000 rows are written in the open transaction when the
    process dies: none of them may survive, the earlier offers must."""
    seed(db_path)
    process = helper("add_offers.py", str(db_path), "--rows", "200000", "--stall-at", "100000")
    read_until(process, "stalled 100000", timeout=90)
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 1_000_000  # pages really went to the file
    kill_hard(process)

    assert integrity(db_path) == "ok"
    assert scalar(db_path, "SELECT count(*) FROM offers") == 3
    store = Store.open(db_path, Cadence())
    store.add_offer(OfferDraft(client="After the crash", title="T", sent_on=dt.date(2026, 11, 20)))
    assert store.count_offers() == 4
    store.close()


def _csv_of(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Kunde;Ansprechpartner;Angebot;Betrag;Gesendet am;Notizen\n")
        for i in range(rows):
            handle.write(
                f"Kunde {i} GmbH;Person {i};Angebot {i % 97};{i % 9000},50 €;{1 + i % 26}.11.2026;N {i}\n"
            )
    return path


def test_kill_the_real_import_command_while_it_saves_200000_rows(db_path, tmp_path):
    """`nachhaken import` on a terminal shows "Saving" once its transaction is
    open; kill -9 then. The file keeps the offers it had, passes the integrity
    check, and takes the next import."""
    seed(db_path)
    big = _csv_of(tmp_path / "big.csv", 200_000)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "nachhaken_tui", "import", str(big), "--db", str(db_path), *PINNED],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "COLUMNS": "100", "LINES": "30", "TERM": "xterm-256color"},
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 90
    try:
        while b"Saving" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(controller, 65536)
                except OSError:
                    break
            elif process.poll() is not None:
                break
        assert b"Saving" in seen, seen[-500:]
        kill_hard(process)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    assert b"Imported:" not in seen
    assert integrity(db_path) == "ok"
    assert scalar(db_path, "SELECT count(*) FROM offers") in (3, 200_003)  # all or nothing
    assert scalar(db_path, "SELECT count(*) FROM offers") == 3  # in practice: killed mid-way

    small = tmp_path / "small.csv"
    small.write_text("client,title,sent_on\nNext Ltd,Audit,2026-11-20\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", "import", str(small), "--db", str(db_path), *PINNED],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert scalar(db_path, "SELECT count(*) FROM offers") == 4


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_polite_stop_during_a_call_loop_also_leaves_whole_calls(db_path, signal_number):
    """Ctrl+C and `kill` (not -9) take the Python exit path instead; the
    result must be the same: whole calls only, integrity ok."""
    seed(db_path)
    process = helper("record_calls.py", str(db_path), "--offers", "1,2,3")
    read_until(process, "saved")
    time.sleep(0.3)
    process.send_signal(signal_number)
    process.wait(timeout=10)
    assert integrity(db_path) == "ok"
    assert (
        scalar(
            db_path,
            "SELECT count(*) FROM calls c WHERE (SELECT count(*) FROM answers a WHERE a.call_id = c.id) != 6",
        )
        == 0
    )
