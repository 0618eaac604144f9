"""Honest messages at the boundary (issue 13, classes 5 and 6a).

- A `forget` that cannot finish rebuilding the file (a full disk) says what
  was erased and what is still to do, never "nothing was changed"; the disk
  is filled for real, with a file-size limit on the process.
- Whatever the user typed and the command line echoes back (a path, an
  option's value) reaches the terminal with its control characters shown
  as "�", not run, in success messages as in errors.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fault_helpers import PINNED, assert_handled

from nachhaken_tui.cli import cli
from nachhaken_tui.core.db.privacy import ForgetReport
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.schedule.cadence import Cadence

SECRET = "Vertraulich Meier KG"


# --------------------------------------------------------- forget, disk full


@pytest.fixture
def big_database(tmp_path: Path) -> Path:
    """A database of a few MB, so that rebuilding it needs more room than deleting one offer."""
    path = tmp_path / "big.db"
    store = Store.open(path, Cadence())
    filler = [
        OfferDraft(client=f"Client {n}", title="Offer", sent_on=dt.date(2026, 11, 2), notes="n" * 2000)
        for n in range(1200)
    ]
    store.add_offers(filler)
    store.add_offer(
        OfferDraft(client=SECRET, title="Audit", sent_on=dt.date(2026, 11, 3), notes="very private")
    )
    store.close()
    return path


def _forget(database: Path, *args: str, max_file_size: int | None = None) -> subprocess.CompletedProcess:
    def small_disk() -> None:
        # No file of the process may grow past max_file_size: what a full
        # disk looks like to SQLite, without filling a real one.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_size, max_file_size))

    return subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", "forget", *args, "--db", str(database), *PINNED],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        preexec_fn=small_disk if max_file_size else None,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_forget_that_cannot_rebuild_the_file_says_what_was_erased_and_what_is_left(big_database):
    half = big_database.stat().st_size // 2
    result = _forget(big_database, "--client", SECRET, max_file_size=half)
    assert_handled(result.returncode, result.stdout + result.stderr)
    assert result.returncode == 1
    assert result.stdout.startswith("Erased 1 offer, with 0 calls and 0 answers:\n")
    assert SECRET in result.stdout
    assert "nothing was changed" not in (result.stdout + result.stderr).lower()
    assert result.stderr.startswith("The offers are erased, but the file could not be rebuilt (")
    assert f"may still be in the free space of {big_database} and in its log (-wal)" in result.stderr
    assert result.stderr.rstrip().endswith("then run `nachhaken forget --finish`.")
    # the offer is gone already; forget --finish, with room again, completes the job
    finished = _forget(big_database, "--finish")
    assert (finished.returncode, finished.stdout) == (
        0,
        "The file was rebuilt: no byte of erased data is left in the file or its log.\n",
    )
    for suffix in ("", "-wal"):
        path = big_database.with_name(big_database.name + suffix)
        assert not path.exists() or b"very private" not in path.read_bytes()


@pytest.mark.parametrize(
    ("problem", "english", "german"),
    [
        ("full", "(the disk is full)", "(der Speicherplatz ist voll)"),
        ("busy", "To finish, close the other program, then", "das andere Programm schließen"),
        ("io", "(an error reading or writing it)", "(ein Lese- oder Schreibfehler)"),
    ],
)
def test_the_unfinished_forget_is_worded_for_its_cause_in_both_languages(problem, english, german):
    report = ForgetReport([], compacted=False, unfinished=problem)
    assert english in report.unfinished_message("en", "n.db")
    assert german in report.unfinished_message("de", "n.db")
    assert "nichts wurde geändert" not in report.unfinished_message("de", "n.db").lower()
    assert ForgetReport([], compacted=True).unfinished_message("en", "n.db") == ""


# ------------------------------------------------- control characters echoed

HOSTILE = ["\x1b]0;owned\x07", "\x1b[2J", "\x9b31m", "\u202e"]
"""A window-title sequence (OSC ... BEL), clear-screen, an 8-bit CSI, a bidi override."""


def _assert_shown_not_run(text: str) -> None:
    """No raw control character: each is shown as "�" or escaped ('\\x1b') by the message."""
    for sequence in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert sequence not in text, repr(text)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "test.db"
    store = Store.open(path, Cadence())
    store.add_offer(OfferDraft(client="Müller Bau", title="Website", sent_on=dt.date(2026, 11, 16)))
    store.close()
    return path


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("command", ["export", "calendar", "backup"])
def test_a_hostile_out_path_is_shown_not_run_on_success(database, tmp_path, hostile, command):
    out = tmp_path / f"out{hostile}.file"
    result = CliRunner().invoke(cli, [command, "--out", str(out), "--db", str(database), *PINNED])
    assert result.exit_code == 0, result.output
    assert out.exists()
    _assert_shown_not_run(result.output)
    assert "\ufffd" in result.output


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_demo_path_is_shown_not_run(tmp_path, hostile):
    result = CliRunner().invoke(cli, ["demo", "--db", str(tmp_path / f"d{hostile}.db"), *PINNED])
    assert result.exit_code == 0, result.output
    _assert_shown_not_run(result.output)


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize(
    "args",
    [
        lambda h, db, tmp: ["due", "--db", str(db), f"extra{h}"],  # Click: unexpected extra argument
        lambda h, db, tmp: ["due", "--db", str(_folder(tmp, h))],  # Click: a directory
        lambda h, db, tmp: ["import", str(tmp / f"missing{h}.csv"), "--db", str(db)],
        lambda h, db, tmp: ["export", "--db", str(db), "--out", str(tmp / f"nowhere{h}" / "x.json")],
        lambda h, db, tmp: ["stats", "--db", str(db), "--since", f"2026{h}"],
    ],
    ids=["extra-argument", "folder-as-db", "missing-csv", "unwritable-out", "since"],
)
def test_hostile_values_in_errors_are_shown_not_run(database, tmp_path, hostile, args):
    for lang in ("en", "de"):
        result = CliRunner().invoke(cli, [*args(hostile, database, tmp_path), "--lang", lang, *PINNED])
        assert_handled(result.exit_code, result.output)
        assert result.exit_code in (0, 1)
        if result.exit_code == 1:
            _assert_shown_not_run(result.output)


def _folder(tmp: Path, hostile: str) -> Path:
    folder = tmp / f"folder{hostile}"
    folder.mkdir(exist_ok=True)
    return folder


def test_an_export_into_a_terminal_shows_control_characters_in_data_not_runs_them(tmp_path):
    """`--out` naming a terminal (here a pseudo-terminal the test opens itself, through a link)."""
    database = tmp_path / "hostile.db"
    store = Store.open(database, Cadence())
    store.add_offer(OfferDraft(client="Evil\x1b]0;owned\x07 GmbH", title="T", sent_on=dt.date(2026, 11, 16)))
    store.close()
    controller, terminal = os.openpty()
    link = tmp_path / "my-terminal"
    link.symlink_to(os.ttyname(terminal))
    try:
        result = CliRunner().invoke(
            cli, ["export", "--format", "csv", "--out", str(link), "--db", str(database), *PINNED]
        )
        chunks = []
        while select.select([controller], [], [], 1)[0]:  # everything the terminal got, however split
            chunks.append(os.read(controller, 1 << 16))
        shown = b"".join(chunks).decode()
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.exit_code == 0, result.output
    assert "Evil\ufffd]0;owned\ufffd GmbH" in shown
    assert "\x1b" not in shown and "\x07" not in shown
    assert link.is_symlink()


async def test_the_app_says_the_same_when_forget_cannot_rebuild_the_file(store, monkeypatch):
    """`X` in the app: the client is gone, and the notice says what is still to do, never "Not saved"."""
    from ui_helpers import fill, make_app, notifications, settle

    import nachhaken_tui.core.db.privacy as privacy

    def disk_full(conn):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL
        raise error

    fill(store)
    monkeypatch.setattr(privacy, "_rebuild", disk_full)  # the disk fills just after the offers were deleted
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        client = store.get_offer(1).client
        await pilot.press("X", "tab", "enter")
        await settle(pilot)
        shown = "\n".join(notifications(app))
    assert not [offer for offer in store.db["offers"].rows if offer["client"] == client]
    assert "Not saved" not in shown
    assert "The offers are erased, but the file could not be rebuilt (the disk is full)" in shown
    assert "`nachhaken forget --finish`" in shown
