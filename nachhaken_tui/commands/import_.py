"""`nachhaken import FILE`: bring an offer list from a spreadsheet or CRM export in.

The work is `core.exchange.csv_import`'s; this command reads the options, shows a rich
progress bar on stderr when that is a terminal (none in a pipe or cron job),
prints the report (problems and notes on stderr, the summary on stdout) and
exits with 1 when invalid rows blocked the import.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.exchange.csv_columns import parse_mappings
from nachhaken_tui.core.exchange.csv_import import ImportOptions, Progress, import_csv, report_lines
from nachhaken_tui.core.exchange.presets import load_preset
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["import_"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Angebote aus einer CSV-Datei importieren (auch Excel-Exporte mit ; , Dezimalkomma "
            "und BOM). Spalten: client, contact, phone, email, title, value, currency, sent_on, "
            "first_talk_on, valid_until, reference, notes oder deutsch Kunde/Firma, Ansprechpartner/Kontakt, Telefon, "
            "E-Mail, Angebot/Titel, Angebotsnr., Betrag/Wert, Währung, Gesendet am/Datum, Erstgespräch, "
            "Gültig bis/Bindefrist (auch expirationDate, hs_expiration_date), Notizen. "
            "Pflicht sind Kunde, Titel und Versanddatum. Datum: 2026-11-03, 3.11.2026 oder 3.11.26; "
            'Betrag: 4800, 4.800,50, "4.800,50 €" oder "€ 1,250.00". Ist eine Zeile ungültig, wird nichts '
            "importiert und jede ungültige Zeile genannt. Schon vorhandene Angebote (gleicher "
            "Kunde, Titel, Versanddatum) werden übersprungen.",
            "en": "Import offers from a CSV file (Excel exports with ; , decimal comma and BOM "
            "included). Columns: client, contact, phone, email, title, value, currency, sent_on, "
            "first_talk_on, valid_until (also expirationDate, hs_expiration_date), reference, notes, or German "
            "Kunde/Firma, Ansprechpartner/Kontakt, Telefon, E-Mail, Angebot/Titel, Angebotsnr., Betrag/Wert, Währung, "
            "Gesendet am/Datum, Erstgespräch, Gültig bis/Bindefrist, Notizen. "
            "Client, title and sent date are required. Dates: 2026-11-03, 3.11.2026 or 3.11.26; "
            'amounts: 4800, 4.800,50, "4.800,50 €" or "€ 1,250.00". If any row is invalid, nothing '
            "is imported and every invalid row is listed. Offers already present (same client, title, sent "
            "date) are skipped.",
        },
        "map": {
            "de": 'Spalte einem Feld zuordnen, z. B. --map "Deal - Title=title"; "Spalte=-" '
            "ignoriert sie. Mehrfach verwendbar.",
            "en": 'Map a column to a field, e.g. --map "Deal - Title=title"; "Column=-" '
            "ignores it. Repeatable.",
        },
        "dry_run": {
            "de": "Nur prüfen und berichten (auch welche Spalte welches Feld füllt), nichts speichern.",
            "en": "Check and report only (including which column feeds which field); write nothing.",
        },
        "preset": {
            "de": "Export eines anderen Programms lesen: pipedrive, hubspot-deals, hubspot-quotes, "
            "lexoffice, sevdesk, oder der Pfad einer eigenen Vorlage (TOML). Gewonnene und verlorene "
            "Angebote kommen geschlossen an.",
            "en": "Read another tool's export: pipedrive, hubspot-deals, hubspot-quotes, lexoffice, "
            "sevdesk, or the path of your own preset (TOML). Won and lost offers arrive closed.",
        },
        "skip_invalid": {
            "de": "Die gültigen Zeilen importieren, auch wenn andere ungültig sind.",
            "en": "Import the valid rows even if others are invalid.",
        },
        "delimiter": {
            "de": "Trennzeichen (, ; oder tab); sonst aus der Kopfzeile erkannt.",
            "en": "Delimiter (, ; or tab); else detected from the header line.",
        },
        "encoding": {
            "de": "Zeichenkodierung, z. B. utf-8 oder cp1252; sonst erkannt (UTF-8 mit/ohne BOM, "
            "sonst Windows-1252).",
            "en": "Text encoding, e.g. utf-8 or cp1252; else detected (UTF-8 with or without BOM, "
            "else Windows-1252).",
        },
        "decimal_comma": {
            "de": "Ob Beträge ein Dezimalkomma (4.800,50) oder einen Dezimalpunkt (4,800.50) "
            "haben; Standard: Komma bei ;-getrennten Dateien.",
            "en": "Whether amounts use a decimal comma (4.800,50) or point (4,800.50); default: "
            "comma in ;-separated files.",
        },
        "vcard": {
            "de": "DATEI ist eine vCard-Datei (.vcf, vCard 2.1/3/4) mit Kontakten statt Angeboten: ergänzt "
            "Ansprechpartner, Telefon und E-Mail offener Angebote (nach Kunde oder Ansprechpartner, "
            "ohne Vorhandenes zu überschreiben) und merkt sie sich zur Auswahl im Formular.",
            "en": "FILE is a vCard file (.vcf, vCard 2.1/3/4) of contacts instead of offers: completes the "
            "contact, phone and e-mail of open offers (by client or contact, never overwriting what "
            "is there) and keeps them to pick from in the form.",
        },
        "stage_check": {"de": "Zeilen prüfen", "en": "Checking rows"},
        "stage_save": {"de": "Speichern", "en": "Saving"},
    }
)
_help = partial(_TEXT.text, help_language())


@click.command("import", help=_help("help"))
@common_options
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--map", "mappings", multiple=True, metavar="COLUMN=FIELD", help=_help("map"))
@click.option("--preset", metavar="NAME|FILE", help=_help("preset"))
@click.option("--vcard", is_flag=True, help=_help("vcard"))
@click.option("--dry-run", is_flag=True, help=_help("dry_run"))
@click.option("--skip-invalid", is_flag=True, help=_help("skip_invalid"))
@click.option("--delimiter", metavar="CHAR", help=_help("delimiter"))
@click.option("--encoding", metavar="NAME", help=_help("encoding"))
@click.option("--decimal-comma/--decimal-point", default=None, help=_help("decimal_comma"))
@pass_app
@click.pass_context
def import_(
    ctx: click.Context,
    app: AppContext,
    file: Path,
    mappings: tuple[str, ...],
    preset: str | None,
    vcard: bool,
    dry_run: bool,
    skip_invalid: bool,
    delimiter: str | None,
    encoding: str | None,
    decimal_comma: bool | None,
) -> None:
    if vcard:
        _import_vcard(app, file, dry_run)
        return
    options = ImportOptions(
        mapping=parse_mappings(mappings),
        delimiter=delimiter,
        encoding=encoding,
        decimal_comma=decimal_comma,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        currency=app.config.currency,
        today=app.today,
        preset=load_preset(preset) if preset else None,
    )
    new = _not_there_yet(app.database)
    store = app.open_store()
    report = None
    try:
        with _progress_bar(app.lang) as progress:
            report = import_csv(store, file, options, progress)
    finally:
        store.close()
        if report is None or report.blocked or dry_run:
            _remove(new)  # nothing was imported: no new, empty database is left behind either
    notes, summary = report_lines(report, app.lang)
    for note in notes:
        say(note, err=True)
    say(summary, err=report.blocked)
    if report.blocked:
        ctx.exit(1)


def _import_vcard(app: AppContext, path: Path, dry_run: bool) -> None:
    from nachhaken_tui.core.exchange.contacts import import_vcards, read_vcards
    from nachhaken_tui.core.exchange.contacts import report_lines as contact_lines

    contacts = read_vcards(path)  # a broken file is refused before any database is made
    new = _not_there_yet(app.database)
    store = app.open_store()
    try:
        report = import_vcards(store, contacts, country=app.config.country, dry_run=dry_run)
    finally:
        store.close()
        if dry_run:
            _remove(new)
    notes, summary = contact_lines(report, app.lang)
    for note in notes:
        say(note, err=True)
    say(summary)


def _not_there_yet(database: Path) -> list[Path]:
    """The database's files and the folders above it that opening it would create, deepest first."""
    if database.exists():
        return []
    paths = [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]
    folder = database.parent
    while not folder.exists():
        paths.append(folder)
        folder = folder.parent
    return paths


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.rmdir() if path.is_dir() else path.unlink(missing_ok=True)
        except OSError:
            pass  # a folder something else has put a file into stays


@contextmanager
def _progress_bar(lang: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal; None otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

    tasks: dict[str, TaskID] = {}
    with Bar(console=Console(stderr=True), transient=True) as bar:

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_TEXT.text(lang, f"stage_{stage}"), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
