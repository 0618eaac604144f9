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
- checks every row and imports only if all are valid (or with
  `skip_invalid`, the valid ones), in one transaction that a refused import
  rolls back, so it leaves the database as it was; the file is read once,
  as a stream, and saved a batch at a time, so a million rows take no more
  memory than a thousand;
- skips offers already present (same client, title and sent_on), so importing
  the same file twice adds nothing;
- with a preset (`core.exchange.presets`), reads another tool's export by its column
  names, date and number formats and statuses: won and lost offers arrive
  closed, with the loss reason where the source has one.

Everything here is pure core: no click, no Textual. The CLI and the TUI show
the `ImportReport` with `report_lines`. Reading the file (encoding,
delimiter, records and their lines) is `core.exchange.csv_read`'s, matching
headers to fields `core.exchange.csv_columns`'s.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from nachhaken_tui.core.db.store import OFFER_BATCH, Closing, Store
from nachhaken_tui.core.exchange.csv_columns import fold_header, list_columns, match_columns
from nachhaken_tui.core.exchange.csv_read import (
    ImportFileError,
    data_rows,
    detect_delimiter,
    open_text,
    read_header,
)
from nachhaken_tui.core.exchange.export import FORMULA_STARTS
from nachhaken_tui.core.exchange.presets import CLOSING_TARGETS, SKIP, Preset, StatusError
from nachhaken_tui.core.input.fields import TEXT_LIMIT, field_label, quote
from nachhaken_tui.core.input.offer_check import FieldProblem, OfferInvalid, RawValue, validate_offer
from nachhaken_tui.core.models import OfferDraft, Status
from nachhaken_tui.core.text.i18n import Catalog

__all__ = [
    "ImportOptions",
    "ImportReport",
    "Progress",
    "RowProblem",
    "import_csv",
    "report_lines",
]

_DATE_FIELDS = ("sent_on", "first_talk_on", "valid_until")
"""Fields a preset's `date_formats` apply to (those the offer has)."""

_PROGRESS_EVERY = 500

Progress = Callable[[str, int, int], None]
"""Called with the stage ("check" or "save"), rows done and rows in all."""


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


class _RollBack(Exception):
    """Raised inside the import transaction to roll back a dry run or a refused import."""


def import_csv(
    store: Store,
    path: Path,
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
) -> ImportReport:
    """Read, check and (unless refused or a dry run) save the offers in `path`.

    One pass over the file, in one transaction: each valid row is saved as it
    is read (`OFFER_BATCH` at a time), so memory does not grow with the file.
    An invalid row stops the saving but not the checking, so every invalid row
    is reported, and the transaction is rolled back: a refused import leaves
    the database as it was. A dry run runs the same transaction and rolls
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
    with open_text(path, chosen) as text:
        if text.head.lstrip()[:11].upper() == "BEGIN:VCARD":
            raise ImportFileError("vcard", path=path)
        chosen = options.delimiter if options.delimiter is not None or preset is None else preset.delimiter
        delimiter = detect_delimiter(text.head, chosen)
        decimal_comma = options.decimal_comma
        if decimal_comma is None and preset is not None:
            decimal_comma = preset.decimal_comma
        if decimal_comma is None and delimiter == ";":
            decimal_comma = True
        reader = csv.reader(text.lines(), delimiter=delimiter, strict=True)
        header = read_header(reader, path)
        columns, ignored = match_columns(header, options.mapping, preset)
        report = ImportReport(
            encoding=text.encoding,
            delimiter=delimiter,
            decimal_comma=decimal_comma,
            columns={target: header[index] for target, index in columns.items()},
            ignored_columns=ignored,
            dry_run=options.dry_run,
        )

        check = _row_checker(columns, len(header), decimal_comma, options)
        total = max(text.newlines - 1, 1)
        with suppress(_RollBack), store.adding_offers(currency=options.currency) as add:
            _read_and_save(
                data_rows(reader), check, add, report, options.skip_invalid, _Steps(progress, total)
            )
            if not report.rows:
                raise ImportFileError("no_rows", path=path)
            if report.blocked or options.dry_run:
                raise _RollBack
    return report


_Checked = tuple[OfferDraft, Closing | None] | RowProblem | None
"""A row's offer and how it arrives closed (if it does), why it is invalid, or None to leave it out."""

