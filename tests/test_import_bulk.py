"""The import at scale: it streams, writes in batches, and stays all-or-nothing.

`import_csv` reads the file once and saves the valid rows a batch at a time
inside one transaction (issue 14). These tests pin what that must not change:
the rows it writes, every duplicate it finds across batches and against the
database, and that a bad row anywhere (the last of thousands) leaves the
database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY

from nachhaken_tui.core.db.store import OFFER_BATCH, Store
from nachhaken_tui.core.exchange.csv_import import ImportOptions, import_csv, report_lines
from nachhaken_tui.core.exchange.csv_read import ImportFileError
from nachhaken_tui.core.exchange.presets import load_preset
from nachhaken_tui.core.models import OfferDraft

RICH_GERMAN = (
    "Kunde;Ansprechpartner;Anrede;Telefon;E-Mail;Angebot;Angebotsnr.;Betrag;Währung;Gesendet am;"
    "Erstgespräch;Gültig bis;Notizen\r\n"
    "Müller Bau GmbH;Anna Müller;Liebe Anna;0171 1234567;anna@mueller-bau.de;Website-Relaunch;A-2026-001;"
    '4.800,50 €;;03.11.2026;20.10.2026;15.12.2026;"Will erst mit dem Chef reden;\r\nRückruf Dienstag"\r\n'
    "Schulz & Söhne;  Jörg   Schulz ;;+49 (30) 123 45-6;;Logo;;1.250;EUR;3.11.26;;;\r\n"
    ";;;;;;;;;;;;\r\n"
    "'=Formel AG;;;;;'@Angebot;;\"1.999,99\";;2.11.2026;;;\r\n"
    "Schulz & Söhne;Jemand anders;;;;Logo;;99;;03.11.2026;;;doppelt in der Datei\r\n"
    "Bestand GmbH;;;;;Wartung;;100;;01.10.2026;;;schon in der Datenbank\r\n"
    "Weihnachten KG;;;;;Feiertage;;0;;24.12.2025;;;\r\n"
    "Eilig OHG;;;;;Knapp gültig;;12,5;;02.11.2026;;04.11.2026;\r\n"
    "Dollar Inc;;;;;Export;;1.250,00;USD;16.11.2026;;;\r\n"
    "Ohne Betrag;;;;;Idee;;;;20.11.2026;01.11.2026;;\r\n"
    "Kaputt;;;;;Falsch;;abc;;99.99.2026;;;\r\n"
    "Zukunft;;;;;Später;;1;;01.12.2026;;;\r\n"
)
"""German Excel (cp1252, `;`, decimal comma): every kind of cell, a duplicate in the
file and one of the database, and two invalid rows (left out with --skip-invalid)."""

PIPEDRIVE = (
    '"Deal - ID","Deal - Title","Deal - Value","Deal - Currency of value","Deal - Status",'
    '"Deal - Lost reason","Organization - Name","Person - Name","Person - Phone","Person - Email (Work)",'
    '"Deal - Deal created","Deal - Expected close date"\n'
    '"101","Website-Relaunch","4800","EUR","open","","Müller Bau GmbH","Anna Müller","+49 171 1234567",'
    '"anna@mueller-bau.de","2026-11-03 09:15:27","2026-12-15"\n'
    '"102","Logo redesign","1250.5","EUR","won","","Schulz & Söhne","Jörg Schulz","","","2026-10-20 14:02:11",'
    '"2026-11-30"\n'
    '"103","SEO audit","1,900.00","USD","lost","Too   expensive","ACME Ltd","John Smith","",'
    '"john@acme.example","2026-10-01 08:00:00",""\n'
    '"104","Old lead","100","EUR","deleted","","Ghost Inc","","","","2026-09-01 08:00:00",""\n'
    '"105","Retainer","","EUR","lost","","Quiet GmbH","","","","2026-08-01 08:00:00",""\n'
)
"""A Pipedrive export: open, won, lost (with and without a reason) and a deleted deal left out."""

_STAMPED = ("created_at", "updated_at", "closed_at")
"""Columns holding the time of the import: checked apart, not pinned."""
_PINNED = (
    "id client contact phone email title value_cents currency sent_on first_talk_on status next_due due_kind "
    "attempts loss_reason notes salutation phone_wrong revise_by revised_sent_on reopened_at valid_until "
    "due_cause due_planned reference"
).split()
"""The columns an imported offer had before issue 14 (a later one, such as a rank, is not pinned here)."""


def _rows(db: Path) -> list[str]:
    """Every offer as stored, by id: its columns that are not NULL; the time stamps checked apart."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(row) for row in conn.execute("SELECT * FROM offers ORDER BY id")]
    for row in rows:
        assert row["updated_at"] == row["created_at"]
        assert row["closed_at"] in (None, row["created_at"])
        assert (row["closed_at"] is None) == (row["status"] == "open")
    return [" ".join(f"{name}={row[name]!r}" for name in _PINNED if row[name] is not None) for row in rows]


