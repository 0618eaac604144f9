"""add, import, export and due as a user runs them: output, exit code, the database after."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome
from nachhaken_tui.core.schedule.cadence import Cadence

D = dt.date
PINNED = ["--today", TODAY.isoformat()]


def _run(db_path: Path, *args: str, lang: str = "en"):
    return CliRunner().invoke(cli, [*args, "--db", str(db_path), "--lang", lang, *PINNED])


def _rows(db_path: Path, sql: str = "SELECT * FROM offers ORDER BY id") -> list[sqlite3.Row]:
    """The rows `sql` reads; none when there is no database file (an import that imported nothing leaves none)."""
    if not db_path.exists():
        return []
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


# --------------------------------------------------------------------- add


def test_add_saves_the_offer_and_says_when_it_is_due(db_path):
    result = _run(
        db_path,
        "add",
        "--client",
        "Müller Bau",
        "--title",
        "Website",
        "--value",
        "4.800,50 €",
        "--contact",
        "Anna",
        "--phone",
        "0171 1",
        "--first-talk",
        "20.11.2026",
        "--notes",
        "Chef",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Offer 1 saved. First follow-up: Tue 1 Dec 2026 (in 5 days).\n"
    [offer] = _rows(db_path)
    assert (offer["client"], offer["value_cents"], offer["currency"]) == ("Müller Bau", 480_050, "EUR")
    assert (offer["sent_on"], offer["first_talk_on"], offer["next_due"]) == (
        "2026-11-26",
        "2026-11-20",
        "2026-12-01",
    )


def test_add_in_german_with_an_old_sent_date_says_it_is_already_due(db_path):
    result = _run(db_path, "add", "--client", "A", "--title", "T", "--sent", "2.11.2026", lang="de")
    assert result.exit_code == 0
    assert result.stdout == "Angebot 1 gespeichert. Das Nachfassen ist schon fällig (seit Do 5. Nov 2026).\n"


def test_add_options_work_at_group_level_too(db_path):
    result = CliRunner().invoke(cli, ["--db", str(db_path), *PINNED, "add", "--client", "A", "--title", "T"])
    assert result.exit_code == 0
    assert len(_rows(db_path)) == 1


def test_add_refuses_bad_values_naming_each_option_and_writes_nothing(db_path):
    result = _run(db_path, "add", "--title", " ", "--value", "abc", "--sent", "31.02.2026", "--email", "x")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "--client: is required; --email: 'x' is not an e-mail address; --title: is required; "
        "--value: 'abc' is not an amount (e.g. 4800, 4.800,50 € or 4,800.50); "
        "--sent: '31.02.2026' is not a real day\n"
    )
    assert not db_path.exists()
    german = _run(db_path, "add", "--client", "A", "--title", "T", "--value", "-5", lang="de")
    assert german.stderr == "--value: '-5' ist negativ; ein Angebot hat keinen negativen Wert\n"


# --------------------------------------------------------------------- due


@pytest.fixture
def due_offers(db_path) -> Path:
    """Thursday 26 Nov: one 15 days overdue, one 1 day, a call-back for today, a first call today."""
    store = Store.open(db_path, Cadence())
    add = store.add_offer
    add(OfferDraft(client="Old Ltd", title="Logo", sent_on=D(2026, 11, 2)))
    add(
        OfferDraft(
            client="Müller Bau",
            title="Website",
            sent_on=D(2026, 11, 20),
            contact="Anna",
            phone="0171 1234567",
            value_cents=480_000,
        )
    )
    fresh = add(OfferDraft(client="Fresh", title="Flyer", sent_on=D(2026, 11, 23)))
    agreed = add(OfferDraft(client="Callback GmbH", title="Training", sent_on=D(2026, 11, 10)))
    store.record_call(agreed, CallDraft(outcome=Outcome.FOLLOW_UP, next_due=TODAY), today=D(2026, 11, 20))
    add(OfferDraft(client="Later", title="Later", sent_on=TODAY))
    add(
        OfferDraft(
            client="Evil\x1b]8;;http://x\x07\x9b2J", title="Bidi\u202eTxt\nline", sent_on=D(2026, 11, 23)
        )
    )
    store.close()
    assert fresh
    return db_path


def test_due_lists_offers_most_urgent_first_with_their_reason(due_offers):
    result = _run(due_offers, "due")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Due today (Thu 26 Nov 2026): 5",
        "Old Ltd · Logo — overdue 15 business days · first follow-up",
        "Müller Bau · Anna · 0171 1234567 · Website — overdue 1 business day · first follow-up",
        "Callback GmbH · Training — call-back agreed for today",
        "Fresh · Flyer — first follow-up",
        "Evil�]8;;http://x��2J · Bidi�Txt line — first follow-up",
    ]


def test_due_in_german(due_offers):
    lines = _run(due_offers, "due", lang="de").stdout.splitlines()
    assert lines[0] == "Heute fällig (Do 26. Nov 2026): 5"
    assert lines[1] == "Old Ltd · Logo — 15 Werktage überfällig · erstes Nachfassen"
    assert lines[2].endswith("— 1 Werktag überfällig · erstes Nachfassen")
    assert lines[3] == "Callback GmbH · Training — Rückruf für heute vereinbart"


def test_due_writes_no_colour_or_control_characters_to_a_pipe(due_offers):
    output = _run(due_offers, "due").stdout
    assert not any((ord(char) < 0x20 and char != "\n") or 0x7F <= ord(char) < 0xA0 for char in output)
    assert "\u202e" not in output


def test_due_json_gives_the_reason_as_data(due_offers):
    result = _run(due_offers, "due", "--json")
    data = json.loads(result.stdout)
    assert data["today"] == "2026-11-26"
    assert [(d["client"], d["reason"]) for d in data["due"][:3]] == [
        ("Old Ltd", {"kind": "first", "overdue_days": 15, "cause": None, "away_until": None}),
        ("Müller Bau", {"kind": "first", "overdue_days": 1, "cause": None, "away_until": None}),
        ("Callback GmbH", {"kind": "agreed", "overdue_days": 0, "cause": None, "away_until": None}),
    ]
    assert data["due"][1]["value_cents"] == 480_000
    assert data["due"][4]["client"] == "Evil\x1b]8;;http://x\x07\x9b2J"
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert data["next_upcoming"]["client"] == "Later"


def test_due_with_nothing_due_names_the_next_date(db_path):
    store = Store.open(db_path, Cadence())
    store.add_offer(OfferDraft(client="Später GmbH", title="T", sent_on=TODAY))
    store.close()
    assert _run(db_path, "due").stdout == "Nothing due today. Next follow-up: Tue 1 Dec 2026 (Später GmbH).\n"
    german = _run(db_path, "due", lang="de")
    assert (german.exit_code, german.stdout) == (
        0,
        "Heute ist nichts fällig. Nächstes Nachfassen: Di 1. Dez 2026 (Später GmbH).\n",
    )


def test_due_on_an_empty_database(db_path):
    Store.open(db_path, Cadence()).close()  # a database without offers (no file at all is refused)
    result = _run(db_path, "due")
    assert (result.exit_code, result.stdout) == (0, "Nothing due today, and no open offer is waiting.\n")
    assert json.loads(_run(db_path, "due", "--json").stdout) == {
        "today": "2026-11-26",
        "due": [],
        "next_upcoming": None,
    }


def test_due_pages_through_more_than_a_thousand(db_path):
    store = Store.open(db_path, Cadence())
    store.add_offers(OfferDraft(client=f"C{i}", title="T", sent_on=D(2026, 11, 2)) for i in range(1500))
    store.close()
    assert len(json.loads(_run(db_path, "due", "--json").stdout)["due"]) == 1500


# ------------------------------------------------------------------ import


def _csv(tmp_path: Path, data: bytes, name: str = "offers.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


GERMAN = (
    "\ufeffKunde;Titel;Betrag;Gesendet am;Extra\n"
    "Müller;Web;4.800,50 €;03.11.2026;x\n"
    "Schulz;Logo;1.250;3.11.26;\n"
)


def test_import_a_german_excel_file(db_path, tmp_path):
    result = _run(db_path, "import", _csv(tmp_path, GERMAN.encode()))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported: 2 · skipped as duplicates: 0 · invalid: 0\n"
    assert result.stderr == "Ignored columns: 'Extra'\n"
    assert [(r["client"], r["value_cents"]) for r in _rows(db_path)] == [
        ("Müller", 480_050),
        ("Schulz", 125_000),
    ]
    again = _run(db_path, "import", _csv(tmp_path, GERMAN.encode()), lang="de")
    assert again.stdout == "Importiert: 0 · als Duplikat übersprungen: 2 · ungültig: 0\n"
    assert "Schon vorhanden, übersprungen" in again.stderr and "Zeilen 2, 3" in again.stderr
    assert len(_rows(db_path)) == 2


def test_import_with_map_delimiter_and_decimal_point(db_path, tmp_path):
    path = _csv(tmp_path, b"Org|Deal - Title|Amount|Created\nACME|Workshop|1.250|2026-11-03\n")
    result = _run(
        db_path,
        "import",
        path,
        "--map",
        "Org=client",
        "--map",
        "Deal - Title=title",
        "--map",
        "Created=sent_on",
        "--delimiter",
        "|",
        "--decimal-point",
    )
    assert result.exit_code == 0, result.output
    assert [(r["client"], r["title"], r["value_cents"]) for r in _rows(db_path)] == [
        ("ACME", "Workshop", 125)
    ]


def test_import_with_invalid_rows_imports_nothing_and_exits_1(db_path, tmp_path):
    path = _csv(tmp_path, b"client,title,sent_on,value\nA,T,2026-11-03,1\nB,,2026-11-03,x\n")
    result = _run(db_path, "import", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "line 3: title: is required; value: 'x' is not an amount (e.g. 4800, 4.800,50 € or 4,800.50)",
        "Nothing imported; invalid rows: 1. Fix them, or import the valid ones (1) with --skip-invalid.",
    ]
    assert _rows(db_path) == []
    dry = _run(db_path, "import", path, "--dry-run")
    assert dry.exit_code == 1
    skipped = _run(db_path, "import", path, "--skip-invalid")
    assert skipped.exit_code == 0
    assert skipped.stdout == "Imported: 1 · skipped as duplicates: 0 · invalid: 1\n"
    assert [r["client"] for r in _rows(db_path)] == ["A"]


def test_import_dry_run_writes_nothing(db_path, tmp_path):
    result = _run(db_path, "import", _csv(tmp_path, GERMAN.encode()), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("Dry run, nothing written. Would import: 2")
    assert _rows(db_path) == []


@pytest.mark.parametrize(
    ("data", "args", "message"),
    [
        (b"", [], "is empty."),
        (b"name,title\nA,B\n", [], "Columns for client, sent_on are missing"),
        (b"client,title,sent_on\nA,T,2026-11-03\n", ["--map", "nonsense"], "expected COLUMN=FIELD"),
        (b"client,title,sent_on\nA,T,2026-11-03\n", ["--encoding", "nope"], "Unknown encoding 'nope'"),
        (bytes(range(256)), [], "contains binary data"),
    ],
)
def test_import_of_a_broken_file_is_one_line_and_exit_1(db_path, tmp_path, data, args, message):
    result = _run(db_path, "import", _csv(tmp_path, data), *args)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


def test_import_of_a_missing_file(db_path, tmp_path):
    result = _run(db_path, "import", str(tmp_path / "nope.csv"), lang="de")
    assert result.exit_code == 1
    assert "kann nicht gelesen werden" in result.stderr


# ------------------------------------------------------------------ export


def test_export_json_to_stdout(due_offers):
    result = _run(due_offers, "export")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["offers"]) == 6 and len(data["calls"]) == 1
    assert result.stderr == ""


def test_export_csv_to_a_private_file_in_german(due_offers, tmp_path):
    out = tmp_path / "angebote.csv"
    result = _run(due_offers, "export", "--out", str(out), lang="de")
    assert result.exit_code == 0
    assert result.stderr == f"Tabelle offers nach {out} exportiert (Zeilen: 6).\n"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("id,client,contact,phone")


def test_export_calls_table_and_format_choice(due_offers, tmp_path):
    result = _run(due_offers, "export", "--table", "calls")
    assert result.stdout.splitlines()[1].split(",")[5] == "follow_up"
    out = tmp_path / "all.txt"
    assert (
        _run(due_offers, "export", "--out", str(out)).stderr == f"Exported to {out} (offers: 6, calls: 1).\n"
    )
    assert json.loads(out.read_text())["calls"][0]["outcome"] == "follow_up"


def test_export_table_with_json_is_refused(db_path):
    result = _run(db_path, "export", "--format", "json", "--table", "calls")
    assert (result.exit_code, result.stderr) == (
        1,
        "--table applies to CSV only; JSON always holds everything.\n",
    )


# -------------------------------------------------------------- help texts


def _help_of_every_command(lang: str) -> str:
    code = (
        "import sys\n"
        f"sys.argv = ['nachhaken', '--lang', {lang!r}]\n"
        "from click.testing import CliRunner\n"
        "from nachhaken_tui.cli import cli\n"
        "for name in ('add', 'import', 'export', 'due'):\n"
        "    result = CliRunner().invoke(cli, [name, '--help'])\n"
        "    print(f'## {name} {result.exit_code}')\n"
        "    print(result.output)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Record an offer you sent",
                "Import offers from a CSV file",
                "Export every offer and call",
                "Today's due offers",
                "Map a column to a field",
                "Date sent",
                "Print JSON instead",
            ],
        ),
        (
            "de",
            [
                "Ein verschicktes Angebot erfassen",
                "Angebote aus einer CSV-Datei importieren",
                "Alle Angebote und Anrufe exportieren",
                "Die heute fälligen Angebote",
                "Spalte einem Feld zuordnen",
                "Versanddatum",
                "Als JSON ausgeben",
            ],
        ),
    ],
)
def test_every_command_has_help_in_both_languages(lang, expected):
    output = _help_of_every_command(lang)
    for name in ("add", "import", "export", "due"):
        assert f"## {name} 0" in output
    for text in expected:
        assert text in output
    assert "--db" in output and "--lang" in output


# ------------------------------------------------------- real subprocesses


def _nachhaken(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", *args, *PINNED],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_real_add(db_path):
    result = _nachhaken("add", "--db", str(db_path), "--client", "A", "--title", "T")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "Offer 1 saved. First follow-up: Tue 1 Dec 2026 (in 5 days).\n",
        "",
    )


def test_real_import(db_path, tmp_path):
    path = _csv(tmp_path, GERMAN.encode())
    result = _nachhaken("--lang", "de", "import", path, "--db", str(db_path))
    assert result.returncode == 0
    assert result.stdout == "Importiert: 2 · als Duplikat übersprungen: 0 · ungültig: 0\n"
    assert len(_rows(db_path)) == 2


def test_real_export(due_offers, tmp_path):
    result = _nachhaken("export", "--db", str(due_offers), "--format", "csv")
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [row["client"] for row in rows][:2] == ["Old Ltd", "Müller Bau"]
    assert rows[5]["title"] == "Bidi\u202eTxt\nline"


def test_real_due(due_offers):
    result = _nachhaken("due", "--db", str(due_offers))
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == "Old Ltd · Logo — overdue 15 business days · first follow-up"


@pytest.mark.parametrize("command", [["due"], ["export"], ["import", "--dry-run"]])
def test_due_import_and_export_never_load_textual(command, due_offers, tmp_path):
    args = [*command, "--db", str(due_offers), *PINNED]
    if command[0] == "import":
        args.insert(1, _csv(tmp_path, GERMAN.encode()))
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.__stderr__.write("
        "'TEXTUAL-LOADED' if any(m.split('.')[0] == 'textual' for m in sys.modules) else 'NO-TEXTUAL'))\n"
        f"sys.argv = ['nachhaken', *{args!r}]\n"
        "from nachhaken_tui.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("NO-TEXTUAL")


# ------------------------------------------------- a --db path with no database


READ_ONLY_COMMANDS = [
    ["due"],
    ["due", "--json"],
    ["export"],
    ["export", "--out", "out.csv"],
    ["stats"],
    ["calendar"],
    ["backup"],
    ["forget", "--client", "A"],
]


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=" ".join)
def test_read_only_commands_refuse_a_mistyped_db_and_create_nothing(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    result = _run(missing, *command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"No database at {missing} yet: add an offer with `nachhaken add` or `nachhaken import FILE`.\n"
    )
    german = _run(missing, *command, lang="de")
    assert (german.exit_code, german.stdout) == (1, "")
    assert german.stderr == (
        f"Unter {missing} gibt es noch keine Datenbank: Erfasse ein Angebot mit `nachhaken add` "
        "oder importiere welche mit `nachhaken import DATEI`.\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home"]  # no folder, no file, no --out


def test_a_real_backup_of_a_mistyped_db_backs_up_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", "--db", "typo3.db", "backup", *PINNED],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "No database at typo3.db yet: add an offer with `nachhaken add` or `nachhaken import FILE`.\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home"]


@pytest.mark.parametrize(
    "command",
    [["add", "--client", "A", "--title", "T"], ["import", "offers.csv"], ["demo"]],
    ids=lambda command: command[0],
)
def test_add_import_and_demo_still_create_the_database_and_its_folders(command, tmp_path):
    _csv(tmp_path, GERMAN.encode())
    command = [str(tmp_path / part) if part == "offers.csv" else part for part in command]
    target = tmp_path / "new" / "folder" / "x.db"
    result = _run(target, *command)
    assert result.exit_code == 0, result.output
    assert target.exists()
    assert _run(target, "due").exit_code == 0


@pytest.mark.parametrize(
    ("content", "options", "code"),
    [
        ("Kunde;Angebot;Gesendet am\n;Logo;32.13.2026\n", [], 1),  # every row invalid
        (GERMAN, ["--dry-run"], 0),  # only checked
    ],
    ids=["invalid", "dry-run"],
)
def test_an_import_that_imports_nothing_leaves_no_new_database_behind(tmp_path, content, options, code):
    csv_file = _csv(tmp_path, content.encode())
    target = tmp_path / "new" / "folder" / "x.db"
    result = _run(target, "import", str(csv_file), *options)
    assert result.exit_code == code, result.output
    assert not (tmp_path / "new").exists()


# ------------------------------------------------ dates that have not happened yet


def test_add_refuses_a_sent_date_in_the_future_and_writes_nothing(db_path):
    result = _run(db_path, "add", "--client", "A", "--title", "T", "--sent", "2099-01-01")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "--sent: '2099-01-01' is after today (2026-11-26); record an offer once it has been sent\n"
    )
    german = _run(db_path, "add", "--client", "A", "--title", "T", "--sent", "27.11.2026", lang="de")
    assert german.stderr == (
        "--sent: '27.11.2026' liegt nach heute (2026-11-26); "
        "ein Angebot wird erfasst, wenn es verschickt ist\n"
    )
    assert not db_path.exists()
    assert _run(db_path, "add", "--client", "A", "--title", "T", "--sent", "26.11.2026").exit_code == 0


def test_add_refuses_a_first_talk_after_the_sent_date(db_path):
    result = _run(
        db_path, "add", "--client", "A", "--title", "T", "--sent", "10.11.2026", "--first-talk", "20.11.2026"
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "--first-talk: '20.11.2026' is after the sent date 2026-11-10; "
        "the first talk comes before the offer\n"
    )
    assert not db_path.exists()


def test_import_lists_rows_sent_in_the_future_or_talked_after_sending(db_path, tmp_path):
    data = (
        "Kunde;Titel;Gesendet am;Erstgespräch\n"
        "Müller;Web;03.11.2026;01.11.2026\n"
        "Schulz;Logo;01.01.2099;\n"
        "Meier;Flyer;10.11.2026;20.11.2026\n"
    )
    path = _csv(tmp_path, data.encode())
    result = _run(db_path, "import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (
            "line 3: sent on ('Gesendet am'): '01.01.2099' is after today (2026-11-26); "
            "record an offer once it has been sent"
        ),
        (
            "line 4: first talk ('Erstgespräch'): '20.11.2026' is after the sent date 2026-11-10; "
            "the first talk comes before the offer"
        ),
        "Nothing imported; invalid rows: 2. Fix them, or import the valid ones (1) with --skip-invalid.",
    ]
    assert _rows(db_path) == []
    skipped = _run(db_path, "import", path, "--skip-invalid")
    assert skipped.exit_code == 0
    assert [row["client"] for row in _rows(db_path)] == ["Müller"]
