"""`nachhaken datasette-metadata`: a Datasette metadata file for the read contract.

`datasette nachhaken.db -m metadata.json` then shows the `v1_…` views with
what every column means, in the user's language, and hides the base tables
(internal, see README "Schema"). The work is `core.db.read_contract`'s.
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.safe_files import open_output
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["datasette_metadata"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Eine Metadaten-Datei für Datasette schreiben: die Sichten v1_offers, v1_calls, "
            "v1_answers und v1_blocks mit der Bedeutung jeder Spalte, die internen Tabellen "
            "ausgeblendet. Dann: datasette nachhaken.db -m metadata.json",
            "en": "Write a metadata file for Datasette: the views v1_offers, v1_calls, v1_answers and "
            "v1_blocks with what every column means, the internal tables hidden. Then: "
            "datasette nachhaken.db -m metadata.json",
        },
        "out": {
            "de": "In diese Datei schreiben (z. B. metadata.json, mit Rechten 0600) statt auf die Standardausgabe.",
            "en": "Write to this file (e.g. metadata.json, mode 0600) instead of standard output.",
        },
        "done": {
            "de": "Metadaten nach {path} geschrieben. Öffnen mit: datasette {db} -m {path}",
            "en": "Wrote the metadata to {path}. Open with: datasette {db} -m {path}",
        },
    }
)
_help = partial(_TEXT.text, help_language())


@click.command("datasette-metadata", help=_help("help"))
@common_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=_help("out"))
@pass_app
def datasette_metadata(app: AppContext, out: Path | None) -> None:
    from nachhaken_tui.core.db.migrations import V1_VIEWS
    from nachhaken_tui.core.db.read_contract import datasette_metadata as build

    store = app.open_store(create=False)
    try:
        hidden = [name for name in store.db.table_names() if name not in V1_VIEWS]
    finally:
        store.close()
    # Datasette names a database after its file, without the extension.
    text = json.dumps(build(app.database.stem, app.lang, hidden), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    with open_output(out, app.database) as handle:
        handle.write(text)
    say(_TEXT.text(app.lang, "done", path=out, db=app.database), err=True)
