"""The subcommands of `nachhaken`, one module each; none of them imports Textual."""

from nachhaken_tui.commands.add import add
from nachhaken_tui.commands.demo import demo
from nachhaken_tui.commands.due import due
from nachhaken_tui.commands.export import export
from nachhaken_tui.commands.import_ import import_

__all__ = ["COMMANDS"]

COMMANDS = [add, import_, export, due, demo]
