"""What the fault tests (tests/test_faults_*.py) share: running nachhaken and judging the result.

The scripts beside this file are started as separate processes by those tests;
this module is imported by them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from nachhaken_tui.cli import cli

PINNED = ["--today", "2026-11-26"]
HELPERS = Path(__file__).parent


def run_cli(*args: str, db: Path | None = None, lang: str = "en", stdin: str | None = None) -> Result:
    """`nachhaken ARGS` in this process, with the database and day pinned."""
    extra = ["--db", str(db)] if db is not None else []
    return CliRunner().invoke(cli, [*args, *extra, "--lang", lang, *PINNED], input=stdin)


def run_process(*args: str, timeout: float = 60, env: dict | None = None, prefix: list[str] | None = None):
    """`nachhaken ARGS` as its own process (stdin closed, so no TUI can wait for keys)."""
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "nachhaken_tui", *args, *PINNED],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


def crash_log() -> Path:
    """Where crash.py writes (inside the test's own state folder, see conftest)."""
    return Path(os.environ["XDG_STATE_HOME"]) / "nachhaken" / "crash.log"


def assert_handled(code: int, output: str) -> None:
    """Exit 0 or 1 with a readable message: never the crash handler, never a traceback."""
    assert code in (0, 1), f"exit code {code}: {output[-2000:]}"
    assert "Traceback" not in output, output[-2000:]
    assert not crash_log().exists(), crash_log().read_text()


def integrity(db_path: Path) -> str:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def count(db_path: Path, table: str = "offers") -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def without_file_permission_override() -> list[str] | None:
    """A command prefix under which file modes are obeyed, or None if there is none.

    Tests run as root in CI, and root writes to a 0400 file as if it were
    0600. `setpriv` can drop the two capabilities that let it
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) for one child process while it
    stays root, so chmod means what it says for that process. Not root:
    nothing is needed.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}"]


async def quick_press(pilot, *keys: str, settle_every: int = 1) -> None:
    """Press keys like `pilot.press`, without its wait for an idle CPU after each.

    `Pilot.press` sleeps until the process looks idle (two 20 ms naps or
    more per key), which makes thousands of keys take minutes. This sends the
    same `Key` events and waits only until the screen has handled what was
    queued (every `settle_every` keys), which is what a fast typist does.
    """
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    app = pilot.app
    for number, key in enumerate(keys, start=1):
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:  # as App._press_keys does it
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
        if number % settle_every == 0:
            # A key travels app → focused widget → action → posted message
            # (e.g. Highlighted) → screen: four rounds of the message queues.
            for _ in range(4):
                await pilot._wait_for_screen()
