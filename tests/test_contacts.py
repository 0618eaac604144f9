"""Contacts from a vCard file: `import --vcard` completes offers, and the form suggests the people."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from conftest import TODAY
from ui_helpers import make_app, settle

from nachhaken_tui.cli import cli
from nachhaken_tui.core.models import OfferDraft

PINNED = ["--today", TODAY.isoformat()]
SENT = dt.date(2026, 11, 20)

# What a phone, Thunderbird and Google Contacts export: vCard 3.0 and 4.0, a
# company card, a folded line, quoted-printable vCard 2.1, a calendar in between.
VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Anna;;;\r\nFN:Anna Müller\r\nORG:Müller Bau GmbH;Vertrieb\r\n"
    "TEL;TYPE=CELL:0171 7654321\r\nTEL;TYPE=WORK,VOICE,pref:030 1234567\r\n"
    "EMAIL;TYPE=INTERNET:anna@mueller-bau.de\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jörg Schulz\r\nN:Schulz;Jörg;;;\r\nORG:Schulz & Söhne\r\n"
    'TEL;VALUE=uri;TYPE="voice,work";PREF=1:tel:+49-40-555-0101\r\nEMAIL;PREF=1:joerg@schulz-soehne.de\r\n'
    "NOTE:Ruft lieber vormittags an\\, sonst nie\r\n  erreichbar\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nORG:ACME Ltd\r\nTEL:+44 20 7946 0958\r\nEND:VCARD\r\n"
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Br=C3=BCck;Ina\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ina Br=C3=BCck\r\nORG:Studio Süd\r\nTEL;WORK:089 111\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kai Süd\r\nORG:Studio Süd\r\nTEL:089 222\r\nEND:VCARD\r\n"
)


def _run(db_path: Path, *args: str, lang: str = "en"):
    return CliRunner().invoke(cli, [*args, "--db", str(db_path), "--lang", lang, *PINNED])


def _offers(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT client, contact, phone, email FROM offers ORDER BY id").fetchall()


def _vcf(tmp_path: Path, text: str = VCF) -> str:
    path = tmp_path / "kontakte.vcf"
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def _offer(store, client: str, **fields) -> None:
    store.add_offer(OfferDraft(client=client, title="Angebot", sent_on=SENT, **fields))


def test_vcard_import_completes_offers_by_client_or_contact_and_never_overwrites(store, db_path, tmp_path):
    _offer(store, "Müller Bau GmbH")  # no contact: the only person at the company fills it
    _offer(
        store, "Schulz & Söhne", contact="jörg schulz", email="chef@schulz.example"
    )  # by name; e-mail stays
    _offer(store, "ACME Ltd")  # a company card: phone only
    _offer(store, "Studio Süd")  # two people there: the user picks in the form
    _offer(store, "Unbekannt AG", phone="0800 1")
    store.close()
    result = _run(db_path, "import", "--vcard", _vcf(tmp_path), lang="de")
    assert result.exit_code == 0, result.output
    assert result.stdout == "vCards gelesen: 5 · neue Kontakte: 5 · Angebote ergänzt: 3\n"
    assert result.stderr.splitlines() == [
        "Angebot 1: Ansprechpartner, Telefon, E-Mail",
        "Angebot 2: Telefon",
        "Angebot 3: Telefon",
    ]
    assert _offers(db_path) == [
        ("Müller Bau GmbH", "Anna Müller", "+49301234567", "anna@mueller-bau.de"),
        ("Schulz & Söhne", "jörg schulz", "+49405550101", "chef@schulz.example"),
        ("ACME Ltd", None, "+442079460958", None),
        ("Studio Süd", None, None, None),
        ("Unbekannt AG", None, "0800 1", None),
    ]
    again = _run(db_path, "import", "--vcard", _vcf(tmp_path))
    assert again.stdout == "vCards read: 5 · new contacts: 0 · offers completed: 0\n"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name, organisation, phone FROM contacts ORDER BY id").fetchall() == [
            ("Anna Müller", "Müller Bau GmbH", "+49301234567"),
            ("Jörg Schulz", "Schulz & Söhne", "+49405550101"),
            ("ACME Ltd", "ACME Ltd", "+442079460958"),
            ("Ina Brück", "Studio Süd", "+4989111"),
            ("Kai Süd", "Studio Süd", "+4989222"),
        ]


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(store, db_path, tmp_path):
    _offer(store, "Müller Bau GmbH")
    store.close()
    result = _run(db_path, "import", "--vcard", _vcf(tmp_path), "--dry-run")
    assert (
        result.stdout
        == "Dry run, nothing written. vCards: 5 · would add contacts: 5 · would complete offers: 1\n"
    )
    assert _offers(db_path) == [("Müller Bau GmbH", None, None, None)]


def test_a_file_that_is_no_vcard_is_refused_in_one_line(db_path, tmp_path):
    result = _run(
        db_path, "import", "--vcard", _vcf(tmp_path, "BEGIN:VCARD\nVERSION:3.0\nFN Anna\nEND:VCARD\n")
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tmp_path / 'kontakte.vcf'} is not a readable vCard file: 'Failed to parse line: FN Anna'\n"
    )
    assert not db_path.exists()
    empty = _run(
        db_path, "import", "--vcard", _vcf(tmp_path, "BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nEND:VCARD\n")
    )
    assert empty.exit_code == 1 and "holds no vCard with a name or organisation" in empty.stderr


async def test_the_form_suggests_a_contact_and_fills_the_empty_fields(store, tmp_path):
    store.close()
    assert _run(store.path, "import", "--vcard", _vcf(tmp_path)).exit_code == 0
    from nachhaken_tui.core.db.store import Store
    from nachhaken_tui.core.schedule.cadence import Cadence

    opened = Store.open(store.path, Cadence())
    app = make_app(opened, "de")
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("tab", *"Web", "tab", "tab")  # client left empty; title; past the offer number
        assert app.focused.id == "field-contact"
        await pilot.press(*"ann")
        await settle(pilot)
        assert app.screen.query_one("#field-contact").value == "ann"
        await pilot.press("right")  # takes the suggestion
        await settle(pilot)
        values = {
            name: app.screen.query_one(f"#field-{name}").value
            for name in ("client", "contact", "phone", "email")
        }
        assert values == {
            "client": "Müller Bau GmbH",
            "contact": "Anna Müller",
            "phone": "+49301234567",
            "email": "anna@mueller-bau.de",
        }
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = opened.read("SELECT client, title, contact, phone FROM offers")
    opened.close()
    assert rows == [
        {"client": "Müller Bau GmbH", "title": "Web", "contact": "Anna Müller", "phone": "+49301234567"}
    ]


def test_forgetting_a_client_forgets_its_contacts_too(store, db_path, tmp_path):
    _offer(store, "Müller Bau GmbH")
    _offer(store, "ACME Ltd")
    store.db.conn.execute("PRAGMA secure_delete = OFF")  # only the rebuild may remove the bytes
    store.close()
    assert _run(db_path, "import", "--vcard", _vcf(tmp_path)).exit_code == 0
    result = CliRunner().invoke(
        cli,
        ["forget", "--client", "Müller Bau GmbH", "--db", str(db_path), "--lang", "en", *PINNED],
        input="y\n",
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as conn:
        names = [name for (name,) in conn.execute("SELECT name FROM contacts ORDER BY id")]
    assert names == ["Jörg Schulz", "ACME Ltd", "Ina Brück", "Kai Süd"]
    wal = db_path.with_name(db_path.name + "-wal")
    on_disk = db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"anna@mueller-bau.de" not in on_disk and "Anna Müller".encode() not in on_disk


def test_a_vcard_file_given_as_an_offer_list_gets_a_hint(db_path, tmp_path):
    path = _vcf(tmp_path)
    result = _run(db_path, "import", path)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"{path} is a vCard file of contacts: read it with nachhaken import --vcard {path}.\n"
    )
