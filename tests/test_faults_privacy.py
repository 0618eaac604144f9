"""Privacy: every file that holds other people's data is the owner's alone, and nothing leaks elsewhere.

The database, its WAL and shared-memory files, the backup kept before a
migration, exports, calendars and backups are created 0600, even under a
permissive umask (002 on many desktops, 000 in some containers) and when an
export replaces an existing world-readable file. After a session of
commands, including a crash, no file outside the ones the user asked for
(crash.log, caches, config) holds a client's name, number or address.
(Erasing a contact leaving no bytes behind is tested in test_privacy.py.)
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from fault_helpers import PINNED

SECRET = ("Vertraulich Meier KG", "Ottilie Meier", "+49 89 5550123", "ottilie@meier.example")


def _nachhaken(*args: str, umask: int = 0o000) -> subprocess.CompletedProcess:
    """A real process with the given umask (default: the most permissive)."""

    def set_umask() -> None:
        os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", *args, *PINNED],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=set_umask,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def _add_secret(db: Path) -> None:
    client, contact, phone, email = SECRET
    result = _nachhaken(
        "add",
        "--db",
        str(db),
        "--client",
        client,
        "--contact",
        contact,
        "--phone",
        phone,
        "--email",
        email,
        "--title",
        "Beratung",
        "--sent",
        "2026-11-02",
        "--notes",
        "private",
    )
    assert result.returncode == 0, result.stderr


def test_files_with_personal_data_are_private_under_a_permissive_umask(tmp_path):
    db = tmp_path / "data" / "nachhaken.db"
    _add_secret(db)
    reader = sqlite3.connect(db)  # keep the WAL and shm files in place while we look
    reader.execute("SELECT count(*) FROM offers").fetchone()
    writer = sqlite3.connect(db)
    writer.execute("UPDATE offers SET notes = 'x'")
    writer.commit()
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert path.exists() and _mode(path) == "0o600", (path.name, _mode(path))
    writer.close()
    reader.close()

    created = {
        "export.json": ["export", "--out"],
        "offers.csv": ["export", "--format", "csv", "--out"],
        "calls.csv": ["export", "--table", "calls", "--out"],
        "follow-ups.ics": ["calendar", "--out"],
        "copy.db": ["backup", "--out"],
    }
    for name, args in created.items():
        target = tmp_path / name
        result = _nachhaken(*args, str(target), "--db", str(db))
        assert result.returncode == 0, (name, result.stderr)
        assert _mode(target) == "0o600", (name, _mode(target))


def test_an_export_replacing_a_world_readable_file_makes_it_private(tmp_path):
    db = tmp_path / "nachhaken.db"
    _add_secret(db)
    target = tmp_path / "old-export.csv"
    target.write_text("old,public,data\n")
    target.chmod(0o644)
    result = _nachhaken("export", "--format", "csv", "--out", str(target), "--db", str(db), umask=0o022)
    assert result.returncode == 0, result.stderr
    assert _mode(target) == "0o600"
    assert SECRET[0] in target.read_text(encoding="utf-8")


def test_the_backup_before_a_migration_is_private(tmp_path):
    """A newer nachhaken (here: one more migration, added in the child
    process) copies the database before migrating it; the copy is 0600
    under umask 000."""
    db = tmp_path / "nachhaken.db"
    _add_secret(db)
    upgrade = (
        "import os, sys\n"
        "os.umask(0)\n"
        "from nachhaken_tui.core.db import migrations as m\n"
        "def m999_fault_test(db):\n"
        "    db.execute('CREATE TABLE fault_test (x TEXT)')\n"
        "m.migrations._migrations.append(m.migrations._Migration('m999_fault_test', m999_fault_test))\n"
        "from nachhaken_tui.core.db import schema\n"
        "schema.SCHEMA = (*schema.SCHEMA, 'm999_fault_test')\n"
        f"sys.argv = ['nachhaken', 'due', '--db', {str(db)!r}, *{PINNED!r}]\n"
        "from nachhaken_tui.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", upgrade], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [backup] = list(tmp_path.glob("nachhaken.db.before-migration-*"))
    assert _mode(backup) == "0o600"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT client FROM offers").fetchone()[0] == SECRET[0]
    conn.close()


def test_a_session_leaves_personal_data_only_where_the_user_put_it(tmp_path):
    """add, import, due, export to stdout, stats, a refused import that
    quotes a cell, and a crash whose message names the client: afterwards the
    state, cache and config folders and crash.log hold no personal data."""
    db = tmp_path / "nachhaken.db"
    _add_secret(db)
    source = tmp_path / "in.csv"
    source.write_text(
        f"client,title,sent_on,phone\n{SECRET[0]} 2,T,2026-11-03,{SECRET[2]}\n{SECRET[1]},T,not a date,x\n",
        encoding="utf-8",
    )
    for args in (
        ["import", str(source)],
        ["import", str(source), "--skip-invalid"],
        ["due"],
        ["due", "--json"],
        ["export"],
        ["stats"],
    ):
        result = _nachhaken(*args, "--db", str(db))
        assert result.returncode in (0, 1), (args, result.stderr)
    crash = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from nachhaken_tui.commands import due\n"
            "def boom(item, today, lang):\n"
            "    raise ValueError(f'{item.offer.client} {item.offer.phone} {item.offer.email}')\n"
            "due._reason = boom\n"
            f"sys.argv = ['nachhaken', 'due', '--db', {str(db)!r}, *{PINNED!r}]\n"
            "from nachhaken_tui.cli import main\n"
            "main()\n",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crash.returncode == 2, crash.stderr
    for word in SECRET:
        assert word not in crash.stderr

    home = Path(os.environ["HOME"])
    looked_at = 0
    for path in home.rglob("*"):
        if path.is_file():
            looked_at += 1
            data = path.read_bytes()
            for word in SECRET:
                assert word.encode() not in data, (path, word)
    assert looked_at >= 1  # crash.log at least
    assert (Path(os.environ["XDG_STATE_HOME"]) / "nachhaken" / "crash.log").exists()
