"""Phone numbers: E.164 where valid, kept as typed with a hint otherwise; the dates people type
into a sent-date field; and `nachhaken add` using both."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.input.dates import parse_past_date
from nachhaken_tui.core.input.fields import ParseError
from nachhaken_tui.core.input.offer_check import OfferInvalid, check_offer, validate_offer
from nachhaken_tui.core.input.phone import PHONE_HINTS, PhoneResult, normalise_phone

D = dt.date


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("030 1234567", "DE", "+49301234567"),
        ("(030) 123 45 67", "DE", "+49301234567"),
        ("030/1234567", "DE", "+49301234567"),
        ("0171 2345678", "DE", "+491712345678"),
        ("0049 30 1234567", "DE", "+49301234567"),
        ("+49 (0)30 1234567", "DE", "+49301234567"),
        ("tel:+49301234567", "DE", "+49301234567"),
        ("+44 20 7946 0958", "DE", "+442079460958"),  # a foreign number keeps its own country
        ("+44 20 7946 0958", None, "+442079460958"),
        ("044 668 18 00", "ch", "+41446681800"),
        ("020 7946 0958", "UK", "+442079460958"),  # holidays says UK, libphonenumber GB
    ],
)
def test_a_valid_number_becomes_e164(typed, country, stored):
    assert normalise_phone(typed, country) == PhoneResult(stored)


@pytest.mark.parametrize(
    ("typed", "country", "hint"),
    [
        ("123", "DE", "kept as typed: not a valid number for DE"),
        ("0000 000", "DE", "kept as typed: not a valid number for DE"),
        ("+999 1234", "DE", "kept as typed: not a valid international number"),
        ("ask reception", "DE", "kept as typed: it has no digits – a name belongs in the contact field"),
        ("Frau Özdemir", "DE", "kept as typed: it has no digits – a name belongs in the contact field"),
        ("030 1234567 x12", "DE", "kept as typed: contains more than a phone number"),
        ("030 1234567 (Zentrale)", "DE", "kept as typed: contains more than a phone number"),
        ("030 1234567", None, "kept as typed: cannot be checked without a country code (e.g. +49)"),
        ("030 1234567", "XX", "kept as typed: cannot be checked without a country code (e.g. +49)"),
    ],
)
def test_anything_else_is_kept_as_typed_with_a_hint(typed, country, hint):
    result = normalise_phone(f"  {typed} ", country)
    assert result.value == typed
    assert result.hint("en") == hint


def test_hints_exist_in_german_too():
    assert normalise_phone("123", "DE").hint("de") == "wie eingegeben übernommen: keine gültige Nummer für DE"
    for key in PHONE_HINTS.keys():  # noqa: SIM118 (a Catalog, not a dict)
        assert PHONE_HINTS.text("de", key, country="DE") != PHONE_HINTS.text("en", key, country="DE")


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_no_number_is_none_without_a_hint(typed):
    assert normalise_phone(typed, "DE") == PhoneResult(None)


# ------------------------------------------------------------ validate_offer / check_offer

BASE = {"client": "A", "title": "T", "sent_on": "2026-11-03"}


def test_validate_offer_normalises_the_phone_only_when_asked():
    assert validate_offer({**BASE, "phone": "030 1234567"}, phone_country="DE").phone == "+49301234567"
    # the import calls it without a country: numbers stay exactly as in the file
    assert validate_offer({**BASE, "phone": "030  1234567"}).phone == "030 1234567"


def test_check_offer_reports_the_phone_hint_and_still_accepts_the_offer():
    check = check_offer({**BASE, "phone": "123"}, phone_country="DE")
    assert check.draft is not None and check.draft.phone == "123"
    [note] = check.notes
    assert note.field == "phone" and note.key == "invalid_for"
    assert note.message("en") == "phone: kept as typed: not a valid number for DE"
    assert note.message("de", "--phone") == "--phone: wie eingegeben übernommen: keine gültige Nummer für DE"


def test_check_offer_gives_the_good_values_while_other_fields_are_bad():
    check = check_offer(
        {"client": "", "phone": "030 1234567", "sent_on": "gestern", "value": "4.800,50 €"},
        phone_country="DE",
        today=TODAY,
    )
    assert check.draft is None
    assert [problem.field for problem in check.problems] == ["client", "title"]
    assert check.problem("client").message("en") == "client: is required"
    assert check.problem("email") is None
    assert (check.values["phone"], check.values["sent_on"]) == ("+49301234567", D(2026, 11, 25))
    assert (check.values["value"], check.values["currency"]) == (480_050, "EUR")


def test_validate_offer_still_raises_every_problem():
    with pytest.raises(OfferInvalid) as caught:
        validate_offer({"client": " ", "sent_on": "gestern"}, today=TODAY)
    assert str(caught.value) == "client: is required; title: is required"


def test_without_today_only_full_dates_count():
    with pytest.raises(OfferInvalid) as caught:
        validate_offer({**BASE, "sent_on": "gestern"})
    assert [problem.error.key for problem in caught.value.problems] == ["date_invalid"]


# ------------------------------------------------------------ parse_past_date

THURSDAY = TODAY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03", D(2026, 11, 3)),
        ("3.11.2026", D(2026, 11, 3)),
        ("3.11.26", D(2026, 11, 3)),
        ("3.11.", D(2026, 11, 3)),
        ("26.11", D(2026, 11, 26)),
        ("30.11.", D(2025, 11, 30)),  # still ahead this year: last year's
        ("29.2.", D(2024, 2, 29)),
        ("heute", THURSDAY),
        ("Today", THURSDAY),
        ("gestern", D(2026, 11, 25)),
        ("yesterday", D(2026, 11, 25)),
        ("vorgestern", D(2026, 11, 24)),
        ("-3", D(2026, 11, 23)),
        ("-2w", D(2026, 11, 12)),
        ("-1m", D(2026, 10, 26)),
        ("vor 3 Tagen", D(2026, 11, 23)),
        ("2 weeks ago", D(2026, 11, 12)),
        ("Montag", D(2026, 11, 23)),
        ("do", D(2026, 11, 19)),  # today is Thursday: the one before
        ("letzten Freitag", D(2026, 11, 20)),
        ("last fri.", D(2026, 11, 20)),
        ("2026-12-24", D(2026, 12, 24)),  # written in full, the future is the caller's business
        ("KW 45", D(2026, 11, 2)),
        ("Anfang November", D(2026, 11, 1)),
        ("3 Nov", D(2026, 11, 3)),
        ("Nov 3", D(2026, 11, 3)),
        ("3. Dezember", D(2025, 12, 3)),  # still ahead this year: last year's
        ("Mitte Dezember", D(2025, 12, 15)),
    ],
)
def test_past_dates_as_people_type_them(text, expected):
    assert parse_past_date(text, THURSDAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("bald", "past_date_invalid"),
        ("31.2.", "date_impossible"),
        ("", "required"),
        ("31.02.2026", "date_impossible"),
    ],
)
def test_past_dates_refused(text, key):
    with pytest.raises(ParseError) as caught:
        parse_past_date(text, THURSDAY)
    assert caught.value.key == key


def test_an_unknown_past_date_says_what_would_work_in_both_languages():
    with pytest.raises(ParseError) as caught:
        parse_past_date("bald", THURSDAY)
    assert (
        caught.value.message("en")
        == "'bald' is not a date; try e.g. 3.11., 2026-11-03, today, yesterday, -3, monday"
    )
    assert "gestern" in caught.value.message("de")


# ------------------------------------------------------------ nachhaken add


def _add(db_path: Path, *args: str, lang: str = "en"):
    return CliRunner().invoke(
        cli,
        [
            "add",
            "--client",
            "A",
            "--title",
            "T",
            *args,
            "--db",
            str(db_path),
            "--lang",
            lang,
            "--today",
            TODAY.isoformat(),
        ],
    )


def _offer(db_path: Path) -> sqlite3.Row:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        [row] = conn.execute("SELECT * FROM offers").fetchall()
        return row


def test_add_stores_a_german_number_as_e164(db_path):
    result = _add(db_path, "--phone", "030 1234567")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert _offer(db_path)["phone"] == "+49301234567"


def test_add_reads_numbers_for_the_configured_country(db_path):
    config = Path(__import__("os").environ["NACHHAKEN_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text('country = "CH"\n', encoding="utf-8")
    assert _add(db_path, "--phone", "044 668 18 00").exit_code == 0
    assert _offer(db_path)["phone"] == "+41446681800"


def test_add_keeps_a_nonsense_number_and_says_so(db_path):
    result = _add(db_path, "--phone", "ask Anna at 030 1234", lang="de")
    assert result.exit_code == 0
    assert result.stderr == "--phone: wie eingegeben übernommen: enthält mehr als eine Telefonnummer\n"
    assert result.stdout.startswith("Angebot 1 gespeichert.")
    assert _offer(db_path)["phone"] == "ask Anna at 030 1234"


def test_a_name_typed_into_the_phone_field_is_explained_as_such(db_path):
    result = _add(db_path, "--phone", "Anna Schmidt", lang="de")
    assert result.exit_code == 0
    assert result.stderr == (
        "--phone: wie eingegeben übernommen: keine Ziffern darin – ein Name gehört ins Feld Ansprechpartner\n"
    )
    assert _offer(db_path)["phone"] == "Anna Schmidt"


@pytest.mark.parametrize(
    ("stored", "country", "shown"),
    [
        ("+49621445566", "DE", "0621 445566"),
        ("+442079460958", "DE", "+44 20 7946 0958"),
        ("+442079460958", "GB", "020 7946 0958"),
        ("Zentrale, dann 12", "DE", "Zentrale, dann 12"),
        ("+49621445566", None, "+49 621 445566"),
    ],
)
def test_stored_numbers_are_shown_as_people_write_them(stored, country, shown):
    from nachhaken_tui.core.input.phone import display_phone

    assert display_phone(stored, country) == shown


def test_add_takes_the_sent_date_as_people_type_it(db_path):
    assert _add(db_path, "--sent", "gestern", "--first-talk", "3.11.").exit_code == 0
    row = _offer(db_path)
    assert (row["sent_on"], row["first_talk_on"]) == ("2026-11-25", "2026-11-03")


def test_add_refuses_a_bad_offer_as_before(db_path):
    result = _add(db_path, "--sent", "bald", "--phone", "123")
    assert result.exit_code == 1
    assert result.stderr.startswith("--sent: 'bald' is not a date; try e.g. 3.11.")
    assert (
        not db_path.exists()
        or sqlite3.connect(db_path).execute("SELECT count(*) FROM offers").fetchone()[0] == 0
    )


def test_import_leaves_phone_numbers_as_in_the_file(db_path, tmp_path):
    source = tmp_path / "offers.csv"
    source.write_text("client,title,sent_on,phone\nA,T,2026-11-03,030 1234567\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(source), "--db", str(db_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert _offer(db_path)["phone"] == "030 1234567"
