"""The `nachhaken` command.

`nachhaken` alone opens the TUI; subcommands serve scripts and habits (add,
import, export, due, demo). Textual is imported only when the TUI opens, so
`nachhaken due` in a shell prompt stays fast.

Every user-facing failure is a `UserError`, printed as one line in the user's
language with exit code 1; anything unexpected is logged to the state folder
and reported in one line with exit code 2, never as a traceback.

Click's own words (usage lines, help headings, usage errors) come from Click's
gettext domain: in German from the catalog in locale/ (`_speak`).
"""

from __future__ import annotations

import functools
import gettext
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click

from nachhaken_tui.commands import COMMAND_MODULES, load_command
from nachhaken_tui.commands.common import (
    ARGS_KEY,
    AppContext,
    WordedOption,
    common_options,
    language_of,
    remember,
    say,
)
from nachhaken_tui.commands.help_texts import HELP, localize_metavars
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.core.text.terminal import terminal_safe

__all__ = ["aborted", "cli", "failed", "main"]

CLICK_TEXT = Catalog(
    {
        "opt_help": {"de": "Diese Hilfe zeigen und beenden.", "en": "Show this message and exit."},
        "opt_version": {"de": "Die Version zeigen und beenden.", "en": "Show the version and exit."},
        "version": {"de": "{prog}, Version {version}", "en": "{prog}, version {version}"},
    }
)
"""The words of nachhaken's own help and --version options in German and English."""

_LOCALE_DIR = Path(__file__).parent / "locale"
"""Click's gettext domain `click`: de/LC_MESSAGES/click.po and the click.mo compiled from it."""

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils", "termui")
"""Click's modules that word messages with `gettext` and `ngettext` of their own."""

_language: Callable[[], str] | None = None
"""How this run finds its language, asked when Click first needs a word; None: English."""

_words: gettext.NullTranslations | None = None
"""This run's catalog for Click, once asked for."""


def _speak(language: Callable[[], str] | None) -> None:
    """Let Click word its messages in the language `language` finds; None: English, Click's own.

    Click looks its words up with `gettext` and `ngettext` imported into each
    of its modules; they go through `_translations`, so the language of one run
    ends with it (the next run, or the English after `main`). The language is
    found when Click first needs a word, so a run without a message or help
    page never looks for it.
    """
    global _language, _words
    _install()
    _language, _words = language, None


def _translations() -> gettext.NullTranslations:
    global _words
    if _words is None:
        _words = gettext.NullTranslations()  # Click's English while the language is found
        _words = _catalog(_language() if _language is not None else "en")
    return _words


@functools.cache
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "de":
        return gettext.translation("click", _LOCALE_DIR, languages=["de"])
    return gettext.NullTranslations()


def _gettext(message: str) -> str:
    return _translations().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


@functools.cache
def _install() -> None:
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]  # Click's module-level gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]  # Click's module-level ngettext


def _help_option(command: click.Command) -> click.Command:
    """Give `command` its -h/--help with the help text in the user's language.

    Click's automatic help option has an English text; with ours in place
    Click leaves its own out, since the names are taken.
    """
    if not any("--help" in param.opts for param in command.params):
        click.help_option("-h", "--help", cls=WordedOption, help_key="opt_help", catalog=CLICK_TEXT)(command)
    return command


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    text = CLICK_TEXT.text(language_of(ctx), "version", prog="nachhaken", version=version("nachhaken"))
    click.echo(text, color=ctx.color)
    ctx.exit()


class _UsageError(click.UsageError):
    """A usage error in the user's language, with exit code 1.

    A wrong option is a problem with the input: exit code 1, as the README
    promises. Click's own 2 would read as a crash to scripts that check for
    it (issue 7). Click words the message itself, from the catalog `_speak`
    gave it.
    """

    exit_code = 1

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message(), error.ctx)

    def show(self, file: IO[Any] | None = None) -> None:
        where = {"file": file} if file is not None else {"err": True}
        color = None
        if (ctx := self.ctx) is not None:
            color = ctx.color
            hint = ""
            if any("--help" in param.opts for param in ctx.command.get_params(ctx)):
                hint = _gettext("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option="--help"
                )
                hint += "\n"
            click.echo(terminal_safe(f"{ctx.get_usage()}\n{hint}", keep_lines=True), color=color, **where)
        message = _gettext("Error: {message}").format(message=self.format_message())
        click.echo(terminal_safe(message, keep_lines=True), color=color, **where)


class _Group(click.Group):
    """Turns UserErrors into one-line messages and crashes into a log entry.

    Subcommands are loaded when first asked for (`commands.COMMAND_MODULES`),
    so `nachhaken` and `nachhaken due` import only what they run. Usage
    errors, help pages and usage lines speak the user's language (`_Context`,
    `_speak`, `_UsageError`), with the help option of `_help_option`.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        finally:
            _speak(None)  # Click's English again for whatever runs next in this process

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMAND_MODULES:
            command = _help_option(load_command(cmd_name))
            self.add_command(command, cmd_name)
        return command

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.help = HELP.text(language_of(ctx), "cli")  # worded now: see WordedOption
        super().format_help_text(ctx, formatter)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        localize_metavars(self, language_of(ctx))  # "[OPTIONEN] [BEFEHL] …", worded now too
        super().format_usage(ctx, formatter)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[ARGS_KEY] = list(args)  # for language_of, before --lang is read
        _speak(lambda: language_of(ctx))
        return super().parse_args(ctx, args)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            if isinstance(error, _UsageError):
                raise
            raise _UsageError(error) from error

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            if isinstance(error, _UsageError):
                raise
            raise _UsageError(error) from error
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # the last line of defence: no traceback for users
            ctx.exit(failed(error, ctx.ensure_object(AppContext)))


def failed(error: Exception, app: AppContext) -> int:
    """Report the error that ended a run in one line, never a traceback; return the exit code.

    Shared by the commands (`_Group.invoke`) and the app opened without
    Click (`quick_start`), so both end a run the same way.
    """
    if isinstance(error, UserError):
        say(error.message(app.lang), err=True)
        return 1
    if isinstance(error, BrokenPipeError):
        # `nachhaken export | head`: the reader has all it wanted. Python
        # would complain again when flushing stdout at exit, so point it
        # at devnull and end quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    from nachhaken_tui.core.db.opening import storage_error

    # A damaged file, a full disk or a read-only file can surface from any
    # read or write; it is the user's situation, not a bug, so it gets the
    # one-line message and exit code 1 (issue 7).
    if (problem := storage_error(error, app.database)) is not None:
        say(problem.message(app.lang), err=True)
        return 1
    from nachhaken_tui.crash import report_crash

    click.echo(report_crash(error, app.lang), err=True)
    return 2


def aborted(lang: str) -> int:
    """Say "Aborted!" in `lang` as Click does after Ctrl+C; return its exit code."""
    _speak(lambda: lang)
    try:
        click.echo(err=True)
        click.echo(_gettext("Aborted!"), err=True)
    finally:
        _speak(None)
    return 1


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@common_options
@click.option("--demo", is_flag=True, cls=WordedOption, help_key="opt_demo")
@click.option(
    "--script",
    "script_option",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    callback=remember,
    expose_value=False,
    cls=WordedOption,
    help_key="opt_script",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    cls=WordedOption,
    help_key="opt_version",
    catalog=CLICK_TEXT,
)
@click.help_option("-h", "--help", cls=WordedOption, help_key="opt_help", catalog=CLICK_TEXT)
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
    main()
