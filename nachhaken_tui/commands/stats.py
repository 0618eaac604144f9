"""`nachhaken stats`: the user's own numbers, as text or `--json`.

The figures are counted by `core.stats.figures` and worded by `core.stats.words`,
exactly as the TUI's stats screen shows them; how each is counted is in the
`core.stats.figures` docstring (and the README).
"""

from __future__ import annotations

import json
import os
from functools import partial

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.input.dates import parse_past_date
from nachhaken_tui.core.input.fields import ParseError
from nachhaken_tui.core.stats.figures import compute_stats
from nachhaken_tui.core.stats.words import describe
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["stats"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Deine eigenen Zahlen: Anrufe pro Woche, pünktliches Nachfassen, Gewinnquote mit und "
            "ohne Anruf, Ergebnis je Versuch, Verlustgründe, Hemmung vorher und nachher, ob "
            "Befürchtungen eintraten, gewonnener und offener Wert je Währung. Nie allgemeine Statistiken.",
            "en": "Your own numbers: calls per week, follow-up on time, win rate with and without a "
            "call, outcome per attempt, loss reasons, hesitation before and after, whether fears came "
            "true, value won and open per currency. Never general statistics.",
        },
        "json": {"de": "Als JSON ausgeben (Beträge in Cent).", "en": "Print JSON instead (money in cents)."},
        "since": {
            "de": "Nur Angebote zählen, die ab diesem Datum gesendet wurden (z. B. 1.9.2026, 1.11., -30 "
            "oder vor 2 Wochen, wie im Formular).",
            "en": "Count only offers sent on or after this date (e.g. 2026-09-01, 1.11., -30 or 2 weeks ago, "
            "as in the form).",
        },
    }
)
_help = partial(_TEXT.text, help_language())


@click.command("stats", help=_help("help"))
@common_options
@click.option("--json", "as_json", is_flag=True, help=_help("json"))
@click.option("--since", metavar="DATE", help=_help("since"))
@pass_app
@click.pass_context
def stats(ctx: click.Context, app: AppContext, as_json: bool, since: str | None) -> None:
    try:
        since_day = parse_past_date(since, app.today) if since is not None else None
    except ParseError as error:
        say(f"--since: {error.message(app.lang)}", err=True)
        ctx.exit(1)
    store = app.open_store(create=False)
    try:
        figures = compute_stats(store, app.today, since_day)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(figures.as_json(), indent=2))
        return
    color = False if os.environ.get("NO_COLOR") else None
    for number, section in enumerate(describe(figures, app.lang)):
        if number:
            click.echo()
        click.echo(click.style(section.title, bold=True), color=color)
        for line in section.lines:
            click.echo(f"  {line}")
