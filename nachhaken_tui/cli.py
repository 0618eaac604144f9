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
import re
import string
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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

__all__ = ["cli", "main"]

CLICK_TEXT = Catalog(
    {
        "opt_help": {"de": "Diese Hilfe zeigen und beenden.", "en": "Show this message and exit."},
        "opt_version": {"de": "Die Version zeigen und beenden.", "en": "Show the version and exit."},
        "version": {"de": "{prog}, Version {version}", "en": "{prog}, version {version}"},
        "usage": {"de": "Aufruf:", "en": "Usage:"},
        "section_options": {"de": "Optionen", "en": "Options"},
        "section_commands": {"de": "Befehle", "en": "Commands"},
        "section_arguments": {"de": "Argumente", "en": "Positional arguments"},
        "try_help": {"de": "Hilfe mit '{command} {option}'.", "en": "Try '{command} {option}' for help."},
        "error": {"de": "Fehler: {message}", "en": "Error: {message}"},
        # Click's own messages; the English is Click's wording, by which its
        # messages are recognised (see _message).
        "missing_argument": {"de": "Fehlendes Argument {name}.", "en": "Missing argument {name}."},
        "missing_option": {"de": "Fehlende Option {name}.", "en": "Missing option {name}."},
        "missing_parameter": {"de": "Fehlender Parameter {name}.", "en": "Missing parameter {name}."},
        "invalid_value_for": {
            "de": "Ungültiger Wert für {name}: {message}",
            "en": "Invalid value for {name}: {message}",
        },
        "invalid_value": {"de": "Ungültiger Wert: {message}", "en": "Invalid value: {message}"},
        "no_such_option": {"de": "Unbekannte Option {name}.", "en": "No such option {name}."},
        "no_such_command": {"de": "Unbekannter Befehl {name}.", "en": "No such command {name}."},
        "did_you_mean_1": {"de": "Meintest du {names}?", "en": "Did you mean {names}?"},
        "did_you_mean_n": {
            "de": "(Meintest du eins davon: {names}?)",
            "en": "(Did you mean one of: {names}?)",
        },
        "not_choice": {
            "de": "{value} geht nicht; möglich ist nur {choices}.",
            "en": "{value} is not {choices}.",
        },
        "not_one_of": {
            "de": "{value} geht nicht; möglich sind {choices}.",
            "en": "{value} is not one of {choices}.",
        },
        "needs_value": {
            "de": "Die Option {name} braucht einen Wert.",
            "en": "Option {name} requires an argument.",
        },
        "takes_no_value": {
            "de": "Die Option {name} nimmt keinen Wert.",
            "en": "Option {name} does not take a value.",
        },
        "file_missing": {
            "de": "Die Datei {filename} gibt es nicht.",
            "en": "File {filename} does not exist.",
        },
        "file_is_directory": {
            "de": "{filename} ist ein Ordner, keine Datei.",
            "en": "File {filename} is a directory.",
        },
        "file_unreadable": {
            "de": "Die Datei {filename} ist nicht lesbar.",
            "en": "File {filename} is not readable.",
        },
        "extra_argument_1": {
            "de": "Unerwartetes zusätzliches Argument ({args})",
            "en": "Got unexpected extra argument ({args})",
        },
        "extra_argument_n": {
            "de": "Unerwartete zusätzliche Argumente ({args})",
            "en": "Got unexpected extra arguments ({args})",
        },
    }
)
"""Click's own words (help option, usage lines, usage errors) in German and English."""

_RECOGNISED = (
    "not_one_of",
    "not_choice",
    "file_missing",
    "file_is_directory",
    "file_unreadable",
    "needs_value",
    "takes_no_value",
    "extra_argument_1",
    "extra_argument_n",
)
"""Messages Click hands over as finished English text, recognised by their wording."""

_SECTIONS = {
    "Options": "section_options",
    "Commands": "section_commands",
    "Positional arguments": "section_arguments",
}
"""Click's help headings (its English names) -> their keys."""


