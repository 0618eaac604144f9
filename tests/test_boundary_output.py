"""Where `export`, `calendar` and `backup --out` may write (issue 13, class 1).

The README promises that a command's output never lands on the database or
its companion files, and never replaces a link it was told to write
through. Every spelling of the database is tried; streams, devices and pipes
are look-alikes in the test's own folder (a link to `/dev/null`, a link to
this very process's `/proc/self/fd/N`, an `os.mkfifo`), never `/dev/stdout`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fault_helpers import PINNED, assert_handled

from nachhaken_tui.cli import cli
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.safe_files import TEMP_MARKER, leftovers_beside, private_temporary
from nachhaken_tui.core.schedule.cadence import Cadence

COMMANDS = {
    "export": [],
    "calendar": [],
    "backup": [],
}
"""The three commands with --out."""


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A closed nachhaken database with one open offer, in the test's folder."""
    path = tmp_path / "test.db"
    store = Store.open(path, Cadence())
    store.add_offer(OfferDraft(client="Müller Bau", title="Website", sent_on=dt.date(2026, 11, 16)))
    store.close()
    return path


def _run(database: Path, command: str, out: str, *args: str, lang: str = "en"):
    args = [command, "--db", str(database), "--out", out, *args, "--lang", lang, *PINNED]
    return CliRunner().invoke(cli, args)


def _process(database: Path, command: str, out: str, **options) -> subprocess.CompletedProcess:
    """The command as its own process: a pipe that blocks must not block the test."""
    return subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", command, "--db", str(database), "--out", out, *PINNED],
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
        env={**os.environ, "NO_COLOR": "1"},
        **({"capture_output": True} if not options else options),
    )


def _fingerprint(database: Path) -> dict[str, str]:
    """The database and every companion file, as bytes on disk (absent ones as "-")."""
    return {
        suffix: hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"
        for suffix in ("", "-wal", "-shm", "-journal")
        for path in [database.with_name(database.name + suffix)]
    }


def _no_temporaries(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if TEMP_MARKER in path.name or path.name.endswith(".tmp")]


# ------------------------------------------------------- the database itself


SPELLINGS = {
    "relative": lambda db: db.name,
    "dot-slash": lambda db: f"./{db.name}",
    "absolute": lambda db: str(db),
    "through-a-folder-that-is-not-there": lambda db: f"nowhere/../{db.name}",
    "symlink": lambda db: _link(db.parent / "innocent.json", db),
    "symlinked-folder": lambda db: str(Path(_link(db.parent / "alias", db.parent)) / db.name),
    "hard-link": lambda db: _hard_link(db),
    "wal": lambda db: f"{db.name}-wal",
    "shm-absolute": lambda db: f"{db}-shm",
    "journal-not-there-yet": lambda db: f"./{db.name}-journal",
    "symlink-to-journal-not-there-yet": lambda db: _link(db.parent / "later.ics", Path(f"{db}-journal")),
}


def _link(link: Path, target: Path) -> str:
    link.symlink_to(target)
    return str(link)


def _hard_link(db: Path) -> str:
    other = db.with_name("copy-of-everything.db")
    os.link(db, other)
    return str(other)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_output_never_lands_on_the_database_or_its_companions(database, monkeypatch, command, spelling):
    monkeypatch.chdir(database.parent)
    out = SPELLINGS[spelling](database)
    before = _fingerprint(database)
    result = _run(database, command, out)
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1, result.output
    assert "Nothing was written." in result.output
    assert "the database itself" in result.output or "file, part of it" in result.output
    assert result.output.count("\n") == 1
    assert _fingerprint(database) == before
    assert _no_temporaries(database.parent) == []


def test_the_refusal_speaks_german(database):
    result = _run(database, "export", f"{database}-wal", lang="de")
    assert (
        result.output == f"{database}-wal ist die -wal-Datei der Datenbank, die zu ihr gehört; bitte "
        "eine andere Datei angeben. Es wurde nichts geschrieben.\n"
    )