def _dump(db: Path) -> list[tuple]:
    """Everything in the file, stamps included, for "exactly as it was"."""
    with sqlite3.connect(db) as conn:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [(table, *row) for table in sorted(tables) for row in conn.execute(f'SELECT * FROM "{table}"')]


def _seed(store: Store) -> None:
    store.add_offers(
        [
            OfferDraft(client="Bestand GmbH", title="Wartung", sent_on=dt.date(2026, 10, 1)),
            OfferDraft(client="Alt AG", title="Altes", sent_on=dt.date(2026, 9, 1), value_cents=500),
        ]
    )


def test_the_rows_written_are_exactly_those_of_the_import_before_batches(store, tmp_path, db_path):
    """Pinned from the import as it was (one sqlite-utils insert per row): the same
    columns, values, follow-up dates and order, whatever the batching does."""
    _seed(store)
    german = tmp_path / "german.csv"
    german.write_bytes(RICH_GERMAN.encode("cp1252"))
    report = import_csv(store, german, ImportOptions(skip_invalid=True, today=TODAY))
    assert (report.imported, report.duplicate_lines, [row.line for row in report.invalid]) == (
        7,
        [7, 8],
        [13, 14],
    )
    deals = tmp_path / "deals.csv"
    deals.write_text(PIPEDRIVE, encoding="utf-8")
    report = import_csv(store, deals, ImportOptions(today=TODAY, preset=load_preset("pipedrive")))
    assert (report.imported, report.duplicate_lines) == (3, [2])  # Müller's offer came with the first file
    assert (report.closed, report.skipped_lines) == ({"won": 1, "lost": 2}, [5])
    assert _rows(db_path) == PINNED_ROWS


