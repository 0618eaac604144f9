"""`nachhaken demo --db PATH`: write the demo offers into a database file.

For a demo file to keep, open in Datasette or take screenshots from
(`nachhaken --demo` uses a throwaway one). Two guards keep a user's real data
apart from demo data: the command insists on an explicit `--db`, so it never
fills the default database by accident, and it refuses a database that
already holds offers.
"""

from __future__ import annotations

import shlex

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["DemoTargetError", "demo"]

TEXTS = Catalog(
    {
        "help": {
            "de": "Schreibt etwa 25 realistische Demo-Angebote (mit Anrufverlauf, datiert relativ zu "
            "heute) in die Datei von --db. Eine Datenbank, die schon Angebote enthält, wird nicht "
            "angerührt.",
            "en": "Write about 25 realistic demo offers (with call history, dated relative to today) "
            "to the file given with --db. A database that already holds offers is left alone.",
        },
        "short_help": {
            "de": "Demo-Daten in eine Datenbankdatei schreiben.",
            "en": "Write demo data to a database file.",
        },
        "written": {
            "de": "{count} Demo-Angebote in {path} geschrieben. Öffnen mit: nachhaken --db {quoted}",
            "en": "Wrote {count} demo offers to {path}. Open them with: nachhaken --db {quoted}",
        },
    }
)

_LANG = help_language()


class DemoTargetError(UserError):
    """`nachhaken demo` without `--db`: it never writes to the default database."""

    catalog = Catalog(
        {
            "no_db": {
                "de": "Bitte eine Datei für die Demo angeben, z. B.: nachhaken demo --db demo.db "
                "(die Demo schreibt nie in deine Standard-Datenbank).",
                "en": "Please name a file for the demo, e.g.: nachhaken demo --db demo.db "
                "(the demo never writes to your default database).",
            },
        }
    )


@click.command("demo", help=TEXTS.text(_LANG, "help"), short_help=TEXTS.text(_LANG, "short_help"))
@common_options
@pass_app
def demo(app: AppContext) -> None:
    from nachhaken_tui.core.demo import build_demo

    if app.db_path is None:
        raise DemoTargetError("no_db")
    store = app.open_store()
    try:
        count = build_demo(store, app.today)
    finally:
        store.close()
    path = app.database
    say(TEXTS.text(app.lang, "written", count=count, path=path, quoted=shlex.quote(str(path))))
