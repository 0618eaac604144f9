"""The core never imports Textual, and neither does the command line until the TUI opens.

Checked in a fresh interpreter, since this test process has Textual loaded by
the UI tests. The import-linter contracts in pyproject.toml check the same
layers statically (`lint-imports`); this checks what really gets loaded,
through every module of every subpackage.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import nachhaken_tui.commands
import nachhaken_tui.core


def _modules_loaded_by(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def _every_module(package) -> list[str]:
    """`package` and each module below it, subpackages included."""
    below = pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")
    return [package.__name__, *(info.name for info in below)]


def _textual(loaded: set[str]) -> set[str]:
    return {name for name in loaded if name == "textual" or name.startswith("textual.")}


def test_every_core_module_imports_without_textual():
    names = _every_module(nachhaken_tui.core)
    assert "nachhaken_tui.core.db.store" in names
    loaded = _modules_loaded_by("\n".join(f"import {name}" for name in names))
    assert set(names) <= loaded
    assert not _textual(loaded)
    assert (
        not {name for name in loaded if name.split(".")[0] in ("rich", "click")} - _loaded_by_sqlite_utils()
    )


def _loaded_by_sqlite_utils() -> set[str]:
    """sqlite-utils brings Click (its own command line) along; that is not the core's doing."""
    return _modules_loaded_by("import sqlite_utils")


def test_every_command_module_imports_without_textual():
    names = _every_module(nachhaken_tui.commands)
    assert "nachhaken_tui.commands.due" in names
    loaded = _modules_loaded_by("\n".join(f"import {name}" for name in names))
    assert set(names) <= loaded
    assert not _textual(loaded)


def test_the_command_line_imports_without_textual():
    loaded = _modules_loaded_by("import nachhaken_tui.cli")
    assert "nachhaken_tui.cli" in loaded
    assert "textual" not in loaded
