"""The `nachhaken` command.

`nachhaken` alone opens the TUI; subcommands serve scripts and habits (add,
import, export, due, demo). Textual is imported only when the TUI opens, so
`nachhaken due` in a shell prompt stays fast.

Every user-facing failure is a `UserError`, printed as one line in the user's
language with exit code 1; anything unexpected is logged to the state folder
and reported in one line with exit code 2, never as a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from nachhaken_tui.commands import COMMANDS
from nachhaken_tui.commands.common import AppContext, common_options, help_text, remember
from nachhaken_tui.core.errors import UserError

__all__ = ["cli", "main"]


class _Group(click.Group):
    """Turns UserErrors into one-line messages and crashes into a log entry."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as error:
            app = ctx.ensure_object(AppContext)
            click.echo(error.message(app.lang), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `nachhaken export | head`: the reader has all it wanted. Python
            # would complain again when flushing stdout at exit, so point it
            # at devnull and end quietly, as other Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as error:  # the last line of defence: no traceback for users
            from nachhaken_tui.crash import report_crash

            app = ctx.ensure_object(AppContext)
            click.echo(report_crash(error, app.lang), err=True)
            ctx.exit(2)


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=help_text("cli"),
)
@common_options
@click.option("--demo", is_flag=True, help=help_text("opt_demo"))
@click.option(
    "--script",
    "script_option",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    callback=remember,
    expose_value=False,
    help=help_text("opt_script"),
)
@click.version_option(package_name="nachhaken", prog_name="nachhaken")
@click.pass_context
def cli(ctx: click.Context, demo: bool) -> None:
    ctx.ensure_object(AppContext)
    if ctx.invoked_subcommand is None:
        from nachhaken_tui.tui import run_tui

        ctx.exit(run_tui(ctx.obj, demo=demo))


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="nachhaken")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
