"""`nachhaken calendar`: the next follow-up of every open offer as an ICS file.

Import it into any calendar program; importing a newer file updates the
events (stable UIDs). How the events look is in `core.exchange.ics`.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.safe_files import open_output
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["calendar"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Das nächste Nachfassen jedes offenen Angebots als Kalenderdatei (ICS): ein "
            "ganztägiger Termin mit Erinnerung um 9 Uhr, Überfälliges auf heute. Ein erneuter Import "
            "aktualisiert die Termine, statt sie zu verdoppeln.",
            "en": "The next follow-up of every open offer as a calendar file (ICS): an all-day event "
            "with a reminder at 9:00, overdue ones on today. Importing again updates the events "
            "instead of duplicating them.",
        },
        "out": {
            "de": "In diese Datei schreiben (mit Rechten 0600) statt auf die Standardausgabe.",
            "en": "Write to this file (mode 0600) instead of standard output.",
        },
        "done": {
            "de": "Kalender nach {path} geschrieben (Termine: {n}).",
            "en": "Wrote the calendar to {path} (events: {n}).",
        },
    }
)
_help = partial(_TEXT.text, help_language())


@click.command("calendar", help=_help("help"))
@common_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=_help("out"))
@pass_app
def calendar(app: AppContext, out: Path | None) -> None:
    from nachhaken_tui.core.exchange.ics import write_calendar  # icalendar only when needed

    store = app.open_store(create=False)
    try:
        if out is None:
            write_calendar(store, sys.stdout, app.today, app.lang)
            return
        with open_output(out, app.database) as handle:
            events = write_calendar(store, handle, app.today, app.lang)
    finally:
        store.close()
    say(_TEXT.text(app.lang, "done", n=events, path=out), err=True)
