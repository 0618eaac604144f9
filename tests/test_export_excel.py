"""`export --excel`: what German Excel opens by double-click, and what `import` reads back unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli

PINNED = ["--today", TODAY.isoformat()]

GERMAN_FILE = (
    "\ufeffKunde;Ansprechpartner;Telefon;E-Mail;Angebot;Angebotsnr.;Betrag;Währung;Gesendet am;Erstgespräch;"
    "Notizen\r\n"
    "Müller Bau GmbH;Anna Müller;+49 171 1234567;anna@mueller-bau.de;Website-Relaunch;2026-048;4.800,50 €;;"
    '03.11.2026;20.10.2026;"Will erst mit dem Chef reden;\r\nRückruf Dienstag"\r\n'
    "Schulz & Söhne;Jörg Schulz;;;Logo „Frühling“;;1.250;EUR;3.11.26;;\r\n"
    "Bäckerei Öztürk;;;;=Flyer;2026-050;99,-;;16.11.2026;;\r\n"
)
EXCEL = (
    "\ufeffAngebotsnr.;Kunde;Ansprechpartner;Telefon;E-Mail;Titel;Wert;Währung;Gesendet am;Erstgespräch;"
    "Status;Nächstes Nachfassen;Versuche;Verlustgrund;Notizen\r\n"
    "2026-048;Müller Bau GmbH;Anna Müller;'+49 171 1234567;anna@mueller-bau.de;Website-Relaunch;4800,50;EUR;"
    '03.11.2026;20.10.2026;offen;06.11.2026;0;;"Will erst mit dem Chef reden;\nRückruf Dienstag"\r\n'
    ";Schulz & Söhne;Jörg Schulz;;;Logo „Frühling“;1250,00;EUR;03.11.2026;;offen;06.11.2026;0;;\r\n"
    "2026-050;Bäckerei Öztürk;;;;'=Flyer;99,00;EUR;16.11.2026;;verloren;;0;Preis;\r\n"
)


def _run(db_path: Path, *args: str, lang: str = "de"):
    return CliRunner().invoke(cli, [*args, "--db", str(db_path), "--lang", lang, *PINNED])


def _dump(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT * FROM offers ORDER BY id").fetchall()


def test_a_german_file_round_trips_byte_for_byte(db_path, tmp_path):
    source = tmp_path / "angebote.csv"
    source.write_bytes(GERMAN_FILE.encode("utf-8"))
    assert _run(db_path, "import", str(source)).exit_code == 0
    with sqlite3.connect(db_path) as conn:  # one of them was lost on the phone, for the status columns
        conn.execute(
            "UPDATE offers SET status = 'lost', loss_reason = 'price', next_due = NULL, due_kind = NULL, "
            "closed_at = '2026-11-20T10:00:00+01:00' WHERE client = 'Bäckerei Öztürk'"
        )
    exported = tmp_path / "für-excel.csv"
    result = _run(db_path, "export", "--excel", "--out", str(exported))
    assert result.exit_code == 0, result.output
    assert exported.read_bytes() == EXCEL.encode("utf-8")
    before = _dump(db_path)

    again = _run(db_path, "import", str(exported))
    assert again.exit_code == 0, again.output
    assert again.stdout == "Importiert: 0 · als Duplikat übersprungen: 3 · ungültig: 0\n"
    assert _dump(db_path) == before
    second = tmp_path / "noch-einmal.csv"
    assert _run(db_path, "export", "--excel", "--out", str(second)).exit_code == 0
    assert second.read_bytes() == exported.read_bytes()


def test_english_headers_are_read_back_too(db_path, tmp_path):
    source = tmp_path / "angebote.csv"
    source.write_bytes(GERMAN_FILE.encode("utf-8"))
    assert _run(db_path, "import", str(source)).exit_code == 0
    exported = tmp_path / "excel.csv"
    assert _run(db_path, "export", "--excel", "--out", str(exported), lang="en").exit_code == 0
    text = exported.read_bytes().decode("utf-8")
    assert text.startswith(
        "\ufeffoffer no.;client;contact;phone;e-mail;title;value;currency;sent on;first talk;"
    )
    assert "2026-048;Müller Bau GmbH;" in text and ";4800,50;EUR;03.11.2026;" in text and ";open;" in text
    before = _dump(db_path)
    again = _run(db_path, "import", str(exported), lang="en")
    assert again.stdout == "Imported: 0 · skipped as duplicates: 3 · invalid: 0\n"
    assert _dump(db_path) == before


def test_excel_is_the_offers_table_only(db_path, tmp_path):
    source = tmp_path / "angebote.csv"
    source.write_bytes(GERMAN_FILE.encode("utf-8"))
    _run(db_path, "import", str(source))
    result = _run(db_path, "export", "--excel", "--table", "calls", lang="en")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "--excel writes the offers as CSV; --format json and --table calls do not go with it.\n"
    )
