"""`nachhaken export`: everything nachhaken knows, as JSON or CSV, to stdout or a file.

JSON holds offers and calls (with their answers) in one document; CSV holds
one table per file, chosen with `--table`. Without `--format`, `--table` or
an `--out` ending in .csv means CSV, anything else JSON. Files are created private (0600),
never onto the database (see `core.safe_files`).
Printed to a terminal, control characters in the data are shown as "�"
rather than run (JSON escapes them anyway).
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.exchange.export import TABLES, export_csv, export_excel, export_json
from nachhaken_tui.core.safe_files import open_output
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.core.text.terminal import terminal_safe

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = ["export"]

_TEXT = Catalog(
    {
        "help": {
            "de": 'Alle Angebote und Anrufe exportieren. JSON: {"offers": [...], "calls": [...]}, '
            "jeder Anruf mit seinen Antworten. CSV: eine Tabelle je Datei (--table offers, calls "
            "oder answers); Zellen, die mit = + - @ beginnen, bekommen ein ' davor, damit keine "
            "Tabellenkalkulation sie als Formel ausführt.",
            "en": 'Export every offer and call. JSON: {"offers": [...], "calls": [...]}, each '
            "call with its answers. CSV: one table per file (--table offers, calls or answers); "
            "cells starting with = + - @ get a leading ' so no spreadsheet runs them as formulas.",
        },
        "format": {
            "de": "csv oder json (Standard: csv mit --table oder einer .csv-Datei als --out, sonst json).",
            "en": "csv or json (default: csv with --table or an --out ending in .csv, else json).",
        },
        "table": {
            "de": "Welche Tabelle als CSV (Standard: offers).",
            "en": "Which table to write as CSV (default: offers).",
        },
        "excel": {
            "de": "Die Angebote so, wie deutsches Excel sie per Doppelklick öffnet: ; als Trennzeichen, "
            "Dezimalkomma, UTF-8 mit BOM, Datum als 03.11.2026. nachhaken import liest die Datei wieder "
            "ein, ohne etwas doppelt anzulegen.",
            "en": "The offers as German Excel opens them by double-click: ; between cells, a decimal comma, "
            "UTF-8 with a BOM, dates as 03.11.2026. nachhaken import reads the file back without adding "
            "anything twice.",
        },
        "excel_only_offers": {
            "de": "--excel schreibt die Angebote als CSV; --format json und --table {table} passen nicht dazu.",
            "en": "--excel writes the offers as CSV; --format json and --table {table} do not go with it.",
        },
        "out": {
            "de": "In diese Datei schreiben (mit Rechten 0600) statt auf die Standardausgabe.",
            "en": "Write to this file (mode 0600) instead of standard output.",
        },
        "table_json": {
            "de": "--table gilt nur für CSV; JSON enthält immer alles.",
            "en": "--table applies to CSV only; JSON always holds everything.",
        },
        "done_json": {
            "de": "Nach {path} exportiert (Angebote: {offers}, Anrufe: {calls}).",
            "en": "Exported to {path} (offers: {offers}, calls: {calls}).",
        },
        "done_csv": {
            "de": "Tabelle {table} nach {path} exportiert (Zeilen: {rows}).",
            "en": "Exported the table {table} to {path} (rows: {rows}).",
        },
    }
)
_help = partial(_TEXT.text, help_language())


class _ExportUsage(UserError):
    """Options that contradict each other."""

    catalog = _TEXT


@click.command("export", help=_help("help"))
@common_options
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help=_help("format"))
@click.option("--table", type=click.Choice(TABLES), help=_help("table"))
@click.option("--excel", is_flag=True, help=_help("excel"))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=_help("out"))
@pass_app
def export(app: AppContext, fmt: str | None, table: str | None, excel: bool, out: Path | None) -> None:
    if excel:
        if fmt == "json" or table not in (None, "offers"):
            raise _ExportUsage("excel_only_offers", table=table or "offers")
        fmt, table = "excel", "offers"
    if fmt is None:
        wants_csv = table is not None or (out is not None and out.suffix.lower() == ".csv")
        fmt = "csv" if wants_csv else "json"
    if fmt == "json" and table is not None:
        raise _ExportUsage("table_json")
    store = app.open_store(create=False)
    try:
        if out is None:
            _write(store, _screen_safe(sys.stdout), fmt, table, app.lang)
            return
        with open_output(out, app.database) as handle:
            counts = _write(store, _screen_safe(handle), fmt, table, app.lang)
    finally:
        store.close()
    if isinstance(counts, tuple):
        message = _TEXT.text(app.lang, "done_json", offers=counts[0], calls=counts[1], path=out)
    else:
        message = _TEXT.text(app.lang, "done_csv", rows=counts, table=table or "offers", path=out)
    say(message, err=True)


class _ScreenSafe:
    """Output to a terminal (stdout, or `--out /dev/tty`): control characters in data are shown, not run.

    Only when a person watches; a pipe or file gets the data unchanged.
    """

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text, keep_lines=True))


def _screen_safe(stream: TextIO) -> TextIO:
    """`stream`, wrapped in `_ScreenSafe` when a person watches it."""
    if not stream.isatty():
        return stream
    return cast(TextIO, _ScreenSafe(stream))  # the exporters only call write()


def _write(store: Store, handle: TextIO, fmt: str, table: str | None, lang: str) -> int | tuple[int, int]:
    if fmt == "json":
        return export_json(store, handle)
    if fmt == "excel":
        return export_excel(store, handle, lang)
    return export_csv(store, handle, table or "offers")
