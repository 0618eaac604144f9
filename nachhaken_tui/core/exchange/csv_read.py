"""Reading a CSV file for the import: its bytes made text, its delimiter, its records.

The offer import (`core.exchange.csv_import`) and the vCard import
(`core.exchange.contacts`) read files people bring from other programs, and
refuse them the same way: empty, a workbook instead of a CSV, binary, or in an
encoding that does not decode. This module is that reading, apart from what the
import then does with the rows, so the column matching and the import itself
stay short enough to read. `ImportFileError`, the one error of a whole file
that cannot be imported, lives here because reading is the first to raise it.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.fields import quote
from nachhaken_tui.core.safe_files import read_input
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    import _csv

__all__ = [
    "CSV_LIMIT",
    "DELIMITERS",
    "ImportFileError",
    "data_rows",
    "decode_file",
    "detect_delimiter",
    "read_header",
    "read_text",
]

DELIMITERS = (",", ";", "\t")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""The first bytes of .xlsx/.ods (zip) and legacy .xls (OLE2) files."""
CSV_LIMIT = 512 * 1024**2
"""The largest CSV file imported (512 MiB: several million offers), so memory stays bounded."""


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


def read_text(path: Path, encoding: str | None = None) -> str:
    """A whole input file as text, refused as the CSV import refuses it (empty, binary, undecodable).

    For the other files the import reads as text: vCards (presets are TOML, `safe_files.read_toml`).

    Raises:
        ImportFileError: the file cannot be read as text.
    """
    return decode_file(path, encoding)[0]


def decode_file(path: Path, encoding: str | None) -> tuple[str, str]:
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


def detect_delimiter(text: str, chosen: str | None) -> str:
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


def read_header(reader: Iterator[list[str]], path: Path) -> list[str]:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return [cell.strip() for cell in cells]
    raise ImportFileError("empty", path=path)


def data_rows(reader: _csv.Reader) -> Iterator[tuple[int, list[str]]]:
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
