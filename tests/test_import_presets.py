"""Import presets: another tool's real export, read by `import --preset`, statuses included."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli

PINNED = ["--today", TODAY.isoformat()]


def _run(db_path: Path, *args: str, lang: str = "en"):
    return CliRunner().invoke(cli, [*args, "--db", str(db_path), "--lang", lang, *PINNED])


def _file(tmp_path: Path, text: str, name: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def _offers(db_path: Path) -> list[dict]:
    if not db_path.exists():
        return []
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM offers ORDER BY id")]


def _brief(rows: list[dict]) -> list[tuple]:
    """What a user checks first: number, client, title, value, status, loss reason, still due?"""
    return [
        (
            r["reference"],
            r["client"],
            r["title"],
            r["value_cents"],
            r["currency"],
            r["sent_on"],
            r["status"],
            r["loss_reason"],
            r["next_due"] is not None,
            r["closed_at"] is not None,
        )
        for r in rows
    ]


PIPEDRIVE = (
    '"Deal - ID","Deal - Title","Deal - Creator","Deal - Value","Deal - Currency of value","Deal - Status",'
    '"Deal - Lost reason","Deal - Pipeline","Deal - Stage","Organization - Name","Person - Name",'
    '"Person - Phone","Person - Email (Work)","Deal - Deal created","Deal - Expected close date"\n'
    '"101","Website-Relaunch","Jana Beck","4800","EUR","open","","Sales","Proposal made","Müller Bau GmbH",'
    '"Anna Müller","+49 171 1234567","anna@mueller-bau.de","2026-11-03 09:15:27","2026-12-15"\n'
    '"102","Logo redesign","Jana Beck","1250.5","EUR","won","","Sales","Negotiations","Schulz & Söhne",'
    '"Jörg Schulz","","","2026-10-20 14:02:11","2026-11-30"\n'
    '"103","SEO audit","Jana Beck","1,900.00","USD","lost","Too expensive","Sales","Proposal made","ACME Ltd",'
    '"John Smith","","john@acme.example","2026-10-01 08:00:00",""\n'
    '"104","Old lead","Jana Beck","100","EUR","deleted","","Sales","Lead","Ghost Inc","","","",'
    '"2026-09-01 08:00:00",""\n'
)


def test_pipedrive_deals_arrive_with_number_contact_and_status(db_path, tmp_path):
    result = _run(db_path, "import", "--preset", "pipedrive", _file(tmp_path, PIPEDRIVE, "deals.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported: 3 · skipped as duplicates: 0 · invalid: 0\n"
    assert "Left out by their status (e.g. drafts): lines 5" in result.stderr
    assert "Arrived closed: won 1, lost 1" in result.stderr
    rows = _offers(db_path)
    assert _brief(rows) == [
        (
            "101",
            "Müller Bau GmbH",
            "Website-Relaunch",
            480_000,
            "EUR",
            "2026-11-03",
            "open",
            None,
            True,
            False,
        ),
        ("102", "Schulz & Söhne", "Logo redesign", 125_050, "EUR", "2026-10-20", "won", None, False, True),
        ("103", "ACME Ltd", "SEO audit", 190_000, "USD", "2026-10-01", "lost", "Too expensive", False, True),
    ]
    assert (rows[0]["contact"], rows[0]["phone"], rows[0]["email"]) == (
        "Anna Müller",
        "+49 171 1234567",
        "anna@mueller-bau.de",
    )
    again = _run(db_path, "import", "--preset", "pipedrive", str(tmp_path / "deals.csv"))
    assert again.stdout == "Imported: 0 · skipped as duplicates: 3 · invalid: 0\n"
    assert _offers(db_path) == rows


def test_dry_run_shows_which_column_feeds_which_field(db_path, tmp_path):
    result = _run(
        db_path,
        "import",
        "--preset",
        "pipedrive",
        "--dry-run",
        _file(tmp_path, PIPEDRIVE, "deals.csv"),
        lang="de",
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "So werden die Spalten gelesen:"
    assert "  'Deal - ID' → Angebotsnr." in lines
    assert "  'Deal - Title' → Titel" in lines
    assert "  'Organization - Name' → Kunde" in lines
    assert "  'Deal - Status' → Status" in lines
    assert "  'Deal - Lost reason' → Verlustgrund" in lines
    assert "  'Deal - Deal created' → Gesendet am" in lines
    assert "Ignorierte Spalten: 'Deal - Creator', 'Deal - Pipeline', 'Deal - Stage'" in lines
    assert result.stdout.startswith("Probelauf, nichts gespeichert. Würde importieren: 3")
    assert _offers(db_path) == []


def test_a_status_the_preset_does_not_know_names_line_column_and_value(db_path, tmp_path):
    data = PIPEDRIVE.replace('"EUR","open"', '"EUR","frozen"')
    result = _run(db_path, "import", "--preset", "pipedrive", _file(tmp_path, data, "deals.csv"))
    assert result.exit_code == 1
    assert (
        "line 2: status ('Deal - Status'): 'frozen' is not a known status; "
        "the preset knows 'open', 'won', 'lost', 'deleted', 'offen', 'gewonnen', 'verloren', 'gelöscht'"
    ) in result.stderr.splitlines()
    assert _offers(db_path) == []


HUBSPOT_DEALS_LABELS = (
    "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Associated Company,"
    "Closed Lost Reason,Pipeline\n"
    "18001,Brand workshop,Contract Sent,3200,12/20/2026 00:00,11/05/2026 10:30,Jana Beck,Nordlicht GmbH,,"
    "Sales Pipeline\n"
    "18002,Website care,Closed Won,1800.00,11/20/2026 00:00,10/15/2026 09:12,Jana Beck,Elbe Consult,,"
    "Sales Pipeline\n"
    "18003,Photo shoot,Closed Lost,950,11/10/2026 00:00,10/01/2026 16:45,Jana Beck,Studio Süd,"
    "Went with a competitor,Sales Pipeline\n"
)
HUBSPOT_DEALS_API = (
    "hs_object_id,dealname,dealstage,amount,closedate,createdate,Associated Company,closed_lost_reason\n"
    "18001,Brand workshop,contractsent,3200,2026-12-20T00:00:00Z,2026-11-05T10:30:00Z,Nordlicht GmbH,\n"
    "18002,Website care,closedwon,1800.00,2026-11-20T00:00:00Z,2026-10-15T09:12:00Z,Elbe Consult,\n"
    "18003,Photo shoot,closedlost,950,2026-11-10T00:00:00Z,2026-10-01T16:45:00Z,Studio Süd,"
    "Went with a competitor\n"
)


@pytest.mark.parametrize("data", [HUBSPOT_DEALS_LABELS, HUBSPOT_DEALS_API], ids=["labels", "api-names"])
def test_hubspot_deals_by_label_or_internal_name(db_path, tmp_path, data):
    result = _run(db_path, "import", "--preset", "hubspot-deals", _file(tmp_path, data, "deals.csv"))
    assert result.exit_code == 0, result.output
    assert _brief(_offers(db_path)) == [
        (
            "18001",
            "Nordlicht GmbH",
            "Brand workshop",
            320_000,
            "EUR",
            "2026-11-05",
            "open",
            None,
            True,
            False,
        ),
        ("18002", "Elbe Consult", "Website care", 180_000, "EUR", "2026-10-15", "won", None, False, True),
        (
            "18003",
            "Studio Süd",
            "Photo shoot",
            95_000,
            "EUR",
            "2026-10-01",
            "lost",
            "Went with a competitor",
            False,
            True,
        ),
    ]


HUBSPOT_QUOTES = (
    "Quote number,Title,Quote Amount,Status,Expiration date,Create Date,Associated Company,Associated Contact\n"
    "Q-2026-031,Relaunch phase 2,5600,APPROVAL_NOT_NEEDED,2026-12-31,2026-11-12,Nordlicht GmbH,Ines Nord\n"
    "Q-2026-032,Workshop series,2400,DRAFT,2026-12-31,2026-11-20,Elbe Consult,\n"
    "Q-2026-033,Retainer 2027,1500,APPROVED,2027-01-15,11/16/2026,Studio Süd,Kai Süd\n"
)


def test_hubspot_quotes_leave_out_drafts(db_path, tmp_path):
    result = _run(
        db_path, "import", "--preset", "hubspot-quotes", _file(tmp_path, HUBSPOT_QUOTES, "quotes.csv")
    )
    assert result.exit_code == 0, result.output
    assert "lines 3" in result.stderr
    rows = _offers(db_path)
    assert _brief(rows) == [
        (
            "Q-2026-031",
            "Nordlicht GmbH",
            "Relaunch phase 2",
            560_000,
            "EUR",
            "2026-11-12",
            "open",
            None,
            True,
            False,
        ),
        (
            "Q-2026-033",
            "Studio Süd",
            "Retainer 2027",
            150_000,
            "EUR",
            "2026-11-16",
            "open",
            None,
            True,
            False,
        ),
    ]
    assert [r["contact"] for r in rows] == ["Ines Nord", "Kai Süd"]


LEXOFFICE = (
    "voucherNumber,voucherDate,expirationDate,voucherStatus,contactName,totalPrice,currency\n"
    "AG0048,2026-11-02T00:00:00.000+01:00,2026-12-02T00:00:00.000+01:00,open,Müller Bau GmbH,4800.50,EUR\n"
    "AG0049,2026-10-12T00:00:00.000+02:00,2026-11-11T00:00:00.000+01:00,accepted,Schulz & Söhne,1250,EUR\n"
    "AG0050,2026-10-05T00:00:00.000+02:00,2026-11-04T00:00:00.000+01:00,rejected,ACME Ltd,990,EUR\n"
    "AG0051,2026-11-20T00:00:00.000+01:00,2026-12-20T00:00:00.000+01:00,draft,Neukunde KG,300,EUR\n"
)


def test_lexoffice_quotations_are_named_after_their_number(db_path, tmp_path):
    result = _run(db_path, "import", "--preset", "lexoffice", _file(tmp_path, LEXOFFICE, "angebote.csv"))
    assert result.exit_code == 0, result.output
    assert _brief(_offers(db_path)) == [
        (
            "AG0048",
            "Müller Bau GmbH",
            "Angebot AG0048",
            480_050,
            "EUR",
            "2026-11-02",
            "open",
            None,
            True,
            False,
        ),
        (
            "AG0049",
            "Schulz & Söhne",
            "Angebot AG0049",
            125_000,
            "EUR",
            "2026-10-12",
            "won",
            None,
            False,
            True,
        ),
        ("AG0050", "ACME Ltd", "Angebot AG0050", 99_000, "EUR", "2026-10-05", "lost", None, False, True),
    ]


SEVDESK = (
    "orderNumber;orderDate;status;contact;contactPerson;header;sumNet;sumGross;currency\r\n"
    "AN-1001;03.11.2026;200;Bäckerei Öztürk;Aylin Öztürk;Angebot Website;2.400,00;2.856,00;EUR\r\n"
    "AN-1002;20.10.2026;500;Schreinerei Holz & Co;;Angebot Messestand;12.500,00;14.875,00;EUR\r\n"
    "AN-1003;01.10.2026;300;Kanzlei Recht;Dr. Recht;Angebot Newsletter;800,00;952,00;EUR\r\n"
    "AN-1004;25.11.2026;100;Entwurf GmbH;;Angebot Entwurf;100,00;119,00;EUR\r\n"
)


def test_sevdesk_orders_with_status_codes_from_a_windows_file(db_path, tmp_path):
    path = _file(tmp_path, SEVDESK, "auftraege.csv", encoding="cp1252")
    result = _run(db_path, "import", "--preset", "sevdesk", path, lang="de")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Importiert: 3 · als Duplikat übersprungen: 0 · ungültig: 0\n"
    assert "Geschlossen übernommen: gewonnen 1, verloren 1" in result.stderr
    rows = _offers(db_path)
    assert _brief(rows) == [
        (
            "AN-1001",
            "Bäckerei Öztürk",
            "Angebot Website",
            240_000,
            "EUR",
            "2026-11-03",
            "open",
            None,
            True,
            False,
        ),
        (
            "AN-1002",
            "Schreinerei Holz & Co",
            "Angebot Messestand",
            1_250_000,
            "EUR",
            "2026-10-20",
            "won",
            None,
            False,
            True,
        ),
        (
            "AN-1003",
            "Kanzlei Recht",
            "Angebot Newsletter",
            80_000,
            "EUR",
            "2026-10-01",
            "lost",
            None,
            False,
            True,
        ),
    ]
    assert rows[0]["contact"] == "Aylin Öztürk"


def test_a_users_own_preset_file(db_path, tmp_path):
    preset = tmp_path / "my-crm.toml"
    preset.write_text(
        'name = "My CRM"\ndelimiter = "|"\ndate_formats = ["%d/%m/%Y"]\n'
        '[columns]\nKundenname = "client"\nVorhaben = "title"\nAm = "sent_on"\nStand = "status"\n'
        '[status]\n"in Arbeit" = "open"\nzugesagt = "won"\n',
        encoding="utf-8",
    )
    data = "Kundenname|Vorhaben|Am|Stand\nAlpha|Kurs|05/11/2026|in Arbeit\nBeta|Buch|07/10/2026|Zugesagt\n"
    result = _run(db_path, "import", "--preset", str(preset), _file(tmp_path, data, "export.txt"))
    assert result.exit_code == 0, result.output
    assert [(r["client"], r["sent_on"], r["status"]) for r in _offers(db_path)] == [
        ("Alpha", "2026-11-05", "open"),
        ("Beta", "2026-10-07", "won"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "X"\ncolour = "red"\n', "unknown key 'colour'"),
        (
            'name = "X"\n[columns]\n"Deal - Title" = "titel"\n',
            "columns.'Deal - Title' = 'titel': not a field",
        ),
        (
            'name = "X"\n[status]\nwon = "gewonnen"\n',
            "status.'won' = 'gewonnen': expected open, won, lost or skip",
        ),
        ('name = "X"\ndecimal_comma = "yes"\n', "decimal_comma must be true or false"),
        (
            'name = "X"\n[fill]\ntitle = "Offer {nummer}"\n',
            "fill.'title' = 'Offer {nummer}': only field names",
        ),
        ('name = "X"\n[columns\n', "not valid TOML"),
        ("[columns]\n", "name must be a text"),
    ],
)
def test_a_broken_preset_names_the_file_and_the_key(db_path, tmp_path, text, message):
    preset = tmp_path / "broken.toml"
    preset.write_text(text, encoding="utf-8")
    result = _run(db_path, "import", "--preset", str(preset), _file(tmp_path, PIPEDRIVE, "deals.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{preset}: ") and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert _offers(db_path) == []


def test_an_unknown_preset_name_lists_the_shipped_ones(db_path, tmp_path):
    result = _run(db_path, "import", "--preset", "salesforce", _file(tmp_path, PIPEDRIVE, "deals.csv"))
    assert result.exit_code == 1
    assert result.stderr == (
        "There is no preset 'salesforce'. Shipped: hubspot-deals, hubspot-quotes, lexoffice, pipedrive, "
        "sevdesk; or give the path of your own TOML file.\n"
    )


def test_map_wins_over_the_preset_and_maps_a_status_without_one(db_path, tmp_path):
    path = _file(tmp_path, PIPEDRIVE, "deals.csv")
    result = _run(db_path, "import", "--preset", "pipedrive", "--map", "Deal - Pipeline=title", path)
    assert result.exit_code == 0, result.output
    assert [r["title"] for r in _offers(db_path)] == ["Sales", "Sales", "Sales"]
    assert "'Deal - Title'" in result.stderr  # now an ignored column

    plain = _file(
        tmp_path,
        "Kunde;Titel;Datum;Stand\nAlpha;Kurs;05.11.2026;gewonnen\nBeta;Buch;07.11.2026;offen\n",
        "liste.csv",
    )
    other = tmp_path / "other.db"
    result = _run(other, "import", "--map", "Stand=status", plain, lang="de")
    assert result.exit_code == 0, result.output
    assert [(r["client"], r["status"]) for r in _offers(other)] == [("Alpha", "won"), ("Beta", "open")]
