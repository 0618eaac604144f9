"""The subcommands of `nachhaken`, one module each; none of them imports Textual.

A command's module is imported only when that command runs (or when `--help`
lists them all): `nachhaken due` in a shell prompt loads `due` and what it
needs, not the importer, the statistics and the rest, which together cost
it a third of its run time. `COMMANDS` still gives every command object.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

__all__ = ["COMMANDS", "COMMAND_MODULES", "load_command"]

COMMAND_MODULES = {
    "add": "add",
    "import": "import_",
    "export": "export",
    "due": "due",
    "stats": "stats",
    "calendar": "calendar",
    "datasette-metadata": "datasette_metadata",
    "backup": "backup",
    "forget": "forget",
    "demo": "demo",
    "away": "away",
}
"""Command name -> its module in this package, whose click command has the module's name."""


def load_command(name: str) -> click.Command:
    """The click command `name`, importing its module (its help's placeholders in the help's language)."""
    from nachhaken_tui.commands.help_texts import localize_metavars

    module_name = COMMAND_MODULES[name]
    return localize_metavars(getattr(importlib.import_module(f"{__name__}.{module_name}"), module_name))


def __getattr__(name: str) -> list[click.Command]:
    # PEP 562: the full list is built (and every command imported) on first use only.
    if name == "COMMANDS":
        return [load_command(command) for command in COMMAND_MODULES]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
