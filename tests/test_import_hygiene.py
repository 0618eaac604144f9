"""The core never imports Textual, and neither does the command line until the TUI opens.

Checked in a fresh interpreter, since this test process has Textual loaded by
the UI tests.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import nachhaken_tui.core


def _modules_loaded_by(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_every_core_module_imports_without_textual():
    names = [f"nachhaken_tui.core.{info.name}" for info in pkgutil.iter_modules(nachhaken_tui.core.__path__)]
    assert "nachhaken_tui.core.store" in names
    loaded = _modules_loaded_by("\n".join(f"import {name}" for name in names))
    assert not {name for name in loaded if name == "textual" or name.startswith("textual.")}


def test_the_command_line_imports_without_textual():
    loaded = _modules_loaded_by("import nachhaken_tui.cli")
    assert "nachhaken_tui.cli" in loaded
    assert "textual" not in loaded
