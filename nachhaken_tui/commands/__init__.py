"""The subcommands of `nachhaken`, one module each; none of them imports Textual."""

from nachhaken_tui.commands.add import add
from nachhaken_tui.commands.backup import backup
from nachhaken_tui.commands.calendar import calendar
from nachhaken_tui.commands.demo import demo
from nachhaken_tui.commands.due import due
from nachhaken_tui.commands.export import export
from nachhaken_tui.commands.forget import forget
from nachhaken_tui.commands.import_ import import_
from nachhaken_tui.commands.stats import stats

__all__ = ["COMMANDS"]

COMMANDS = [add, import_, export, due, stats, calendar, backup, forget, demo]
