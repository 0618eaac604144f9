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

from nachhaken_tui.commands import COMMAND_MODULES, load_command
from nachhaken_tui.commands.common import AppContext, common_options, help_text, remember
from nachhaken_tui.core.errors import UserError

__all__ = ["cli", "main"]


class _Group(click.Group):
    """Turns UserErrors into one-line messages and crashes into a log entry.

    Subcommands are loaded when first asked for (`commands.COMMAND_MODULES`),
    so `nachhaken` and `nachhaken due` import only what they run.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMAND_MODULES:
            command = load_command(cmd_name)
            self.add_command(command, cmd_name)
        return command

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            error.exit_code = 1  # see invoke
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as error:
            app = ctx.ensure_object(AppContext)
            click.echo(_safe(error.message(app.lang)), err=True)
            ctx.exit(1)
        except click.UsageError as error:
            # A wrong option is a problem with the input: exit code 1, as the
            # README promises. Click's own 2 would read as a crash to scripts
            # that check for it (issue 7).
            error.exit_code = 1
            raise
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `nachhaken export | head`: the reader has all it wanted. Python
            # would complain again when flushing stdout at exit, so point it
            # at devnull and end quietly, as other Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as error:  # the last line of defence: no traceback for users
            from nachhaken_tui.core.store import storage_error

            app = ctx.ensure_object(AppContext)
            # A damaged file, a full disk or a read-only file can surface from
            # any read or write; it is the user's situation, not a bug, so it
            # gets the one-line message and exit code 1 (issue 7).
            if (problem := storage_error(error, app.database)) is not None:
                click.echo(_safe(problem.message(app.lang)), err=True)
                ctx.exit(1)
            from nachhaken_tui.crash import report_crash

            click.echo(report_crash(error, app.lang), err=True)
            ctx.exit(2)


def _safe(message: str) -> str:
    """A message as the terminal should show it.

    Messages quote paths and values the user passed (a CSV file's name, a
    `--db` path); a name holding an escape sequence must be shown, not run.
    """
    from nachhaken_tui.core.display import terminal_safe

    return terminal_safe(message, keep_lines=True)


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


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="nachhaken")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
