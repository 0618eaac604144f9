"""`nachhaken --demo` in a real terminal: it opens on the demo data and leaves nothing behind."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.benchmarks.pty_session import PtySession

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty"),
    pytest.mark.serial,
]


def _env(tmp_path: Path, temp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TMPDIR": str(temp),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LANG": "en_US.UTF-8",
    }


def _demo_folders(temp: Path) -> list[Path]:
    return [folder for folder in temp.iterdir() if folder.name.startswith("nachhaken-demo-")]


def test_the_demo_opens_and_its_temporary_folder_goes_when_the_app_ends(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = _env(tmp_path, temp)
    session = PtySession(
        [sys.executable, "-m", "nachhaken_tui", "--demo", "--lang", "en"], env, size=(120, 40)
    )
    try:
        session.wait_for("Gemeinde Wiesental", timeout=60)
        assert _demo_folders(temp)
    finally:
        session.close(quit_keys="q")
    assert os.WIFEXITED(session.exit_status) and os.WEXITSTATUS(session.exit_status) == 0
    assert not _demo_folders(temp)
    assert not (tmp_path / "data").exists()  # the user's real database was never touched


def test_closing_the_terminal_window_also_removes_the_demo_folder(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    session = PtySession(
        [sys.executable, "-m", "nachhaken_tui", "--demo"], _env(tmp_path, temp), size=(100, 30)
    )
    try:
        session.wait_for("Gemeinde Wiesental", timeout=60)
        assert _demo_folders(temp)
        os.kill(session.process.pid, signal.SIGHUP)  # what a closed terminal window sends
    finally:
        session.close(quit_keys="")
    assert not _demo_folders(temp)
