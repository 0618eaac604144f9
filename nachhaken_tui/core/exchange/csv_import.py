"""CSV import: the user's offer list, from a spreadsheet or another tool, in one go.

What a freelancer's file looks like decides the rules: German Excel writes
`;`, a decimal comma, Windows-1252 or UTF-8 with a BOM ("Unicode text" is
UTF-16 with tabs); other tools write `,` and UTF-8 with their own column names.
So the import

- detects the encoding (BOM, else strict UTF-8, else Windows-1252) and the
  delimiter (`,` `;` or tab, whichever splits the header line into the most
  columns), and assumes a decimal comma when the delimiter is `;`;
- matches headers case- and umlaut-insensitively to the field names and their
  German aliases, with `--map "Deal - Title=title"` for the rest;
- checks every row first and imports only if all are valid (or with
  `skip_invalid`, the valid ones), in one transaction, so a refused import
  leaves the database as it was;
- skips offers already present (same client, title and sent_on), so importing
  the same file twice adds nothing;
- with a preset (`core.exchange.presets`), reads another tool's export by its column
  names, date and number formats and statuses: won and lost offers arrive
  closed, with the loss reason where the source has one.

Everything here is pure core: no click, no Textual. The CLI and the TUI show
the `ImportReport` with `report_lines`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.exchange.export import FORMULA_STARTS
from nachhaken_tui.core.exchange.presets import CLOSING_TARGETS, IGNORE, SKIP, Preset, StatusError
from nachhaken_tui.core.input.fields import FIELDS, REQUIRED_FIELDS, TEXT_LIMIT, field_label, fold, quote
from nachhaken_tui.core.input.offer_check import FieldProblem, OfferInvalid, RawValue, validate_offer
from nachhaken_tui.core.models import OfferDraft, Status
from nachhaken_tui.core.safe_files import read_input
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    import _csv

    from nachhaken_tui.core.db.store import Store

__all__ = [
    "ALIASES",
    "CLOSING_TARGETS",
    "CSV_LIMIT",
    "DELIMITERS",
    "IGNORE",
    "ImportFileError",
    "ImportOptions",
    "ImportReport",
    "Progress",
    "RowProblem",
    "import_csv",
    "parse_mappings",
    "read_text",
    "report_lines",
]

ALIASES: dict[str, tuple[str, ...]] = {
    "client": ("client", "company", "customer", "kunde", "firma"),
    "contact": ("contact", "contact person", "ansprechpartner", "ansprechpartnerin", "kontakt"),
    "salutation": ("salutation", "anrede", "greeting", "briefanrede"),
    "phone": ("phone", "telephone", "tel", "telefon", "telefonnummer"),
    "email": ("email", "e-mail", "mail"),
    "title": ("title", "offer", "angebot", "titel"),
    "reference": (
        "reference",
        "offer number",
        "offer no.",
        "angebotsnr.",
        "angebotsnummer",
        "angebots-nr.",
        "vouchernumber",
        "ordernumber",
        "deal - id",
    ),
    "value": ("value", "amount", "betrag", "wert"),
    "currency": ("currency", "währung"),
    "sent_on": ("sent_on", "sent", "sent on", "date", "gesendet am", "gesendet", "datum"),
    "first_talk_on": ("first_talk_on", "first talk", "erstgespräch", "erstgespräch am"),
    # lexoffice's quotations call it expirationDate, HubSpot's quotes hs_expiration_date
    "valid_until": (
        "valid_until",
        "valid until",
        "gültig bis",
        "bindefrist",
        "expirationDate",
        "hs_expiration_date",
        "expiration date",
    ),
    "notes": ("notes", "note", "notizen", "notiz", "bemerkung", "bemerkungen"),
}
"""Header names (folded when compared) that mean each field."""

_DATE_FIELDS = ("sent_on", "first_talk_on", "valid_until")
"""Fields a preset's `date_formats` apply to (those the offer has)."""

