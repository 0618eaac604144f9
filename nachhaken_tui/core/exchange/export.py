"""Export: every offer, call and answer, as JSON or CSV, for backups and other tools.

- JSON is one document, `{"offers": [...], "calls": [...]}`, each call with
  its script `answers` nested, every column as stored (money in exact
  `value_cents`). It is written row by row, so a large file never sits in
  memory as one string.
- CSV holds one table per file (`offers`, `calls` or `answers`), every column
  as stored; the offers table also gets a `value` column ("4800.50") so that
  a spreadsheet shows money and `nachhaken import` reads the file back.
- The Excel export (`export_excel`) is the offers table as German Excel opens
  it by double-click: `;`, a UTF-8 BOM, a decimal comma, dates as 03.11.2026,
  headers in the user's language that `nachhaken import` reads back (so
  importing it again adds nothing and changes nothing).
- CSV cells that a spreadsheet would run as a formula (starting with
  `= + - @`, tab or CR) get a leading `'` (OWASP's advice against CSV
  injection; a phone number "+49 …" is shown as "'+49 …"). The importer
  removes that `'` again.
- Where a file may be written, and how (privately, renamed into place), is
  `core.safe_files`'s concern; this module only writes into a text stream.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from nachhaken_tui.core.db.due_rank import STORE_KEPT
from nachhaken_tui.core.input.fields import field_label
from nachhaken_tui.core.text.currencies import minor_digits
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.core.text.wording import loss_reason_label, status_label

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = [
    "FORMULA_STARTS",
    "TABLES",
    "export_csv",
    "export_excel",
    "export_json",
    "neutralise",
]

TABLES = ("offers", "calls", "answers")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may run as a formula at the start of a cell."""
# json.dumps escapes C0 controls; DEL and C1 (e.g. the 8-bit CSI) pass through
# unless escaped here, and could steer a terminal the export is printed to.
_ESCAPE_C1 = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def neutralise(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula; non-text stays as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(store: Store, out: TextIO, table: str = "offers") -> int:
    """Write one table as CSV (header first) to `out`; returns the rows written.

    Raises:
        ValueError: `table` is not one of `TABLES`.
    """
    if table not in TABLES:
        raise ValueError(table)
    columns = [column.name for column in store.db[table].columns if column.name not in STORE_KEPT]
    if table == "offers":
        columns.insert(columns.index("value_cents") + 1, "value")
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in store.iter_rows(table):
        if table == "offers":
            row["value"] = _decimal_text(row["value_cents"], row["currency"])
        writer.writerow([neutralise(row[column]) for column in columns])
        count += 1
    return count


EXCEL_COLUMNS = (
    "reference",
    "client",
    "contact",
    "phone",
    "email",
    "title",
    "value",
    "currency",
    "sent_on",
    "first_talk_on",
    "status",
    "next_due",
    "attempts",
    "loss_reason",
    "notes",
)
"""The Excel export's columns, in order: the offer's own fields first, which the
import reads back by their headers, then its state, which the import ignores."""
_EXCEL_HEADERS = Catalog(
    {
        "next_due": {"de": "Nächstes Nachfassen", "en": "next follow-up"},
        "attempts": {"de": "Versuche", "en": "attempts"},
    }
)


def export_excel(store: Store, out: TextIO, lang: str) -> int:
    """Write the offers as German Excel opens them by double-click; returns the rows written.

    `;` between cells, CRLF line ends, a UTF-8 BOM (without it Excel reads
    Windows-1252 and breaks umlauts), amounts with a decimal comma and no
    thousands mark ("4800,50", a number to Excel), dates as "03.11.2026".
    Headers and statuses are in `lang`; formula-like cells are neutralised
    as in every CSV export.
    """
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(
        [
            _EXCEL_HEADERS.text(lang, name) if name in ("next_due", "attempts") else field_label(name, lang)
            for name in EXCEL_COLUMNS
        ]
    )
    count = 0
    for row in store.iter_rows("offers"):
        cells = {
            **row,
            "value": _decimal_text(row["value_cents"], row["currency"]).replace(".", ","),
            "sent_on": _german_date(row["sent_on"]),
            "first_talk_on": _german_date(row["first_talk_on"]),
            "next_due": _german_date(row["next_due"]),
            "status": status_label(row["status"], lang),
            "loss_reason": loss_reason_label(row["loss_reason"], lang),
        }
        writer.writerow([neutralise(cells[name]) for name in EXCEL_COLUMNS])
        count += 1
    return count


def _german_date(iso: str | None) -> str:
    """ "2026-11-03" as German Excel reads a date: "03.11.2026"."""
    if not iso:
        return ""
    year, month, day = iso[:10].split("-")
    return f"{day}.{month}.{year}"


def export_json(store: Store, out: TextIO) -> tuple[int, int]:
    """Write `{"offers": [...], "calls": [...]}` to `out`; returns (offers, calls).

    Each call carries its `answers` in script order. Calls (by id) and answers
    (by call, then position, through the `answers_call` index) are read side
    by side and merged, so no table is held in memory; all from one state of
    the file, so no call comes without its answers or its offer.
    """
    with store.snapshot() as conn:
        out.write('{\n"offers": [')
        offers = _write_items(out, store.iter_rows("offers"))
        out.write('],\n"calls": [')
        calls = _write_items(out, _with_answers(store.iter_rows("calls"), conn))
    out.write("]\n}\n")
    return offers, calls


def _with_answers(calls: Iterable[dict], conn: sqlite3.Connection) -> Iterator[dict]:
    """Each call with its `answers` (a list, maybe empty), calls and answers both in call id order."""
    cursor = conn.execute("SELECT * FROM answers ORDER BY call_id, position, id")
    keys = [column[0] for column in cursor.description]
    answers = (dict(zip(keys, row, strict=True)) for row in cursor)
    pending = next(answers, None)
    for call in calls:
        own = []
        while pending is not None and pending["call_id"] <= call["id"]:
            if pending["call_id"] == call["id"]:
                own.append(pending)
            pending = next(answers, None)
        yield {**call, "answers": own}


def _write_items(out: TextIO, items: Iterable[object]) -> int:
    count = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False).translate(_ESCAPE_C1)
        out.write(("," if count else "") + "\n  " + text)
        count += 1
    if count:
        out.write("\n")
    return count


def _decimal_text(cents: int | None, currency: str | None) -> str:
    """The amount in the currency's main unit, for spreadsheets: "4800.50", "5000" (yen)."""
    if cents is None:
        return ""
    digits = minor_digits(currency)
    whole, rest = divmod(cents, 10**digits)
    return f"{whole}.{rest:0{digits}d}" if digits else str(whole)
