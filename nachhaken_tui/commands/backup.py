"""`nachhaken backup`: a consistent copy of the database, safe while the app is open."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.db.privacy import backup_database
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["backup"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Die Datenbank sichern, mit SQLites Online-Backup: ein stimmiger Stand, auch wenn "
            "nachhaken gerade offen ist und speichert. Die Kopie hat die Rechte 0600.",
            "en": "Back up the database with SQLite's online backup: one consistent state, even while "
            "nachhaken is open and saving. The copy has mode 0600.",
        },
        "out": {
            "de": "Zieldatei (Standard: nachhaken-backup-JJJJMMTT-HHMMSS.db neben der Datenbank).",
            "en": "Target file (default: nachhaken-backup-YYYYMMDD-HHMMSS.db beside the database).",
        },
        "done": {
            "de": "Gesichert nach {path} (Angebote: {offers}, Anrufe: {calls})",
            "en": "Backed up to {path} (offers: {offers}, calls: {calls})",
        },
        "done_snoozes": {
            "de": "Gesichert nach {path} (Angebote: {offers}, Anrufe: {calls}, dazu Verschiebungen: {snoozes})",
            "en": "Backed up to {path} (offers: {offers}, calls: {calls}, plus snoozes: {snoozes})",
        },
    }
)
_help = partial(_TEXT.text, help_language())


@click.command("backup", help=_help("help"))
@common_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=_help("out"))
@pass_app
def backup(app: AppContext, out: Path | None) -> None:
    store = app.open_store(create=False)
    try:
        report = backup_database(store, out)
    finally:
        store.close()
    # Calls are counted as `nachhaken stats` counts them; a snooze moves a date without a call.
    key = "done_snoozes" if report.snoozes else "done"
    counts = {"offers": report.offers, "calls": report.calls, "snoozes": report.snoozes}
    say(_TEXT.text(app.lang, key, path=report.path, **counts))