PINNED_ROWS = [
    "id=1 client='Bestand GmbH' title='Wartung' currency='EUR' sent_on='2026-10-01' status='open' next_due='2026-10-06' due_kind='first' attempts=0 phone_wrong=0",
    "id=2 client='Alt AG' title='Altes' value_cents=500 currency='EUR' sent_on='2026-09-01' status='open' next_due='2026-09-04' due_kind='first' attempts=0 phone_wrong=0",
    "id=3 client='Müller Bau GmbH' contact='Anna Müller' phone='0171 1234567' email='anna@mueller-bau.de' title='Website-Relaunch' value_cents=480050 currency='EUR' sent_on='2026-11-03' first_talk_on='2026-10-20' status='open' next_due='2026-11-06' due_kind='first' attempts=0 notes='Will erst mit dem Chef reden;\\nRückruf Dienstag' salutation='Liebe Anna' phone_wrong=0 valid_until='2026-12-15' reference='A-2026-001'",
    "id=4 client='Schulz & Söhne' contact='Jörg Schulz' phone='+49 (30) 123 45-6' title='Logo' value_cents=125000 currency='EUR' sent_on='2026-11-03' status='open' next_due='2026-11-06' due_kind='first' attempts=0 phone_wrong=0",
    "id=5 client='=Formel AG' title='@Angebot' value_cents=199999 currency='EUR' sent_on='2026-11-02' status='open' next_due='2026-11-05' due_kind='first' attempts=0 phone_wrong=0",
    "id=6 client='Weihnachten KG' title='Feiertage' value_cents=0 currency='EUR' sent_on='2025-12-24' status='open' next_due='2025-12-31' due_kind='first' attempts=0 phone_wrong=0",
    "id=7 client='Eilig OHG' title='Knapp gültig' value_cents=1250 currency='EUR' sent_on='2026-11-02' status='open' next_due='2026-11-03' due_kind='first' attempts=0 phone_wrong=0 valid_until='2026-11-04' due_cause='expiring' due_planned='2026-11-05'",
    "id=8 client='Dollar Inc' title='Export' value_cents=125000 currency='USD' sent_on='2026-11-16' status='open' next_due='2026-11-19' due_kind='first' attempts=0 phone_wrong=0",
    "id=9 client='Ohne Betrag' title='Idee' currency='EUR' sent_on='2026-11-20' first_talk_on='2026-11-01' status='open' next_due='2026-11-25' due_kind='first' attempts=0 phone_wrong=0",
    "id=10 client='Schulz & Söhne' contact='Jörg Schulz' title='Logo redesign' value_cents=125050 currency='EUR' sent_on='2026-10-20' status='won' attempts=0 phone_wrong=0 reference='102'",
    "id=11 client='ACME Ltd' contact='John Smith' email='john@acme.example' title='SEO audit' value_cents=190000 currency='USD' sent_on='2026-10-01' status='lost' attempts=0 loss_reason='Too expensive' phone_wrong=0 reference='103'",
    "id=12 client='Quiet GmbH' title='Retainer' currency='EUR' sent_on='2026-08-01' status='lost' attempts=0 phone_wrong=0 reference='105'",
]
"""Written by the import as it was before issue 14, one sqlite-utils insert per row."""


