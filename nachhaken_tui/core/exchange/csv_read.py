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
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.fields import quote
from nachhaken_tui.core.safe_files import FileRefused, open_input, too_large
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    import _csv

__all__ = [
    "CSV_LIMIT",
    "DELIMITERS",
    "HEAD_LIMIT",
    "ImportFileError",
    "InputText",
    "data_rows",
    "detect_delimiter",
    "open_text",
    "read_header",
    "read_text",
]

DELIMITERS = (",", ";", "\t")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""The first bytes of .xlsx/.ods (zip) and legacy .xls (OLE2) files."""
CSV_LIMIT = 512 * 1024**2
"""The largest CSV file imported (512 MiB: several million offers); it is read in chunks, never whole."""
HEAD_LIMIT = 1024**2
"""Characters of a file's start kept to look at (`InputText.head`): a header line is shorter."""
_CHUNK = 1024**2
"""Bytes read at a time."""
_NON_BLANK = re.compile(rb"[^ \t\n\r\x0b\x0c]")
"""A byte that `bytes.strip` would keep."""


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
    with open_text(path, encoding) as text:
        return "".join(text.lines())


@dataclass(frozen=True, slots=True)
class InputText:
    """An input file found fit to read as text, and its encoding: read it with `lines`, as often as needed."""

    path: Path
    encoding: str
    head: str
    """The text's first `HEAD_LIMIT` characters (all of a smaller file), without a byte order mark:
    enough to tell a vCard, and the delimiter from the header line."""
    newlines: int
    """How many line feeds the text has: how far along a reader is, for a progress bar."""
    source: BinaryIO

    def lines(self) -> Iterator[str]:
        """The text's lines from its start, line ends kept, split as `io.StringIO(text, newline="")` splits them.

        Decoded as the file is read, so the memory it takes does not grow with
        the file (a million rows are a few hundred MB of text).
        """
        try:
            self.source.seek(0)
            text = io.TextIOWrapper(self.source, encoding=self.encoding, newline="")
            try:
                yield text.readline().removeprefix("\ufeff")
                yield from text
            finally:
                if not self.source.closed:  # a reader left unfinished is closed after the file
                    text.detach()
        except (ValueError, TypeError) as exc:  # the file changed since `open_text` decoded it
            raise ImportFileError(
                "encoding", path=self.path, encoding=self.encoding, position=getattr(exc, "start", 0)
            ) from None
        except OSError as exc:
            raise FileRefused("unreadable", path=self.path, reason=exc.strerror or exc) from None


@contextmanager
def open_text(path: Path, encoding: str | None) -> Iterator[InputText]:
    """`path` checked as text to import, and open: read in chunks, never whole.

    The encoding is the one given, else the one a byte order mark names, else
    strict UTF-8 if the whole file decodes as such, else Windows-1252. Any
    failure of the codec is the file's problem, not a crash, whatever it
    raises: UnicodeDecodeError, plain UnicodeError (idna, punycode,
    "undefined"), LookupError (a codec that is no text encoding, such as
    rot13 or base64), ValueError or TypeError from stranger ones.

    Raises:
        ImportFileError: empty, a workbook, binary, or not in the encoding.
        FileRefused: not a regular file, unreadable, or larger than `CSV_LIMIT`.
    """
    with open_input(path, CSV_LIMIT) as source:
        try:
            checked = _checked(path, source, encoding)
        except OSError as exc:
            raise FileRefused("unreadable", path=path, reason=exc.strerror or exc) from None
        yield checked


def _checked(path: Path, source: BinaryIO, encoding: str | None) -> InputText:
    start, blank, nul = _survey(path, source)
    if blank:
        raise ImportFileError("empty", path=path)
    if start.startswith(_WORKBOOK_MAGIC):
        raise ImportFileError("spreadsheet", path=path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError, TypeError):  # "utf\0" is a ValueError
            raise ImportFileError("unknown_encoding", encoding=quote(encoding)) from None
        candidates = [encoding]
    else:
        bom = next((name for mark, name in _BOMS if start.startswith(mark)), None)
        if bom is None and nul:
            raise ImportFileError("binary", path=path)
        candidates = [bom] if bom else ["utf-8", "cp1252"]
    for candidate in candidates:
        decoded = _decode(source, candidate)
        if isinstance(decoded, int):
            failure = (candidate, decoded)
            continue
        head, newlines, nul = decoded
        if nul:
            raise ImportFileError("binary", path=path)
        return InputText(path, candidate, head, newlines, source)
    raise ImportFileError("encoding", path=path, encoding=failure[0], position=failure[1])


def _survey(path: Path, source: BinaryIO) -> tuple[bytes, bool, bool]:
    """The file's first bytes, whether it is blank (ASCII white space only), whether it has a NUL byte."""
    start, blank, nul, size = b"", True, False, 0
    while chunk := source.read(_CHUNK):
        start = start or chunk[:4]
        size += len(chunk)
        if size > CSV_LIMIT:  # it grew since it was opened
            raise too_large(path, CSV_LIMIT)
        blank = blank and _NON_BLANK.search(chunk) is None
        nul = nul or b"\x00" in chunk
    return start, blank, nul


def _decode(source: BinaryIO, encoding: str) -> tuple[str, int, bool] | int:
    """(the text's head, its line feeds, whether it has a NUL), or the byte where decoding fails."""
    try:
        b"\n".decode(encoding)  # not b"": decoding nothing skips the check
    except LookupError:
        # `--encoding rot13` or `base64`: codecs knows them, but they are
        # no text encodings, and decode() says so only now (issue 7).
        raise ImportFileError("unknown_encoding", encoding=quote(encoding)) from None
    except (ValueError, TypeError):
        pass  # "\n" alone is no text in this encoding (UTF-16); the file may well be
    decoder = codecs.getincrementaldecoder(encoding)()
    source.seek(0)
    head, newlines, nul, offset = "", 0, False, 0
    while True:
        chunk = source.read(_CHUNK)
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(chunk, final=not chunk)
        except (ValueError, TypeError) as exc:  # UnicodeError is a ValueError
            return offset - pending + getattr(exc, "start", 0)
        if len(head) < HEAD_LIMIT:
            head += text[: HEAD_LIMIT - len(head)]
        newlines += text.count("\n")
        nul = nul or "\x00" in text
        offset += len(chunk)
        if not chunk:
            return head.removeprefix("\ufeff"), newlines, nul


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
        if "".join(cells).strip():
            yield start, cells
        start = reader.line_num + 1
