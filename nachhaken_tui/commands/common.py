"""What every `nachhaken` command shares: the context object and common options."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from nachhaken_tui.commands.context import AppContext
from nachhaken_tui.commands.help_texts import HELP, help_language
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.core.text.terminal import terminal_safe

if TYPE_CHECKING:
    from collections.abc import Callable


F = TypeVar("F", bound="Callable[..., Any]")

__all__ = [
    "ARGS_KEY",
    "AppContext",
    "WordedOption",
    "common_options",
    "language_of",
    "pass_app",
    "remember",
    "say",
]

ARGS_KEY = "nachhaken.args"
"""Where `ctx.meta` keeps the command line as given, for `language_of`."""


def say(message: str, *, err: bool = False) -> None:
    """Print a message that may quote what the user typed (a path, an option's value).

    Control characters in it are shown as "�", not run: a file name holding
    an escape sequence must not recolour the terminal or retitle its window,
    just as data never does (`terminal_safe`).
    """
    click.echo(terminal_safe(message, keep_lines=True), err=err)


class WordedOption(click.Option):
    """An option whose help text is worded when a help page shows it, not when it is defined.

    The language may come from the config file. Read while `nachhaken.cli`
    is imported, a broken or hostile config would fail outside the
    command's error handling (a traceback on `--help`), so the options of
    the group and those every command shares word their help only here.

    Args:
        help_key: the text's key in `catalog`.
        catalog: where the text is (default: the shared help texts).
    """

    def __init__(self, *args: Any, help_key: str, catalog: Catalog = HELP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help_key = help_key
        self.catalog = catalog

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self.catalog.text(language_of(ctx), self.help_key)
        return super().get_help_record(ctx)


pass_app = click.make_pass_decorator(AppContext, ensure=True)


def language_of(ctx: click.Context | None, args: list[str] | None = None) -> str:
    """The language for Click's own words: usage lines, usage errors, `--version`.

    `--lang` once its callback has run (it is eager, so it runs before the
    other options' callbacks and checks); before that, as when the parser
    refuses an unknown option, the `--lang` on the command line (`args`, else
    the one the group kept in `ctx.meta`), then the config and the locale,
    just as `AppContext.lang` decides.
    """
    if ctx is not None:
        app = ctx.find_object(AppContext)
        if app is not None and app.lang_option:
            return app.lang_option
        if args is None:
            args = ctx.meta.get(ARGS_KEY)
    return help_language(args)


def remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Store a common option on the AppContext, whichever level it was given at."""
    if value is not None and value is not False:
        app = ctx.ensure_object(AppContext)
        setattr(app, param.name, value)
    return value


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(value) from None
    return remember(ctx, param, day)


def common_options(func: F) -> F:
    """--db, --lang and --today, accepted by the group and by every command."""
    func = click.option(
        "--today",
        "today_option",
        callback=_parse_today,
        expose_value=False,
        hidden=True,
        help="Pretend today is this ISO date (tests, screenshots).",
    )(func)
    func = click.option(
        "--lang",
        "lang_option",
        type=click.Choice(["de", "en"]),
        callback=remember,
        expose_value=False,
        is_eager=True,  # before the checks of other options, so their errors speak the language
        cls=WordedOption,
        help_key="opt_lang",
    )(func)
    func = click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=remember,
        expose_value=False,
        cls=WordedOption,
        help_key="opt_db",
    )(func)
    return func