class _Formatter(click.HelpFormatter):
    """Click's help and usage layout with the headings in the user's language."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = f"{CLICK_TEXT.text(self.lang, 'usage')} "
        super().write_usage(prog, args, prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        key = _SECTIONS.get(name)
        with super().section(CLICK_TEXT.text(self.lang, key) if key else name):
            yield


class _Context(click.Context):
    """A context whose help page and usage line speak the user's language."""

    def make_formatter(self) -> click.HelpFormatter:
        return _Formatter(language_of(self), width=self.terminal_width, max_width=self.max_content_width)


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
    it (issue 7).
    """

    exit_code = 1

    def __init__(self, error: click.UsageError, lang: str) -> None:
        super().__init__(_message(error, lang), error.ctx)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        where = {"file": file} if file is not None else {"err": True}
        color = None
        if (ctx := self.ctx) is not None:
            color = ctx.color
            hint = ""
            if any("--help" in param.opts for param in ctx.command.get_params(ctx)):
                hint = (
                    CLICK_TEXT.text(self.lang, "try_help", command=ctx.command_path, option="--help") + "\n"
                )
            click.echo(terminal_safe(f"{ctx.get_usage()}\n{hint}", keep_lines=True), color=color, **where)
        message = CLICK_TEXT.text(self.lang, "error", message=self.format_message())
        click.echo(terminal_safe(message, keep_lines=True), color=color, **where)


def _message(error: click.UsageError, lang: str) -> str:
    """What went wrong, in `lang`; Click's own English for a message it words in a way we do not know."""
    if lang == "en":
        return error.format_message()
    if isinstance(error, click.MissingParameter):
        if error.message or error.param is None or isinstance(error.param.type, click.Choice):
            return error.format_message()  # a custom message, or one with Click's list of choices
        kind = error.param_type or error.param.param_type_name
        key = {"argument": "missing_argument", "option": "missing_option"}.get(kind, "missing_parameter")
        return CLICK_TEXT.text(lang, key, name=_param_hint(error))
    if isinstance(error, click.BadParameter):
        message = _recognised(error.message, lang) or error.message
        if (name := _param_hint(error)) is None:
            return CLICK_TEXT.text(lang, "invalid_value", message=message)
        return CLICK_TEXT.text(lang, "invalid_value_for", name=name, message=message)
    if isinstance(error, click.NoSuchOption):
        return _with_possibilities(
            CLICK_TEXT.text(lang, "no_such_option", name=repr(error.option_name)), error, lang
        )
    no_such_command = getattr(click.exceptions, "NoSuchCommand", None)  # Click 8.4 and later
    if no_such_command is not None and isinstance(error, no_such_command):
        return _with_possibilities(
            CLICK_TEXT.text(lang, "no_such_command", name=repr(error.command_name)), error, lang
        )
    return _recognised(error.message, lang) or error.format_message()


def _param_hint(error: click.BadParameter) -> str | None:
    """The parameter as Click names it in messages: '--lang', 'FILE'."""
    if error.param_hint is not None:
        if isinstance(error.param_hint, str):
            return error.param_hint
        return " / ".join(repr(hint) for hint in error.param_hint)
    if error.param is not None:
        return error.param.get_error_hint(error.ctx)
    return None


def _with_possibilities(message: str, error: click.UsageError, lang: str) -> str:
    possibilities = sorted(getattr(error, "possibilities", None) or [])
    if not possibilities:
        return message
    key = "did_you_mean_1" if len(possibilities) == 1 else "did_you_mean_n"
    return f"{message} {CLICK_TEXT.text(lang, key, names=', '.join(map(repr, possibilities)))}"


def _recognised(message: str, lang: str) -> str | None:
    """`message`, a finished English text of Click's, in `lang`, if its wording is one we know."""
    for key in _RECOGNISED:
        if (fields := _fields(CLICK_TEXT.text("en", key), message)) is not None:
            return CLICK_TEXT.text(lang, key, **fields)
    return None


def _fields(template: str, text: str) -> dict[str, str] | None:
    """The values `template`'s fields have in `text`, or None if `text` is not worded so."""
    pattern = "".join(
        re.escape(literal) + (f"(?P<{field}>.+)" if field else "")
        for literal, field, _spec, _conversion in string.Formatter().parse(template)
    )
    match = re.fullmatch(pattern, text, re.DOTALL)
    return match.groupdict() if match else None


class _Group(click.Group):
    """Turns UserErrors into one-line messages and crashes into a log entry.

    Subcommands are loaded when first asked for (`commands.COMMAND_MODULES`),
    so `nachhaken` and `nachhaken due` import only what they run. Usage
    errors, help pages and usage lines speak the user's language (`_Context`,
    `_UsageError`), with the help option of `_help_option`.
    """

    context_class = _Context

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMAND_MODULES:
            command = _help_option(load_command(cmd_name))
            if command.context_class is click.Context:
                command.context_class = _Context
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
        return super().parse_args(ctx, args)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        given = list(args)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            if isinstance(error, _UsageError):
                raise
            raise _UsageError(error, language_of(error.ctx, given)) from error

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            app = ctx.ensure_object(AppContext)
            say(error.message(app.lang), err=True)
            ctx.exit(1)
        except click.UsageError as error:
            if isinstance(error, _UsageError):
                raise
            raise _UsageError(error, language_of(error.ctx or ctx)) from error
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `nachhaken export | head`: the reader has all it wanted. Python
            # would complain again when flushing stdout at exit, so point it
            # at devnull and end quietly, as other Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as error:  # the last line of defence: no traceback for users
            from nachhaken_tui.core.db.opening import storage_error

            app = ctx.ensure_object(AppContext)
            # A damaged file, a full disk or a read-only file can surface from
            # any read or write; it is the user's situation, not a bug, so it
            # gets the one-line message and exit code 1 (issue 7).
            if (problem := storage_error(error, app.database)) is not None:
                say(problem.message(app.lang), err=True)
                ctx.exit(1)
            from nachhaken_tui.crash import report_crash

            click.echo(report_crash(error, app.lang), err=True)
            ctx.exit(2)


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
