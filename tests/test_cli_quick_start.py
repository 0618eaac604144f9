"""`nachhaken` opens the app without Click only when Click would read the command line the same way."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from nachhaken_tui.cli import cli
from nachhaken_tui.commands.context import AppContext
from nachhaken_tui.quick_start import plain_context


def _clicks_context(args: list[str]) -> AppContext:
    ctx = cli.make_context("nachhaken", list(args))
    return ctx.ensure_object(AppContext)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--lang", "de"],
        ["--db", "x.db", "--lang", "en", "--today", "2026-03-02"],
        ["--today", "20260302", "--db", "a b.db"],
    ],
)
def test_a_plain_command_line_gives_the_context_click_gives(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert plain_context(args) == _clicks_context(args)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["--demo"],
        ["due"],
        ["--db", "x.db", "due"],
        ["--db=x.db"],
        ["--db"],
        ["--db", ""],
        ["--db", "-"],
        ["--db", "x.db", "--db", "y.db"],
        ["--lang", "fr"],
        ["--lang", "DE"],
        ["--today", "tomorrow"],
        ["--script", "s.toml"],
        ["--db", "."],  # a folder: Click's message
        ["--bogus", "1"],
    ],
)
def test_everything_else_is_left_to_click(args):
    assert plain_context(args) is None


def _launch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_a_damaged_database_ends_in_the_one_line_click_prints(tmp_path):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database" * 100)
    args = ["--db", str(damaged), "--lang", "de", "--today", "2026-03-02"]
    via_click = CliRunner().invoke(cli, args)
    quick = _launch(*args)
    assert (quick.returncode, quick.stderr) == (via_click.exit_code, via_click.stderr)
    assert quick.returncode == 1
    assert "Traceback" not in quick.stderr


def test_a_wrong_option_still_gets_clicks_message_and_exit_code():
    quick = _launch("--lang", "fr")
    via_click = CliRunner().invoke(cli, ["--lang", "fr"], prog_name="nachhaken")
    assert (quick.returncode, quick.stderr) == (via_click.exit_code, via_click.stderr)
    assert quick.returncode == 1


def test_the_way_into_the_app_loads_no_click():
    code = (
        "import sys\n"
        "import nachhaken_tui.quick_start, nachhaken_tui.tui, nachhaken_tui.ui.app, nachhaken_tui.core.script.loader\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'click'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
