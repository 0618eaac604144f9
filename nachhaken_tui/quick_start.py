"""The `nachhaken` entry point: opens the app without Click when Click has nothing to decide.

Importing Click and the command layer costs about 15 ms before the app's
first frame (issue 14's start-up budget). `nachhaken`, alone or with the
plain `--db`, `--lang` and `--today` a launcher or the benchmark gives, needs
none of it: the command line is read here, the way Click would read it.
Anything else (help, a subcommand, `--demo`, `--script`, `--db=PATH`, a
repeated or wrong option, shell completion) goes to Click (`cli.main`)
unchanged, so its help, messages and exit codes stay Click's.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nachhaken_tui.commands.context import AppContext

__all__ = ["main", "plain_context"]

_COMPLETION_VARIABLE = "_NACHHAKEN_COMPLETE"
"""Click's shell completion asks through this variable (for the program name `nachhaken`)."""


def main() -> None:
    """Entry point of the console script and of `python -m nachhaken_tui`.

    The garbage collector is off from here on the plain path, through the
    imports (see `tui._run`, which keeps it off until the first frame).
    """
    gc.disable()
    try:
        context = None if _COMPLETION_VARIABLE in os.environ else plain_context(sys.argv[1:])
        if context is not None:
            code = _open(context)
    finally:
        gc.enable()
    if context is None:
        from nachhaken_tui.cli import main as click_main

        click_main()
        return
    sys.exit(code)


def plain_context(args: list[str]) -> AppContext | None:
    """The context Click would build from `args`, or None when Click must read them.

    Only `--db PATH`, `--lang de|en` and `--today ISO-DATE`, each at most once
    and with a value Click would accept, are read here; for anything else
    (which includes every error) Click reads the command line itself.
    """
    if len(args) % 2:
        return None
    from nachhaken_tui.commands.context import AppContext

    context = AppContext()
    seen: set[str] = set()
    for name, value in zip(args[::2], args[1::2], strict=True):
        if name in seen or not value or value.startswith("-"):
            return None
        seen.add(name)
        if name == "--lang" and value in ("de", "en"):
            context.lang_option = value
        elif name == "--today":
            try:
                context.today_option = dt.date.fromisoformat(value)
            except ValueError:
                return None
        elif name == "--db" and not Path(value).is_dir():  # Click refuses a folder
            context.db_path = Path(value)
        else:
            return None
    return context


def _open(context: AppContext) -> int:
    """Run the app; a failure ends it as `_Group.invoke` ends a command's (`cli.failed`)."""
    try:
        from nachhaken_tui.tui import run_tui

        return run_tui(context)
    except (EOFError, KeyboardInterrupt):
        from nachhaken_tui.cli import aborted

        return aborted(context.lang)
    except Exception as error:  # the last line of defence: no traceback for users
        from nachhaken_tui.cli import failed

        return failed(error, context)