DELIMITERS = (",", ";", "\t")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""The first bytes of .xlsx/.ods (zip) and legacy .xls (OLE2) files."""
_PROGRESS_EVERY = 500
CSV_LIMIT = 512 * 1024**2
"""The largest CSV file imported (512 MiB: several million offers), so memory stays bounded."""

Progress = Callable[[str, int, int], None]
"""Called with the stage ("check" or "save"), rows done and rows in all."""


class ImportFileError(UserError):
    """The file as a whole cannot be imported; nothing was written."""

    catalog = Catalog(
        {
            "empty": {"de": "{path} ist leer.", "en": "{path} is empty."},
            "no_rows": {
                "de": "{path} hat eine Kopfzeile, aber keine Angebote darunter.",
                "en": "{path} has a header line but no offers below it.",
            },
            "spreadsheet": {
                "de": "{path} ist eine Excel- oder ODS-Arbeitsmappe, keine CSV-Datei. "
                "Bitte in der Tabellenkalkulation „Speichern unter“ → CSV wählen.",
                "en": "{path} is an Excel or ODS workbook, not a CSV file. "
                "Use “Save as” → CSV in your spreadsheet program.",
            },
            "vcard": {
                "de": "{path} ist eine vCard-Datei mit Kontakten: mit nachhaken import --vcard {path} einlesen.",
                "en": "{path} is a vCard file of contacts: read it with nachhaken import --vcard {path}.",
            },
            "binary": {
                "de": "{path} enthält Binärdaten (NUL-Bytes) und ist keine CSV-Datei.",
                "en": "{path} contains binary data (NUL bytes) and is not a CSV file.",
            },
            "encoding": {
                "de": "{path} lässt sich nicht als {encoding} lesen (Byte {position}). "
                "Mit --encoding eine andere Kodierung angeben.",
                "en": "{path} cannot be read as {encoding} (byte {position}). "
                "Name another encoding with --encoding.",
            },
            "unknown_encoding": {
                "de": "Unbekannte Kodierung {encoding}.",
                "en": "Unknown encoding {encoding}.",
            },
            "delimiter": {
                "de": "Das Trennzeichen muss genau ein Zeichen sein, nicht {delimiter}.",
                "en": "The delimiter must be a single character, not {delimiter}.",
            },
            "csv": {
                "de": "Zeile {line}: die CSV-Struktur ist kaputt ({reason}).",
                "en": "Line {line}: the CSV structure is broken ({reason}).",
            },
            "cell_too_long": {
                "de": "Zeile {line}: eine Zelle ist länger als {limit} Zeichen "
                "(ein Anführungszeichen, das nie geschlossen wird?).",
                "en": "Line {line}: a cell is longer than {limit} characters "
                "(a quotation mark that is never closed?).",
            },
            "map_syntax": {
                "de": '--map {mapping}: erwartet SPALTE=FELD, z. B. "Deal - Title=title".',
                "en": '--map {mapping}: expected COLUMN=FIELD, e.g. "Deal - Title=title".',
            },
            "map_field": {
                "de": "--map {mapping}: {field} ist kein Feld; Felder: {fields} (oder - zum Ignorieren).",
                "en": "--map {mapping}: {field} is not a field; fields: {fields} (or - to ignore).",
            },
            "map_column": {
                "de": "--map {mapping}: die Datei hat keine Spalte {column}; Spalten: {columns}.",
                "en": "--map {mapping}: the file has no column {column}; columns: {columns}.",
            },
            "ambiguous": {
                "de": "Mehrere Spalten meinen das Feld {field}: {columns}. "
                'Eine davon mit --map "SPALTE=-" ignorieren.',
                "en": "Several columns mean the field {field}: {columns}. "
                'Ignore one of them with --map "COLUMN=-".',
            },
            "missing": {
                "de": "Es fehlen Spalten für {fields}. Gefundene Spalten: {columns}. "
                'Spalten zuordnen mit --map "SPALTE=FELD".',
                "en": "Columns for {fields} are missing. Columns found: {columns}. "
                'Map columns with --map "COLUMN=FIELD".',
            },
        }
    )


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to read the file; None means "detect it"."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    """Source column header -> field name (or `IGNORE`), as from `--map`."""
    delimiter: str | None = None
    encoding: str | None = None
    decimal_comma: bool | None = None
    """None: a decimal comma when the delimiter is `;`, unknown otherwise."""
    skip_invalid: bool = False
    """Import the valid rows even if others are invalid."""
    dry_run: bool = False
    """Check everything, write nothing."""
    currency: str = "EUR"
    """For offers that name none (the user's configured currency)."""
    today: dt.date | None = None
    """The day of the import: a row sent (or with a first talk) after it is invalid.
    None checks no date against today (the CLI always passes it)."""
    preset: Preset | None = None
    """Another tool's column names, formats and statuses (`core.exchange.presets`)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One invalid row: its line in the file and every refused field."""

    line: int
    problems: tuple[FieldProblem, ...] = ()
    cells: tuple[int, int] | None = None
    """(cells in the row, columns in the header) when the row has too many cells."""


@dataclass(slots=True)
class ImportReport:
    """What an import found and did."""

    encoding: str
    delimiter: str
    decimal_comma: bool | None
    columns: dict[str, str]
    """Field -> the file's column header it was read from."""
    ignored_columns: list[str]
    rows: int = 0
    """Data rows read (blank lines not counted)."""
    invalid: list[RowProblem] = field(default_factory=list)
    imported: int = 0
    """Offers written (with `dry_run`: that would be written)."""
    duplicate_lines: list[int] = field(default_factory=list)
    dry_run: bool = False
    blocked: bool = False
    """True when invalid rows stopped the import (nothing written)."""
    closed: dict[str, int] = field(default_factory=dict)
    """Offers that arrived closed, per status (won, lost)."""
    skipped_lines: list[int] = field(default_factory=list)
    """Rows the preset's statuses say to leave out (drafts never sent)."""


def parse_mappings(items: Iterable[str]) -> dict[str, str]:
    """`--map` values ("Deal - Title=title") as {column: field}; fields are checked on import.

    The last `=` separates, so a column name may itself contain one.

    Raises:
        ImportFileError: an item without `=` or with an empty column.
    """
    mapping: dict[str, str] = {}
    for item in items:
        column, equals, target = item.rpartition("=")
        if not equals or not column.strip():
            raise ImportFileError("map_syntax", mapping=quote(item))
        mapping[column.strip()] = target.strip()
    return mapping


class _DryRun(Exception):
    """Raised inside the import transaction to roll back a dry run."""


def import_csv(
    store: Store,
    path: Path,
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
) -> ImportReport:
    """Read, check and (unless refused or a dry run) save the offers in `path`.

    All rows are checked before anything is written, and everything is
    written in one transaction. A dry run runs the same transaction and rolls
    it back, so its counts (duplicates included) are exactly what a real
    import would do.

    Args:
        store: the open `Store`.
        path: the CSV file.
        options: how to read it.
        progress: told how far checking and saving have come.

    Returns:
        The report; `blocked` when invalid rows stopped the import.

    Raises:
        ImportFileError: the file cannot be read as a CSV offer list at all.
    """
    preset = options.preset
    # What the command line says wins over the preset, even an empty (refused) value.
    chosen = options.encoding if options.encoding is not None or preset is None else preset.encoding
    text, encoding = _decode(path, chosen)
    if text.lstrip()[:11].upper() == "BEGIN:VCARD":
        raise ImportFileError("vcard", path=path)
    chosen = options.delimiter if options.delimiter is not None or preset is None else preset.delimiter
    delimiter = _delimiter(text, chosen)
    decimal_comma = options.decimal_comma
    if decimal_comma is None and preset is not None:
        decimal_comma = preset.decimal_comma
    if decimal_comma is None and delimiter == ";":
        decimal_comma = True
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = _header(reader, path)
    columns, ignored = _match_columns(header, options.mapping, preset)
    report = ImportReport(
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=decimal_comma,
        columns={target: header[index] for target, index in columns.items()},
        ignored_columns=ignored,
        dry_run=options.dry_run,
    )
    total = max(text.count("\n") - 1, 1)
    drafts: list[OfferDraft] = []
    lines: list[int] = []
    closing: dict[int, tuple[str, str | None]] = {}
    for line, cells in _rows(reader):
        report.rows += 1
        checked = _check_row(cells, columns, len(header), decimal_comma, line, options)
        if isinstance(checked, RowProblem):
            report.invalid.append(checked)
        elif checked is None:
            report.skipped_lines.append(line)
        else:
            draft, close = checked
            if close is not None:
                closing[len(drafts)] = close
            drafts.append(draft)
            lines.append(line)
        if progress is not None and report.rows % _PROGRESS_EVERY == 0:
            progress("check", min(report.rows, total), total)
    if not report.rows:
        raise ImportFileError("no_rows", path=path)
    if progress is not None:
        progress("check", total, total)
    if report.invalid and not options.skip_invalid:
        report.blocked = True
        return report
    _save(store, drafts, lines, closing, report, options, progress)
    return report


def read_text(path: Path, encoding: str | None = None) -> str:
    """A whole input file as text, refused as the CSV import refuses it (empty, binary, undecodable).

    For the other files the import reads as text: vCards (presets are TOML, `safe_files.read_toml`).

    Raises:
        ImportFileError: the file cannot be read as text.
    """
    return _decode(path, encoding)[0]


def _save(
    store: Store,
    drafts: list[OfferDraft],
    lines: list[int],
    closing: dict[int, tuple[str, str | None]],
    report: ImportReport,
    options: ImportOptions,
    progress: Progress | None,
) -> None:
    total = len(drafts)

    def saved(done: int) -> None:
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
            progress("save", done, total)

    with suppress(_DryRun), store.transaction():
        outcome = store.add_offers(drafts, currency=options.currency, progress=saved, closing=closing)
        report.imported = outcome.inserted
        report.duplicate_lines = [lines[index] for index in outcome.duplicates]
        known = set(outcome.duplicates)
        for index, (status, _reason) in closing.items():
            if index not in known:
                report.closed[status] = report.closed.get(status, 0) + 1
        if options.dry_run:
            raise _DryRun


def _decode(path: Path, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding it was read with.

    Any failure of the codec is the file's problem, not a crash, whatever it
    raises: UnicodeDecodeError, plain UnicodeError (idna, punycode,
    "undefined"), LookupError (a codec that is no text encoding, such as
    rot13 or base64), ValueError or TypeError from stranger ones.
    """
    data = read_input(path, CSV_LIMIT)
    if not data.strip():
        raise ImportFileError("empty", path=path)
    if data.startswith(_WORKBOOK_MAGIC):
        raise ImportFileError("spreadsheet", path=path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError, TypeError):  # "utf\0" is a ValueError
            raise ImportFileError("unknown_encoding", encoding=quote(encoding)) from None
        candidates = [encoding]
    else:
        bom = next((name for mark, name in _BOMS if data.startswith(mark)), None)
        if bom is None and b"\x00" in data:
            raise ImportFileError("binary", path=path)
        candidates = [bom] if bom else ["utf-8", "cp1252"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except LookupError:
            # `--encoding rot13` or `base64`: codecs knows them, but they are
            # no text encodings, and decode() says so only now (issue 7).
            raise ImportFileError("unknown_encoding", encoding=quote(candidate)) from None
        except (ValueError, TypeError) as exc:  # UnicodeError is a ValueError
            failure = (candidate, getattr(exc, "start", 0))
            continue
        if "\x00" in text:
            raise ImportFileError("binary", path=path)
        return text.removeprefix("\ufeff"), candidate
    raise ImportFileError("encoding", path=path, encoding=failure[0], position=failure[1])


def _delimiter(text: str, chosen: str | None) -> str:
    """The chosen delimiter, or the one that splits the header line into the most cells."""
    if chosen is not None:
        named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(chosen.lower(), chosen)
        if len(named) != 1 or named in '"\r\n':
            raise ImportFileError("delimiter", delimiter=quote(chosen))
        return named
    first = text.lstrip("\r\n").split("\n", 1)[0]

    def cells(delimiter: str) -> int:
        try:
            return len(next(csv.reader([first], delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(DELIMITERS, key=cells)


def _header(reader: Iterator[list[str]], path: Path) -> list[str]:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return [cell.strip() for cell in cells]
    raise ImportFileError("empty", path=path)


def _match_columns(
    header: list[str], mapping: Mapping[str, str], preset: Preset | None = None
) -> tuple[dict[str, int], list[str]]:
    """Field -> column index, and the headers that feed no field.

    A `--map` wins over the preset, and both over the aliases: mapping
    "Deal - Title" to title leaves a column called "Titel" ignored instead of
    making the field ambiguous.
    """
    mapped = _preset_columns(header, preset) if preset is not None else {}
    by_preset = set(mapped)
    targets = (*FIELDS, *CLOSING_TARGETS)
    for source, wanted in mapping.items():
        shown = quote(f"{source}={wanted}")
        target_field = wanted.strip().lower()
        if target_field != IGNORE and target_field not in targets:
            raise ImportFileError("map_field", mapping=shown, field=quote(wanted), fields=", ".join(targets))
        indexes = [i for i, name in enumerate(header) if _fold_header(name) == _fold_header(source)]
        if not indexes:
            raise ImportFileError(
                "map_column", mapping=shown, column=quote(source), columns=_list_columns(header)
            )
        if target_field != IGNORE:  # --map wins over the preset's column for the same field
            mapped.update({index: _ALTERNATIVE for index in by_preset if mapped[index] == target_field})
        mapped.update(dict.fromkeys(indexes, target_field))
    by_alias = {_fold_header(name): target for target, names in ALIASES.items() for name in names}
    found: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        target: str | None = None
        if mapped.get(index) == _ALTERNATIVE:
            ignored.append(name)
        elif index in mapped:
            target = mapped[index]
        else:
            target = by_alias.get(_fold_header(name))
            if target in mapped.values():
                target = None
            if target is None and name:
                ignored.append(name)
        if target is not None and target != IGNORE:
            found.setdefault(target, []).append(index)
    for target, indexes in found.items():
        if len(indexes) > 1:
            raise ImportFileError(
                "ambiguous", field=target, columns=", ".join(quote(header[i]) for i in indexes)
            )
    fillable = preset.fill if preset is not None else {}  # e.g. a title made from the offer number
    missing = [name for name in REQUIRED_FIELDS if name not in found and name not in fillable]
    if missing:
        raise ImportFileError("missing", fields=", ".join(missing), columns=_list_columns(header))
    return {target: indexes[0] for target, indexes in found.items()}, ignored


_ALTERNATIVE = "\x00alternative"
"""A preset's column for a field that an earlier column (or `--map`) already feeds: ignored."""


def _preset_columns(header: list[str], preset: Preset) -> dict[int, str]:
    """Column index -> target by the preset; columns the file lacks are no error.

    The first listed column the file has feeds its field; later ones for the
    same field are alternatives (another tool version's name) and ignored.
    """
    mapped: dict[int, str] = {}
    taken: set[str] = set()
    for source, target in preset.columns:
        for index, name in enumerate(header):
            if index in mapped or _fold_header(name) != _fold_header(source):
                continue
            if target != IGNORE and target in taken:
                mapped[index] = _ALTERNATIVE
            else:
                mapped[index] = target
                taken.add(target)
    return mapped


def _fold_header(name: str) -> str:
    return fold(name.replace("_", " ").replace("-", " "))


_LISTED_COLUMNS = 20


def _list_columns(header: list[str]) -> str:
    """The header's names for a message; a 200,000-column line is not printed whole (issue 7)."""
    names = [quote(name) for name in header if name]
    if len(names) > _LISTED_COLUMNS:
        names = [*names[:_LISTED_COLUMNS], f"… ({len(names)})"]
    return ", ".join(names) or "–"


def _rows(reader: _csv.Reader) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells) for each non-blank row."""
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The record's first line, not the reader's: an unclosed quote
            # swallows the rest of the file, and "line 131073" would point
            # the user at the wrong place (issue 7).
            if "field larger than field limit" in str(exc):
                raise ImportFileError("cell_too_long", line=start, limit=csv.field_size_limit()) from None
            raise ImportFileError("csv", line=start, reason=exc) from None
        if any(cell.strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 1


def _check_row(
    cells: list[str],
    columns: dict[str, int],
    width: int,
    decimal_comma: bool | None,
    line: int,
    options: ImportOptions,
) -> tuple[OfferDraft, tuple[str, str | None] | None] | RowProblem | None:
    """The row's offer and, if it arrives closed, (status, loss reason); None for a row to leave out."""
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        return RowProblem(line, cells=(len(cells), width))
    raw: dict[str, RawValue] = {
        target: _unneutralise(cells[index]) if index < len(cells) else None
        for target, index in columns.items()
    }
    closing = {name: str(raw.pop(name) or "") for name in CLOSING_TARGETS if name in raw}
    problems: list[FieldProblem] = []
    status = Status.OPEN.value
    preset = options.preset
    if "status" in closing:
        try:
            status = (preset or Preset("")).status_of(closing["status"])
        except StatusError as error:
            problems.append(FieldProblem("status", error))
        if status == SKIP:
            return None
    if preset is not None:
        _apply_preset(raw, preset)
    try:
        draft = validate_offer(
            raw, decimal_comma=decimal_comma, as_of=options.today, currency=options.currency
        )
    except OfferInvalid as invalid:
        problems[:0] = invalid.problems
    if problems:
        return RowProblem(line, tuple(problems))
    if status == Status.OPEN.value:
        return draft, None
    reason = " ".join(closing.get("loss_reason", "").split())[:TEXT_LIMIT] or None
    return draft, (status, reason if status == Status.LOST.value else None)


def _apply_preset(raw: dict[str, RawValue], preset: Preset) -> None:
    """Fill empty fields from the preset's templates and read dates in its formats, in place."""
    texts = {name: value for name, value in raw.items() if isinstance(value, str)}
    for target in preset.fill:
        if not str(raw.get(target) or "").strip():
            filled = preset.filled(target, texts)
            if filled is not None:
                raw[target] = filled
    for name in _DATE_FIELDS:
        value = raw.get(name)
        if isinstance(value, str) and value.strip():
            day = preset.read_date(value)
            if day is not None:
                raw[name] = day


def _unneutralise(cell: str) -> str:
    """Undo the `'` that an export put before a formula-like cell (see exporter)."""
    if len(cell) > 1 and cell[0] == "'" and cell[1].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


_REPORT = Catalog(
    {
        "row": {"de": "Zeile {line}: {problems}", "en": "line {line}: {problems}"},
        "cells": {
            "de": "{cells} Zellen, die Kopfzeile hat {columns} "
            "(Trennzeichen im Wert nicht in Anführungszeichen?)",
            "en": "{cells} cells but the header has {columns} (an unquoted delimiter in a value?)",
        },
        "ignored": {"de": "Ignorierte Spalten: {columns}", "en": "Ignored columns: {columns}"},
        "mapped": {"de": "So werden die Spalten gelesen:", "en": "How the columns are read:"},
        "mapped_one": {"de": "  {column} → {label}", "en": "  {column} → {label}"},
        "closed": {
            "de": "Geschlossen übernommen: gewonnen {won}, verloren {lost}",
            "en": "Arrived closed: won {won}, lost {lost}",
        },
        "skipped": {
            "de": "Laut Status nicht übernommen (z. B. Entwürfe): Zeilen {lines}",
            "en": "Left out by their status (e.g. drafts): lines {lines}",
        },
        "duplicates": {
            "de": "Schon vorhanden, übersprungen (gleicher Kunde, Titel und Versanddatum): Zeilen {lines}",
            "en": "Already present, skipped (same client, title and sent date): lines {lines}",
        },
        "summary": {
            "de": "Importiert: {imported} · als Duplikat übersprungen: {duplicates} · ungültig: {invalid}",
            "en": "Imported: {imported} · skipped as duplicates: {duplicates} · invalid: {invalid}",
        },
        "summary_dry": {
            "de": "Probelauf, nichts gespeichert. Würde importieren: {imported} · "
            "als Duplikat überspringen: {duplicates} · ungültig: {invalid}",
            "en": "Dry run, nothing written. Would import: {imported} · "
            "skip as duplicates: {duplicates} · invalid: {invalid}",
        },
        "summary_blocked": {
            "de": "Nichts importiert; ungültige Zeilen: {invalid}. Korrigiere sie, oder importiere "
            "die gültigen ({valid}) mit --skip-invalid.",
            "en": "Nothing imported; invalid rows: {invalid}. Fix them, or import the valid ones "
            "({valid}) with --skip-invalid.",
        },
    }
)
_LISTED_LINES = 20


def report_lines(report: ImportReport, lang: str) -> tuple[list[str], str]:
    """The report for people: (notes and problems, one summary line).

    Every invalid row is listed with its line, the column as the file names
    it, and why; duplicates and ignored columns get one note each.
    """
    notes = []
    if report.dry_run:
        notes.append(_REPORT.text(lang, "mapped"))
        notes.extend(
            _REPORT.text(lang, "mapped_one", column=quote(column), label=field_label(target, lang))
            for target, column in report.columns.items()
        )
    if report.ignored_columns:
        notes.append(_REPORT.text(lang, "ignored", columns=_list_columns(report.ignored_columns)))
    for row in report.invalid:
        if row.cells:
            problems = _REPORT.text(lang, "cells", cells=row.cells[0], columns=row.cells[1])
        else:
            problems = "; ".join(
                problem.message(lang, _column_label(report, problem.field, lang)) for problem in row.problems
            )
        notes.append(_REPORT.text(lang, "row", line=row.line, problems=problems))
    if report.duplicate_lines:
        notes.append(_REPORT.text(lang, "duplicates", lines=_list_lines(report.duplicate_lines)))
    if report.skipped_lines:
        notes.append(_REPORT.text(lang, "skipped", lines=_list_lines(report.skipped_lines)))
    if report.closed and not report.blocked:
        notes.append(
            _REPORT.text(lang, "closed", won=report.closed.get("won", 0), lost=report.closed.get("lost", 0))
        )
    counts = {
        "imported": report.imported,
        "duplicates": len(report.duplicate_lines),
        "invalid": len(report.invalid),
        "valid": report.rows - len(report.invalid),
    }
    if report.blocked:
        summary = _REPORT.text(lang, "summary_blocked", **counts)
    else:
        summary = _REPORT.text(lang, "summary_dry" if report.dry_run else "summary", **counts)
    return notes, summary


def _list_lines(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:_LISTED_LINES]))
    return shown + ", …" if len(lines) > _LISTED_LINES else shown


def _column_label(report: ImportReport, field_name: str, lang: str) -> str:
    column = report.columns.get(field_name)
    label = field_label(field_name, lang)
    if column is None or _fold_header(column) == _fold_header(label):
        return label
    return f"{label} ({quote(column)})"