def _big_csv(path: Path, rows: int, last: str | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("client,title,value,sent_on,notes\n")
        for n in range(rows):
            handle.write(f"Kunde {n} GmbH,Angebot {n},{n % 5000}.50,{1 + n % 28:02d}.10.2026,Notiz {n}\n")
        if last is not None:
            handle.write(last)
    return path


def test_a_bad_last_row_of_thousands_leaves_the_database_as_it_was(store, tmp_path, db_path):
    _seed(store)
    before = _dump(db_path)
    rows = 3 * OFFER_BATCH + 500  # several batches are written before the bad row is read
    path = _big_csv(tmp_path / "big.csv", rows, last="Letzter Kunde,Letztes Angebot,zwölf,03.10.2026,\n")
    report = import_csv(store, path, ImportOptions(today=TODAY))
    assert report.blocked
    assert (report.rows, report.imported, report.duplicate_lines, report.closed) == (rows + 1, 0, [], {})
    notes, summary = report_lines(report, "en")
    assert notes == [f"line {rows + 2}: value: 'zwölf' is not an amount (e.g. 4800, 4.800,50 € or 4,800.50)"]
    assert summary.startswith(
        f"Nothing imported; invalid rows: 1. Fix them, or import the valid ones ({rows})"
    )
    assert _dump(db_path) == before
    assert store.count_offers() == 2


def test_a_broken_csv_structure_at_the_end_leaves_the_database_as_it_was(store, tmp_path, db_path):
    _seed(store)
    before = _dump(db_path)
    rows = 2 * OFFER_BATCH + 10
    path = _big_csv(tmp_path / "big.csv", rows, last='Kunde,"Angebot,1,01.10.2026,never closed\n')
    with pytest.raises(ImportFileError, match=f"Line {rows + 2}: the CSV structure is broken"):
        import_csv(store, path, ImportOptions(today=TODAY))
    assert _dump(db_path) == before


def test_the_command_refuses_the_whole_file_for_its_last_row(tmp_path, db_path):
    store = Store.open(db_path)
    _seed(store)
    store.close()
    before = _dump(db_path)
    path = _big_csv(tmp_path / "big.csv", 2 * OFFER_BATCH, last="Letzter Kunde,,1,03.10.2026,\n")
    result = subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", "import", str(path), "--db", str(db_path), "--lang", "de"],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert result.returncode == 1
    assert f"Zeile {2 * OFFER_BATCH + 2}: Titel ('title'): fehlt\n" in result.stderr
    assert "Nichts importiert; ungültige Zeilen: 1." in result.stderr
    assert "Traceback" not in result.stderr
    assert _dump(db_path) == before


def test_a_dry_run_of_thousands_writes_nothing_and_counts_like_the_import(store, tmp_path, db_path):
    _seed(store)
    before = _dump(db_path)
    path = _big_csv(tmp_path / "big.csv", 2 * OFFER_BATCH + 1)
    report = import_csv(store, path, ImportOptions(dry_run=True, today=TODAY))
    assert (report.imported, report.duplicate_lines, report.blocked) == (2 * OFFER_BATCH + 1, [], False)
    assert _dump(db_path) == before
    assert import_csv(store, path, ImportOptions(today=TODAY)).imported == report.imported


def test_duplicates_are_found_across_batches_within_a_batch_and_in_the_database(store, tmp_path):
    _seed(store)
    lines = ["client,title,sent_on"]
    lines += [f"Kunde {n},Angebot {n},2026-10-01" for n in range(2 * OFFER_BATCH + 100)]
    lines[5] = "Kunde 3,Angebot 3,2026-10-01"  # line 6 repeats line 5, in the same batch
    lines[OFFER_BATCH + 50] = "Kunde 7,Angebot 7,2026-10-01"  # the next batch repeats line 9
    lines[2 * OFFER_BATCH + 3] = "Bestand GmbH,Wartung,2026-10-01"  # already in the database
    lines.append("Kunde 7,Angebot 7,2026-10-02")  # another day: a different offer
    path = tmp_path / "dups.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_csv(store, path, ImportOptions(today=TODAY))
    assert report.duplicate_lines == [6, OFFER_BATCH + 51, 2 * OFFER_BATCH + 4]
    assert report.imported == len(lines) - 1 - 3
    assert store.count_offers() == 2 + report.imported
    again = import_csv(store, path, ImportOptions(today=TODAY))
    assert (again.imported, len(again.duplicate_lines)) == (0, len(lines) - 1)


def _schema(db: Path) -> list[tuple]:
    """Every table, index and trigger as declared (not where its pages are)."""
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def test_a_first_import_finds_duplicates_across_batches_and_leaves_every_index_whole(
    store, tmp_path, db_path
):
    """Into an empty database the import builds the offers' indexes at its end (`bulk_insert`),
    all but the one it finds duplicates by: the schema comes out as it was and every index
    holds every row."""
    schema = _schema(db_path)
    lines = ["client,title,value,sent_on"]
    lines += [f"Kunde {n},Angebot {n},{n}.50,2026-10-{1 + n % 28:02d}" for n in range(2 * OFFER_BATCH + 100)]
    lines[OFFER_BATCH + 50] = lines[9]  # the next batch repeats line 10
    path = tmp_path / "first.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_csv(store, path, ImportOptions(today=TODAY))
    assert (report.imported, report.duplicate_lines) == (len(lines) - 2, [OFFER_BATCH + 51])
    assert _schema(db_path) == schema
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        due = conn.execute("SELECT id FROM offers INDEXED BY offers_due WHERE status = 'open'").fetchall()
        assert len(due) == report.imported
    assert store.count_offers() == report.imported


def test_a_refused_first_import_leaves_the_empty_database_as_it_was(store, tmp_path, db_path):
    schema, before = _schema(db_path), _dump(db_path)
    path = _big_csv(
        tmp_path / "big.csv", 2 * OFFER_BATCH + 10, last="Letzter Kunde,Letztes,zwölf,03.10.2026,\n"
    )
    assert import_csv(store, path, ImportOptions(today=TODAY)).blocked
    assert (_schema(db_path), _dump(db_path)) == (schema, before)
    offer_id = store.add_offer(OfferDraft(client="Danach AG", title="T", sent_on=dt.date(2026, 11, 2)))
    with sqlite3.connect(db_path) as conn:  # the search trigger is back
        found = conn.execute(
            "SELECT rowid FROM offers_search WHERE offers_search MATCH '\"danach\"'"
        ).fetchall()
    assert found == [(offer_id,)]


def test_rows_are_saved_while_the_file_is_still_being_read(store, tmp_path):
    """Streaming: the first batch is written long before the last line is read,
    so no more than a batch of offers is ever held in memory."""
    path = _big_csv(tmp_path / "big.csv", 3 * OFFER_BATCH)
    calls: list[tuple[str, int, int]] = []
    import_csv(store, path, ImportOptions(today=TODAY), progress=lambda *call: calls.append(call))
    first_save = next(index for index, call in enumerate(calls) if call[0] == "save")
    checked_before = max(done for stage, done, _ in calls[:first_save] if stage == "check")
    assert checked_before <= OFFER_BATCH
    assert calls[-1] == ("save", 3 * OFFER_BATCH, 3 * OFFER_BATCH)


def _peak_rss_kib(csv_file: Path, db: Path) -> int:
    script = (
        "import resource, runpy, sys\n"
        "sys.argv = ['nachhaken', 'import', sys.argv[1], '--db', sys.argv[2], '--lang', 'en']\n"
        "try:\n"
        "    runpy.run_module('nachhaken_tui', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(csv_file), str(db)], capture_output=True, text=True, env=os.environ
    )
    assert "Imported:" in result.stdout, result.stderr
    return int(result.stderr.strip().splitlines()[-1])


@pytest.mark.slow
def test_memory_does_not_grow_with_the_file(tmp_path):
    """The peak memory of an import of 20,000 rows and of 200,000: about the same."""
    _peak_rss_kib(_big_csv(tmp_path / "warm.csv", 10), tmp_path / "warm.db")  # holidays cached for both
    small = _peak_rss_kib(_big_csv(tmp_path / "small.csv", 20_000), tmp_path / "small.db")
    large = _peak_rss_kib(_big_csv(tmp_path / "large.csv", 200_000), tmp_path / "large.db")
    assert large < small * 1.3, (small, large)


def test_the_file_is_decoded_in_chunks_as_it_was_whole(store, tmp_path):
    """Read a MiB at a time: a character split between two chunks is whole, a bad
    byte far into the file is named by its place in the file, a non-text codec is unknown."""
    body = "client,title,sent_on\n" + "Müller,Tür,2026-10-01\n" * 100_000  # 2.3 MB
    rows = b"client,title,sent_on\n" + b"K,T,2026-10-01\n" * 69_903
    split = tmp_path / "split.csv"  # the first MiB ends after the first byte of "ü"
    split.write_bytes(rows + b"x" * (1024**2 - 1 - len(rows)) + "ü,T,2026-10-01\n".encode())
    report = import_csv(store, split, ImportOptions(dry_run=True, today=TODAY))
    assert (report.encoding, report.imported, len(report.duplicate_lines)) == ("utf-8", 2, 69_902)
    late = tmp_path / "late.csv"
    late.write_bytes(body.encode()[:2_000_000] + b"\xff" + body.encode()[2_000_000:])
    with pytest.raises(ImportFileError, match=r"cannot be read as utf-8 \(byte 2000000\)"):
        import_csv(store, late, ImportOptions(encoding="utf-8", today=TODAY))
    assert import_csv(store, late, ImportOptions(dry_run=True, today=TODAY)).encoding == "cp1252"
    with pytest.raises(ImportFileError, match="Unknown encoding 'rot13'"):
        import_csv(store, late, ImportOptions(encoding="rot13", today=TODAY))
