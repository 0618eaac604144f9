"""Offers that run out, and time away: the dates a user sees, in the database and on the command line.

TODAY is Thursday 26 Nov 2026; the cadence is the default one (Germany, first
follow-up after 3 business days, retries after 2, `expiry_lead_days` 2).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.config import Config
from nachhaken_tui.core.db.absences import AbsenceError, add_absence, list_absences, remove_absence
from nachhaken_tui.core.db.inbox import InboxQuery, View
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.exchange.csv_columns import parse_mappings
from nachhaken_tui.core.exchange.csv_import import ImportOptions, import_csv, report_lines
from nachhaken_tui.core.input.offer_check import OfferInvalid, validate_offer
from nachhaken_tui.core.models import Answer, CallDraft, DueCause, DueKind, OfferDraft, Outcome, Status
from nachhaken_tui.core.schedule.cadence import Cadence
from nachhaken_tui.core.stats.figures import compute_stats
from nachhaken_tui.core.text.wording import due_reason

D = dt.date
PINNED = ["--today", TODAY.isoformat()]


def _offer(
    store: Store, *, sent: dt.date = TODAY, valid: dt.date | None = None, client: str = "Müller Bau"
) -> int:
    return store.add_offer(OfferDraft(client=client, title="Website", sent_on=sent, valid_until=valid))


def _row(store: Store, offer_id: int) -> dict:
    [row] = store.read("SELECT * FROM offers WHERE id = ?", [offer_id])
    return row


def _reason(store: Store, offer_id: int, today: dt.date, lang: str = "en") -> str:
    """The reason the Due view shows for the offer on `today`."""
    for due in store.page(InboxQuery(View.DUE), today, limit=100):
        if due.offer.id == offer_id:
            return due_reason(due, today, lang)
    raise AssertionError(f"offer {offer_id} is not due on {today}")


def _run(db_path: Path, *args: str, lang: str = "en", today: dt.date = TODAY):
    return CliRunner().invoke(
        cli, [*args, "--db", str(db_path), "--lang", lang, "--today", today.isoformat()]
    )


# ------------------------------------------------------------------ validity and the cadence


def test_a_validity_before_the_cadences_date_moves_the_first_follow_up_before_it(store):
    # By the cadence alone: Tue 1 Dec. The offer holds until Mon 30 Nov: two business days before it
    # is Thu 26 Nov, but never earlier than the day after sending, so Fri 27 Nov.
    offer_id = _offer(store, valid=D(2026, 11, 30))
    row = _row(store, offer_id)
    assert (row["next_due"], row["due_cause"], row["due_planned"]) == ("2026-11-27", "expiring", "2026-12-01")
    assert _reason(store, offer_id, D(2026, 11, 27)) == "offer runs out Mon 30 Nov"
    assert _reason(store, offer_id, D(2026, 11, 27), "de") == "Angebot läuft Mo 30. Nov ab"


def test_the_lead_is_counted_in_business_days_from_the_config(db_path):
    store = Store.open(db_path, Cadence(Config(first_followup_days=10, expiry_lead_days=3)))
    try:
        offer_id = _offer(store, valid=D(2026, 12, 4))  # Friday; three business days before: Tue 1 Dec
        assert _row(store, offer_id)["next_due"] == "2026-12-01"
    finally:
        store.close()


def test_a_validity_after_the_cadences_date_changes_nothing(store):
    offer_id = _offer(store, valid=D(2026, 12, 18))
    row = _row(store, offer_id)
    assert (row["next_due"], row["due_cause"], row["due_planned"]) == ("2026-12-01", None, None)
    assert _reason(store, offer_id, D(2026, 12, 1)) == "first follow-up"


def test_a_retry_moves_before_the_validity_ends(store):
    offer_id = _offer(store, sent=D(2026, 11, 20), valid=D(2026, 11, 27))
    store.record_call(offer_id, CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY)
    row = _row(store, offer_id)
    # the retry would be Mon 30 Nov, after the last valid day: it comes the next business day instead
    assert (row["next_due"], row["due_cause"], row["attempts"]) == ("2026-11-27", "expiring", 1)


@pytest.mark.parametrize(
    ("agreed", "valid"),
    [
        pytest.param(D(2026, 12, 2), D(2026, 12, 4), id="inside-the-validity"),
        pytest.param(D(2026, 12, 9), D(2026, 12, 4), id="after-the-validity"),
    ],
)
def test_an_agreed_date_is_kept_exactly_whatever_the_validity(store, agreed, valid):
    offer_id = _offer(store, sent=D(2026, 11, 20), valid=valid)
    store.record_call(offer_id, CallDraft(outcome=Outcome.FOLLOW_UP, next_due=agreed), today=TODAY)
    row = _row(store, offer_id)
    assert (row["next_due"], row["due_kind"], row["due_cause"]) == (agreed.isoformat(), "agreed", None)


def test_changing_the_validity_of_an_open_offer_places_it_again(store):
    offer_id = _offer(store)
    assert _row(store, offer_id)["next_due"] == "2026-12-01"
    offer = store.get_offer(offer_id)
    draft = OfferDraft(
        client=offer.client, title=offer.title, sent_on=offer.sent_on, valid_until=D(2026, 11, 30)
    )
    store.update_offer(offer_id, draft, today=TODAY)
    assert (_row(store, offer_id)["next_due"], _row(store, offer_id)["due_cause"]) == (
        "2026-11-26",
        "expiring",
    )
    store.update_offer(
        offer_id, OfferDraft(client=offer.client, title=offer.title, sent_on=offer.sent_on), today=TODAY
    )
    row = _row(store, offer_id)
    assert (row["next_due"], row["due_cause"], row["valid_until"]) == ("2026-12-01", None, None)


def test_a_validity_before_the_sent_date_is_refused_by_name():
    with pytest.raises(OfferInvalid) as caught:
        validate_offer({"client": "A", "title": "T", "sent_on": "20.11.2026", "valid_until": "19.11.2026"})
    assert caught.value.message("en") == (
        "valid until: '19.11.2026' is before the sent date 2026-11-20; an offer is valid from when it is sent"
    )


def test_a_typed_validity_reads_like_a_coming_date():
    draft = validate_offer(
        {"client": "A", "title": "T", "sent_on": "heute", "valid_until": "+14"}, today=TODAY
    )
    assert draft.valid_until == D(2026, 12, 10)
    draft = validate_offer(
        {"client": "A", "title": "T", "sent_on": "heute", "valid_until": "11.12."}, today=TODAY
    )
    assert draft.valid_until == D(2026, 12, 11)


# ------------------------------------------------------------------ expired


def test_an_expired_offer_says_so_in_the_due_view(store):
    offer_id = _offer(store, sent=D(2026, 11, 10), valid=D(2026, 11, 20))
    assert _reason(store, offer_id, TODAY) == "overdue 9 business days · expired Fri 20 Nov"
    assert _reason(store, offer_id, TODAY, "de") == "9 Werktage überfällig · abgelaufen am Fr 20. Nov"


def test_extending_an_expired_offer_records_the_answer_and_places_the_next_call(store):
    offer_id = _offer(store, sent=D(2026, 11, 10), valid=D(2026, 11, 20))
    draft = CallDraft(
        outcome=Outcome.SNOOZED,
        valid_until=D(2026, 12, 11),
        answers=[Answer("validity", "Extend the offer until", "Fri 11 Dec 2026")],
    )
    store.record_call(offer_id, draft, today=TODAY)
    row = _row(store, offer_id)
    assert (row["status"], row["valid_until"], row["next_due"], row["due_kind"]) == (
        "open",
        "2026-12-11",
        "2026-11-30",  # the retry cadence: two business days on
        "first",
    )
    [call] = store.read("SELECT * FROM calls WHERE offer_id = ?", [offer_id])
    assert (call["outcome"], call["next_due"]) == ("snoozed", "2026-11-30")
    [answer] = store.read("SELECT step, question, answer FROM answers WHERE call_id = ?", [call["id"]])
    assert dict(answer) == {
        "step": "validity",
        "question": "Extend the offer until",
        "answer": "Fri 11 Dec 2026",
    }
    assert not store.get_offer(offer_id).expired(TODAY)


def test_closing_an_expired_offer_counts_it_as_run_out(store):
    expired = _offer(store, sent=D(2026, 11, 10), valid=D(2026, 11, 20))
    still_open = _offer(store, sent=D(2026, 11, 10), valid=D(2026, 11, 24), client="Schulz")
    _offer(store, sent=D(2026, 11, 10), valid=D(2026, 12, 24), client="Valid")
    store.record_call(expired, CallDraft(outcome=Outcome.LOST, loss_reason="expired"), today=TODAY)
    row = _row(store, expired)
    assert (row["status"], row["loss_reason"], row["next_due"]) == ("lost", "expired", None)
    assert store.get_offer(still_open).expired(TODAY)
    assert compute_stats(store, TODAY).ran_out == 2


# ------------------------------------------------------------------ time away


def test_a_period_that_covers_today_moves_todays_offers_and_stops_the_overdue_count(store):
    due_today = _offer(store, sent=D(2026, 11, 23))  # first due Thu 26 Nov
    overdue = _offer(store, sent=D(2026, 11, 17), client="Schulz")  # first due Fri 20 Nov
    assert _reason(store, overdue, TODAY) == "overdue 4 business days · first follow-up"
    change = add_absence(store, D(2026, 11, 24), D(2026, 11, 27), "Krank", TODAY)
    assert change.moved == 1
    row = _row(store, due_today)
    assert (row["next_due"], row["due_cause"], row["due_planned"]) == ("2026-11-30", "away", "2026-11-26")
    assert _row(store, overdue)["next_due"] == "2026-11-20"  # before the period: left alone
    monday = D(2026, 11, 30)
    assert _reason(store, due_today, monday) == "moved: you were away until Fri 27 Nov"
    assert _reason(store, due_today, monday, "de") == "verschoben: du warst bis Fr 27. Nov weg"
    # Mon 23 Nov and Mon 30 Nov count; the four days away do not
    assert _reason(store, overdue, monday) == "overdue 2 business days · first follow-up"


def test_a_future_period_moves_agreed_dates_inside_it_and_new_dates_skip_it(store):
    agreed = _offer(store, sent=D(2026, 11, 20))
    store.record_call(agreed, CallDraft(outcome=Outcome.FOLLOW_UP, next_due=D(2026, 12, 22)), today=TODAY)
    add_absence(store, D(2026, 12, 21), D(2027, 1, 4), None, TODAY)
    row = _row(store, agreed)
    # 5 Jan is the first business day after the period (1 Jan is a public holiday anyway)
    assert (row["next_due"], row["due_kind"], row["due_cause"]) == ("2027-01-05", "agreed", "away")
    assert _reason(store, agreed, D(2027, 1, 5)) == "moved: you were away until Mon 4 Jan"
    # sent on Thu 17 Dec: Fri 18 Dec is one business day, then the period and the holidays pass
    later = _offer(store, sent=D(2026, 12, 17), client="Later")
    assert _row(store, later)["next_due"] == "2027-01-06"


def test_an_offer_that_would_run_out_during_the_time_away_is_called_before_it(store):
    offer_id = _offer(store, sent=D(2026, 11, 25), valid=D(2026, 12, 9))  # first due Mon 30 Nov
    add_absence(store, D(2026, 11, 30), D(2026, 12, 11), None, TODAY)
    row = _row(store, offer_id)
    # after the period (Mon 14 Dec) it would have run out: the last business day before it instead
    assert (row["next_due"], row["due_cause"], row["due_planned"]) == ("2026-11-27", "expiring", "2026-11-30")
    assert _reason(store, offer_id, D(2026, 11, 27)) == "offer runs out Wed 9 Dec"


def test_overlapping_periods_read_as_one_and_removing_them_brings_the_date_back(store):
    offer_id = _offer(store, sent=D(2026, 11, 20))
    store.record_call(offer_id, CallDraft(outcome=Outcome.FOLLOW_UP, next_due=D(2026, 12, 29)), today=TODAY)
    first = add_absence(store, D(2026, 12, 21), D(2026, 12, 30), "Ski", TODAY).absence
    second = add_absence(store, D(2026, 12, 28), D(2027, 1, 8), None, TODAY).absence
    assert _row(store, offer_id)["next_due"] == "2027-01-11"
    assert _reason(store, offer_id, D(2027, 1, 11)) == "moved: you were away until Fri 8 Jan"
    assert [absence.id for absence in list_absences(store)] == [first.id, second.id]
    assert remove_absence(store, first.id, TODAY).moved == 0  # the second still covers 29 Dec
    assert _row(store, offer_id)["next_due"] == "2027-01-11"
    assert remove_absence(store, second.id, TODAY).moved == 1
    row = _row(store, offer_id)
    assert (row["next_due"], row["due_kind"], row["due_cause"], row["due_planned"]) == (
        "2026-12-29",
        "agreed",
        None,
        None,
    )


def test_periods_that_cannot_be_are_refused_and_change_nothing(store):
    offer_id = _offer(store)
    with pytest.raises(AbsenceError) as caught:
        add_absence(store, D(2026, 12, 4), D(2026, 12, 1), None, TODAY)
    assert str(caught.value) == "The end (2026-12-01) is before the start (2026-12-04)."
    with pytest.raises(AbsenceError):
        add_absence(store, D(2026, 11, 2), D(2026, 11, 6), None, TODAY)
    with pytest.raises(AbsenceError):
        remove_absence(store, 99, TODAY)
    assert list_absences(store) == []
    assert _row(store, offer_id)["next_due"] == "2026-12-01"


# ------------------------------------------------------------------ client away


def test_a_client_away_snooze_returns_that_day_as_an_agreed_date(store):
    offer_id = _offer(store, sent=D(2026, 11, 10))
    draft = CallDraft(outcome=Outcome.SNOOZED, next_due=D(2026, 12, 7), client_away=True)
    store.record_call(offer_id, draft, today=TODAY)
    row = _row(store, offer_id)
    assert (row["next_due"], row["due_kind"], row["due_cause"]) == ("2026-12-07", "agreed", "client_away")
    assert _reason(store, offer_id, D(2026, 12, 7)) == "client back on Mon 7 Dec"
    assert _reason(store, offer_id, D(2026, 12, 7), "de") == "Kunde ab Mo 7. Dez zurück"
    assert store.get_offer(offer_id).due_cause is DueCause.CLIENT_AWAY
    store.record_call(offer_id, CallDraft(outcome=Outcome.NO_ANSWER), today=D(2026, 12, 7))
    assert _row(store, offer_id)["due_cause"] is None


# ------------------------------------------------------------------ import


@pytest.mark.parametrize(
    "header",
    ["valid_until", "Gültig bis", "gültig bis", "Bindefrist", "expirationDate", "hs_expiration_date"],
)
def test_every_alias_of_the_validity_column_is_read(store, tmp_path, header):
    path = tmp_path / "offers.csv"
    path.write_text(
        f"Kunde;Angebot;Gesendet am;{header}\nMüller Bau;Website;20.11.2026;11.12.2026\n", "utf-8"
    )
    report = import_csv(store, path, ImportOptions(today=TODAY))
    assert report.imported == 1
    [row] = store.read("SELECT valid_until FROM offers")
    assert row["valid_until"] == "2026-12-11"


def test_a_lexoffice_like_export_with_an_expiration_date(store, tmp_path):
    path = tmp_path / "lexoffice.csv"
    path.write_text(
        "voucherNumber,contactName,title,voucherDate,expirationDate,totalAmount\n"
        "AG0001,Müller Bau GmbH,Website-Relaunch,2026-11-24T00:00:00.000+01:00,2026-11-26T00:00:00.000+01:00,4800.00\n"
        "AG0002,Schulz & Söhne,Logo,2026-11-19,2026-11-18,1250.00\n",
        "utf-8",
    )
    mapping = parse_mappings(
        ["voucherNumber=-", "contactName=client", "voucherDate=sent_on", "totalAmount=value"]
    )
    report = import_csv(store, path, ImportOptions(mapping=mapping, skip_invalid=True, today=TODAY))
    assert report.imported == 1
    problems, _ = report_lines(report, "en")
    assert any("line 3" in line and "valid until" in line for line in problems), problems
    [row] = store.read("SELECT client, valid_until, next_due, due_cause FROM offers")
    assert dict(row) == {
        "client": "Müller Bau GmbH",
        "valid_until": "2026-11-26",
        "next_due": "2026-11-25",  # Fri 27 Nov by the cadence; two days before the end, but after sending
        "due_cause": "expiring",
    }


# ------------------------------------------------------------------ commands


def test_add_with_a_validity_says_when_the_call_comes_and_why(db_path):
    result = _run(db_path, "add", "--client", "A", "--title", "T", "--valid-until", "30.11.")
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == "Offer 1 saved. First follow-up: Fri 27 Nov 2026 (tomorrow). (offer runs out Mon 30 Nov)\n"
    )
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT valid_until FROM offers").fetchone() == ("2026-11-30",)


def test_add_refuses_a_validity_that_is_no_date(db_path):
    result = _run(db_path, "add", "--client", "A", "--title", "T", "--valid-until", "bald")
    assert result.exit_code == 1
    assert "--valid-until: 'bald' is not a date" in result.output
    assert not db_path.exists() or sqlite3.connect(db_path).execute(
        "SELECT count(*) FROM offers"
    ).fetchone() == (0,)


def test_away_enters_lists_and_removes_a_period(db_path):
    _run(db_path, "add", "--client", "A", "--title", "T", "--sent", "23.11.")  # due today
    result = _run(db_path, "away", "heute", "27.11.", "--note", "Krank")
    assert result.exit_code == 0, result.output
    assert result.output == "Away: Thu 26 Nov 2026 to Fri 27 Nov 2026 (#1).\n1 open offer has a new date.\n"
    listed = _run(db_path, "away", "--list", lang="de")
    assert listed.output == "#1  Do 26. Nov 2026 bis Fr 27. Nov 2026  Krank\n"
    due = _run(db_path, "due", today=D(2026, 11, 30))
    assert "A · T — moved: you were away until Fri 27 Nov" in due.output
    removed = _run(db_path, "away", "--remove", "1")
    assert removed.exit_code == 0
    assert (
        removed.output == "Removed: Thu 26 Nov 2026 to Fri 27 Nov 2026 (#1).\n1 open offer has a new date.\n"
    )
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT next_due, due_cause FROM offers").fetchone() == ("2026-11-26", None)
        assert conn.execute("SELECT count(*) FROM absences").fetchone() == (0,)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["away", "morgen"], "Please give FROM and TO"),
        (["away", "morgen", "irgendwann"], "TO: 'irgendwann' is not a date"),
        (["away", "4.12.", "1.12."], "The end (2026-12-01) is before the start (2026-12-04)."),
        (["away", "--remove", "7"], "There is no time away with id 7"),
        (["away", "--list", "--remove", "1"], "Please give FROM and TO"),
    ],
)
def test_away_with_bad_input_says_why_and_changes_nothing(db_path, args, message):
    _run(db_path, "add", "--client", "A", "--title", "T")
    result = _run(db_path, *args)
    assert result.exit_code == 1
    assert message in result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM absences").fetchone() == (0,)


def test_due_export_calendar_and_stats_carry_the_validity(db_path):
    _run(db_path, "add", "--client", "A", "--title", "T", "--sent", "10.11.", "--valid-until", "20.11.")
    _run(db_path, "add", "--client", "B", "--title", "U", "--sent", "10.11.", "--valid-until", "18.12.")
    due = _run(db_path, "due")
    assert "A · T — overdue 9 business days · expired Fri 20 Nov" in due.output
    assert "B · U — overdue 9 business days · first follow-up · valid until Fri 18 Dec" in due.output
    data = json.loads(_run(db_path, "due", "--json").output)
    assert [(item["valid_until"], item["reason"]["cause"]) for item in data["due"]] == [
        ("2026-11-20", "expired"),
        ("2026-12-18", None),
    ]
    exported = json.loads(_run(db_path, "export", "--format", "json").output)
    assert [offer["valid_until"] for offer in exported["offers"]] == ["2026-11-20", "2026-12-18"]
    calendar = _run(db_path, "calendar").output.replace("\r\n ", "").replace("\n ", "")
    assert "Valid until: Fri 18 Dec 2026" in calendar
    stats = _run(db_path, "stats")
    assert "Offers that ran out without an answer: 1" in stats.output
    assert json.loads(_run(db_path, "stats", "--json").output)["follow_up"]["ran_out"] == 1


def test_the_expiry_lead_comes_from_the_config(db_path, tmp_path):
    config = Path(tmp_path / "home" / "config" / "nachhaken" / "config.toml")
    config.parent.mkdir(parents=True)
    config.write_text("expiry_lead_days = 0\nfirst_followup_days = 10\n", "utf-8")
    _run(db_path, "add", "--client", "A", "--title", "T", "--valid-until", "4.12.")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT next_due, due_cause FROM offers").fetchone() == ("2026-12-04", "expiring")
    config.write_text("expiry_lead_days = 31\n", "utf-8")
    result = _run(db_path, "due")
    assert result.exit_code == 1
    assert "expiry_lead_days must be a whole number from 0 to 30, not 31" in result.output


def test_the_status_of_an_offer_is_unchanged_by_its_validity(store):
    offer_id = _offer(store, sent=D(2026, 11, 10), valid=D(2026, 11, 20))
    assert store.get_offer(offer_id).status is Status.OPEN
    assert store.get_offer(offer_id).due_kind is DueKind.FIRST


def test_an_offer_due_in_the_week_it_runs_out_says_so(store):
    offer_id = _offer(store, sent=D(2026, 11, 25), valid=D(2026, 12, 4))  # first due Mon 30 Nov, not moved
    assert _row(store, offer_id)["due_cause"] is None
    assert _reason(store, offer_id, D(2026, 11, 30)) == "offer runs out Fri 4 Dec"
    assert _reason(store, offer_id, D(2026, 11, 30), "de") == "Angebot läuft Fr 4. Dez ab"


def test_the_expiring_opener_is_for_offers_whose_validity_ends_soon(store):
    cadence = store.cadence
    moved = store.get_offer(_offer(store, valid=D(2026, 11, 30)))  # moved before the end
    assert cadence.runs_out_soon(moved, D(2026, 11, 27))
    assert not cadence.runs_out_soon(moved, D(2026, 12, 1))  # expired by then
    later = store.get_offer(_offer(store, valid=D(2026, 12, 18), client="Later"))
    assert not cadence.runs_out_soon(later, D(2026, 12, 1))
    # before the call after this one could come: retry_days (2) + expiry_lead_days (2) business days
    assert not cadence.runs_out_soon(later, D(2026, 12, 11))
    assert cadence.runs_out_soon(later, D(2026, 12, 14))  # a Monday, the offer holds until Friday
    store.record_call(later.id, CallDraft(outcome=Outcome.FOLLOW_UP, next_due=D(2026, 12, 17)), today=TODAY)
    assert not cadence.runs_out_soon(store.get_offer(later.id), D(2026, 12, 17))  # agreed: its own opener


def test_a_note_with_control_characters_never_reaches_the_terminal(db_path):
    _run(db_path, "add", "--client", "A", "--title", "T")
    assert _run(db_path, "away", "1.12.", "4.12.", "--note", "Ski\x1b[31m\x9b2J [bold]x").exit_code == 0
    listed = _run(db_path, "away", "--list").output
    assert "\x1b" not in listed and "\x9b" not in listed
    assert "[bold]x" in listed