# ---------------------------------------------------------- links and streams


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("existing", [True, False], ids=["to-a-file", "dangling"])
def test_a_link_to_a_file_stays_a_link_and_its_target_gets_the_output(database, tmp_path, command, existing):
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "follow-ups.out"
    if existing:
        target.write_text("last week's")
    link = tmp_path / "follow-ups.out"
    link.symlink_to(target)
    result = _run(database, command, str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    data = target.read_bytes()
    if command == "export":
        assert json.loads(data)["offers"][0]["client"] == "Müller Bau"
    elif command == "calendar":
        assert data.startswith(b"BEGIN:VCALENDAR")
    else:
        with sqlite3.connect(target) as copy:
            assert copy.execute("SELECT client FROM offers").fetchall() == [("Müller Bau",)]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _no_temporaries(shared) == [] and _no_temporaries(tmp_path) == []


@pytest.mark.parametrize("command", ["export", "calendar"])
@pytest.mark.parametrize("redirect", [">", ">>"])
def test_a_link_to_an_open_descriptor_is_written_into_never_replaced(database, tmp_path, command, redirect):
    """As `--out /dev/stdout` with stdout redirected to a file: `/dev/stdout` links to `/proc/self/fd/1`.

    Replacing the link used to swap the system's /dev/stdout for a file when
    run as root; here the link is the test's own and leads to the process's
    own descriptor 1, which the "shell" (this test) opened on a file.
    """
    stdout_alike = tmp_path / "stdout"
    stdout_alike.symlink_to("/proc/self/fd/1")
    captured = tmp_path / "captured.txt"
    captured.write_text("earlier lines\n")
    with open(captured, "a" if redirect == ">>" else "w") as shell_redirect:
        result = _process(database, command, str(stdout_alike), stdout=shell_redirect, stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    assert stdout_alike.is_symlink() and os.readlink(stdout_alike) == "/proc/self/fd/1"
    text = captured.read_text()
    if redirect == ">>":
        assert text.startswith("earlier lines\n")
        text = text.removeprefix("earlier lines\n")
    assert "Müller Bau" in text
    assert text.startswith("{" if command == "export" else "BEGIN:VCALENDAR")


@pytest.mark.parametrize("command", ["export", "calendar"])
def test_a_link_to_a_device_is_written_into_and_stays_a_link(database, tmp_path, command):
    device_alike = tmp_path / "discard"
    device_alike.symlink_to(os.devnull)  # harmless: a character device that swallows what it gets
    result = _run(database, command, str(device_alike))
    assert result.exit_code == 0, result.output
    assert device_alike.is_symlink() and os.readlink(device_alike) == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert _no_temporaries(tmp_path) == []


def test_a_backup_refuses_a_device_or_a_stream_and_leaves_the_link(database, tmp_path):
    device_alike = tmp_path / "discard"
    device_alike.symlink_to(os.devnull)
    result = _run(database, "backup", str(device_alike))
    assert (result.exit_code, result.output) == (
        1,
        f"{device_alike} is not a regular file (but a device); please name a regular file.\n",
    )
    assert device_alike.is_symlink()


@pytest.mark.parametrize("command", ["export", "calendar"])
@pytest.mark.parametrize("through_a_link", [True, False])
def test_a_pipe_someone_reads_gets_the_output(database, tmp_path, command, through_a_link):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    out = tmp_path / "to-the-reader" if through_a_link else fifo
    if through_a_link:
        out.symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the reading end, as `| jq` would hold it
    try:
        result = _run(database, command, str(out))
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.output
    assert "Müller Bau".encode() in received
    assert out.is_symlink() == through_a_link and stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_pipe_nobody_reads_is_refused_at_once_not_waited_on(database, tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "to-nobody"
    link.symlink_to(fifo)
    for out in (link, fifo):
        message = "leads to a pipe nobody is reading from" if command != "backup" else "(but a pipe)"
        result = _process(database, command, str(out))  # a wait would end in TimeoutExpired
        assert result.returncode == 1, result.stderr
        assert message in result.stderr and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_or_a_socket_is_refused(database, tmp_path, command):
    folder = tmp_path / "folder.json"
    folder.mkdir()
    link_to_folder = tmp_path / "link-to-folder"
    link_to_folder.symlink_to(folder)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for out, message in [
            (folder, "is a directory"),  # Click's own check, worded by us
            (link_to_folder, "is a directory"),
            (sock_path, "is not a regular file (but a socket)"),
        ]:
            result = _run(database, command, str(out))
            assert_handled(result.exit_code, result.output)
            assert result.exit_code == 1 and message in result.output, result.output
    finally:
        server.close()
    assert list(folder.iterdir()) == []


# --------------------------------------------------- temporaries and leftovers


@pytest.mark.parametrize("command", COMMANDS)
def test_a_failed_write_leaves_no_temporary_and_the_old_file_as_it_was(
    database, tmp_path, monkeypatch, command
):
    target = tmp_path / "out" / "result.file"
    target.parent.mkdir()
    target.write_text("the previous one")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)  # the last step: the copy is complete, then the disk fills
    result = _run(database, command, str(target))
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert target.read_text() == "the previous one"
    assert _no_temporaries(target.parent) == []


def test_an_interrupted_export_leaves_no_temporary(database, tmp_path, monkeypatch):
    import nachhaken_tui.commands.export as export_command

    def interrupted(store, out):
        out.write('{"offers": [')
        raise KeyboardInterrupt

    monkeypatch.setattr(export_command, "export_json", interrupted)
    result = _run(database, "export", str(tmp_path / "all.json"))
    assert result.exit_code != 0
    assert _no_temporaries(tmp_path) == [] and not (tmp_path / "all.json").exists()


def test_forget_names_copies_a_killed_backup_or_export_left_beside_the_database(database):
    killed_backup = database.with_name(f".nachhaken-backup-20261126-090000.db.k1ll3d{TEMP_MARKER}")
    killed_backup.write_bytes(b"SQLite format 3\x00 with Mueller Bau inside")
    its_journal = killed_backup.with_name(killed_backup.name + "-journal")
    its_journal.write_bytes(b"journal")
    killed_export = database.with_name(f".offers.json.x9y8z7{TEMP_MARKER}")
    killed_export.write_text('{"offers": [{"client": "Müller Bau"')
    result = CliRunner().invoke(cli, ["forget", "--client", "Müller Bau", "--db", str(database), *PINNED])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if "unfinished copies" in line]
    assert line.startswith(
        "Beside the database are unfinished copies left by an interrupted backup or export"
    )
    for path in (killed_backup, its_journal, killed_export):
        assert str(path) in line
        assert path.exists()  # named, not deleted: one may belong to a backup running right now


def test_every_temporary_copy_is_one_forget_would_find(database):
    """The name `private_temporary` gives and the pattern `leftovers_beside` looks for agree."""
    for target in (database.with_name("nachhaken-backup-20261126-090000.db"), database.with_name("x.ics")):
        with private_temporary(target) as temporary:
            assert leftovers_beside(database) == [temporary]
        assert leftovers_beside(database) == []