_Batch = list[tuple[int, OfferDraft, Closing | None]]
"""Valid rows not saved yet: (line, offer, how it arrives closed)."""


@dataclass(frozen=True, slots=True)
class _Steps:
    """Tells `progress` how far checking and saving have come, against the lines in the file."""

    progress: Progress | None
    total: int

    def checked(self, rows: int) -> None:
        if self.progress is not None:
            self.progress("check", min(rows, self.total), self.total)

    def saved(self, rows: int, last: bool) -> None:
        """`rows` saved; until the `last` batch, of as many as the file has lines."""
        if self.progress is not None and rows:
            self.progress("save", rows, rows if last else max(rows, self.total))


def _read_and_save(
    rows: Iterator[tuple[int, list[str]]],
    check: Callable[[int, list[str]], _Checked],
    add: Callable[[Sequence[tuple[OfferDraft, Closing | None]]], list[int]],
    report: ImportReport,
    skip_invalid: bool,
    steps: _Steps,
) -> None:
    """Check every row, and save the valid ones batch by batch until an invalid row blocks the import."""
    batch: _Batch = []
    for line, cells in rows:
        report.rows += 1
        checked = check(line, cells)
        if isinstance(checked, RowProblem):
            report.invalid.append(checked)
            report.blocked = not skip_invalid
        elif checked is None:
            report.skipped_lines.append(line)
        elif not report.blocked:
            batch.append((line, *checked))
            if len(batch) == OFFER_BATCH:
                _save(batch, add, report)
                steps.saved(report.imported + len(report.duplicate_lines), last=False)
        if report.rows % _PROGRESS_EVERY == 0:
            steps.checked(report.rows)
    if not report.rows:
        return
    steps.checked(steps.total)
    if report.blocked:  # nothing is saved: the report says so
        report.imported, report.duplicate_lines, report.closed = 0, [], {}
        return
    _save(batch, add, report)
    steps.saved(report.imported + len(report.duplicate_lines), last=True)


def _save(
    batch: _Batch,
    add: Callable[[Sequence[tuple[OfferDraft, Closing | None]]], list[int]],
    report: ImportReport,
) -> None:
    """Write `batch` and empty it, noting what was imported, what was a duplicate and what arrived closed."""
    known = set(add([(draft, closed) for _line, draft, closed in batch]))
    for position, (line, _draft, closed) in enumerate(batch):
        if position in known:
            report.duplicate_lines.append(line)
            continue
        report.imported += 1
        if closed is not None:
            status = closed[0]
            report.closed[status] = report.closed.get(status, 0) + 1
    batch.clear()


def _row_checker(
    columns: dict[str, int], width: int, decimal_comma: bool | None, options: ImportOptions
) -> Callable[[int, list[str]], _Checked]:
    """`check(line, cells)`: the row's offer and, if it arrives closed, (status, loss reason);
    why it is invalid; or None for a row to leave out.

    Made once per file, so what is the same for every row (which cell feeds
    which field) is worked out once, not a million times.
    """
    fields = [(target, index) for target, index in columns.items() if target not in CLOSING_TARGETS]
    closing = [(target, index) for target, index in columns.items() if target in CLOSING_TARGETS]
    preset = options.preset
    open_, lost = Status.OPEN.value, Status.LOST.value

    def check(line: int, cells: list[str]) -> _Checked:
        count = len(cells)
        if count > width and any(cell.strip() for cell in cells[width:]):
            return RowProblem(line, cells=(count, width))
        raw: dict[str, RawValue] = {
            target: (_unneutralise(cells[index]) if cells[index][:1] == "'" else cells[index])
            if index < count
            else None
            for target, index in fields
        }
        closed = {target: _unneutralise(cells[index]) if index < count else "" for target, index in closing}
        problems: list[FieldProblem] = []
        status = open_
        if "status" in closed:
            try:
                status = (preset or Preset("")).status_of(closed["status"])
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
        if status == open_:
            return draft, None
        reason = " ".join(closed.get("loss_reason", "").split())[:TEXT_LIMIT] or None
        return draft, (status, reason if status == lost else None)

    return check


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
        notes.append(_REPORT.text(lang, "ignored", columns=list_columns(report.ignored_columns)))
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
    if column is None or fold_header(column) == fold_header(label):
        return label
    return f"{label} ({quote(column)})"
