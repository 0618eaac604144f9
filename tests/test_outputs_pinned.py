"""The bytes of `calendar`, `stats` and `export`, pinned on one small database.

Issue 14 made these commands linear (memoised business days, a streamed
calendar, one pass over the calls): what they print must not change. The
database has what makes the arithmetic hard: weekends (an agreed Saturday,
past and ahead), public holidays (Christmas, New Year, Easter on the way of a
long-overdue offer), the user's time away (one past, one ahead that moves
offers), validity running out, snoozes, closed offers, hostile text, three
currencies. Each output is compared byte for byte with a file in
`tests/pinned/`; the calendar's DTSTAMP (the export time) is masked.

After a deliberate change of an output, rewrite the files with
`NACHHAKEN_REPIN=1 pytest tests/test_outputs_pinned.py` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from nachhaken_tui.cli import cli
from nachhaken_tui.core.db.absences import add_absence
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import Answer, CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.schedule.cadence import Cadence

D = dt.date
TODAY = D(2026, 11, 26)  # a Thursday, as in conftest
PINNED = Path(__file__).with_name("pinned")

OUTPUTS: dict[str, list[str]] = {
    "calendar-en.ics": ["calendar", "--lang", "en"],
    "calendar-de.ics": ["calendar", "--lang", "de"],
    "stats-en.txt": ["stats", "--lang", "en"],
    "stats-de.txt": ["stats", "--lang", "de"],
    "stats-since-de.txt": ["stats", "--lang", "de", "--since", "2026-11-01"],
    "stats.json": ["stats", "--json"],
    "export.json": ["export", "--format", "json"],
    "offers.csv": ["export", "--table", "offers"],
    "calls.csv": ["export", "--table", "calls"],
    "answers.csv": ["export", "--table", "answers"],
    "excel-de.csv": ["export", "--excel", "--lang", "de"],
    "excel-en.csv": ["export", "--excel", "--lang", "en"],
}
_DTSTAMP = re.compile(rb"^DTSTAMP:\d{8}T\d{6}Z\r$", re.MULTILINE)


def build(path: Path) -> None:
    """The pinned database: hand-made hard cases, then seeded random offers and calls."""
    store = Store.open(path, Cadence())
    try:
        _hard_cases(store)
        _random_history(store)
        _fixed_stamps(store)
    finally:
        store.close()


def _hard_cases(store: Store) -> None:
    add = store.add_offer
    call = store.record_call
    # overdue since Thu 18 Dec 2025: the count crosses Christmas, New Year, Easter, May
    # and the time away in August entered below
    add(OfferDraft(client="Altlast KG", title="Dach", sent_on=D(2025, 12, 15), value_cents=990_000))
    mueller = add(
        OfferDraft(
            client="Müller Bau GmbH",
            title="Website-Relaunch",
            sent_on=D(2026, 11, 16),
            contact="Sabine Müller",
            phone="+49 30 23125 014",
            email="s.mueller@mueller-bau.example",
            value_cents=480_000,
            notes='Will es vor dem Frühjahr, "dringend"; Budget 5.000',
        )
    )
    northwind = add(
        OfferDraft(
            client="Northwind\x1b[2J Studio",
            title="Workshop\x07",
            sent_on=D(2026, 11, 20),
            currency="GBP",
            value_cents=120_000,
        )
    )
    call(northwind, CallDraft(Outcome.FOLLOW_UP, Reached.YES, next_due=D(2026, 11, 28)), today=TODAY)
    saturday = add(OfferDraft(client="Samstag & Co.", title="Messestand", sent_on=D(2026, 11, 2)))
    call(
        saturday,
        CallDraft(Outcome.FOLLOW_UP, Reached.YES, next_due=D(2026, 11, 21)),
        today=D(2026, 11, 12),
        ended_at="2026-11-12T10:15:00+01:00",
    )
    christmas = add(
        OfferDraft(client="Weihnacht GmbH", title="Feier", sent_on=D(2026, 11, 24), value_cents=50_000)
    )
    call(christmas, CallDraft(Outcome.FOLLOW_UP, Reached.YES, next_due=D(2026, 12, 24)), today=TODAY)
    add(
        OfferDraft(
            client="Kurz gültig AG",
            title="Schulung",
            sent_on=D(2026, 11, 23),
            valid_until=D(2026, 12, 2),
            value_cents=75_000,
        )
    )
    add(
        OfferDraft(
            client="Jahresende UG",
            title="Inventur",
            sent_on=D(2026, 12, 10) - dt.timedelta(days=20),
            valid_until=D(2026, 12, 23),
        )
    )
    tokyo = add(
        OfferDraft(
            client="Tokyo KK", title="翻訳", sent_on=D(2026, 11, 25), currency="JPY", value_cents=500_000
        )
    )
    call(
        tokyo,
        CallDraft(Outcome.SNOOZED, next_due=D(2026, 12, 7), client_away=True),
        today=TODAY,
    )
    add(
        OfferDraft(
            client="=SUM(A1)",
            title="@Formel",
            sent_on=D(2026, 11, 19),
            phone="+49 89 555",
            contact="-Minus",
            notes="Zeile eins\nZeile zwei, mit Komma",
        )
    )
    for client, outcome, reason in (
        ("Gewonnen GmbH", Outcome.WON, None),
        ("Verloren AG", Outcome.LOST, "expired"),
        ("Preis KG", Outcome.LOST, "price"),
    ):
        offer = add(OfferDraft(client=client, title="Abschluss", sent_on=D(2026, 10, 5), value_cents=30_000))
        call(offer, CallDraft(outcome, Reached.YES, loss_reason=reason), today=D(2026, 11, 20))
    archived = add(OfferDraft(client="Archiv e.K.", title="Alt", sent_on=D(2026, 10, 1)))
    store.archive(archived)
    long_closed = add(OfferDraft(client="Lange her", title="Alt", sent_on=D(2026, 3, 2)))
    call(
        long_closed,
        CallDraft(Outcome.WON, Reached.YES),
        today=D(2026, 4, 1),
        ended_at="2026-04-01T11:00:00+02:00",
    )
    store.db.execute(
        "INSERT INTO absences (starts_on, ends_on, note, created_at) "
        "VALUES ('2026-08-03', '2026-08-14', 'Urlaub', '2026-07-01T09:00:00+02:00')"
    )
    store.load_away()
    add_absence(store, D(2026, 12, 21), D(2027, 1, 4), "Ski", TODAY)
    draft = CallDraft(Outcome.NO_ANSWER, Reached.NO_ANSWER, fear="needy", hesitation_before=4)
    call(mueller, draft, today=D(2026, 11, 24), ended_at="2026-11-24T09:30:00+01:00")


def _random_history(store: Store) -> None:
    """Forty offers over twelve weeks, each with a few calls: the stats have something to count."""
    rng = random.Random(14)
    store.db.execute(
        "INSERT INTO blocks (started_at, ended_at, planned_calls) VALUES (?, ?, 5)",
        [
            "2026-11-10T09:00:00+01:00",
            "2026-11-10T10:00:00+01:00",
        ],
    )
    for n in range(40):
        sent = TODAY - dt.timedelta(days=rng.randint(5, 84))
        offer = store.add_offer(
            OfferDraft(
                client=f"Kunde {n:02d} {rng.choice(('GmbH', 'AG', 'KG'))}",
                title=rng.choice(("Logo", "Website", "Workshop", "Coaching")),
                sent_on=sent,
                value_cents=rng.choice((None, 80_000, 125_050, 2_000_000)),
                currency=rng.choice(("EUR", "EUR", "EUR", "CHF")),
                contact=rng.choice((None, "Anna Weber", "Jörg Koch")),
            )
        )
        day = sent
        for _ in range(rng.randint(0, 4)):
            day = day + dt.timedelta(days=rng.randint(1, 9))
            if day > TODAY:
                break
            outcome = rng.choice(
                (
                    Outcome.NO_ANSWER,
                    Outcome.VOICEMAIL,
                    Outcome.FOLLOW_UP,
                    Outcome.SNOOZED,
                    Outcome.WON,
                    Outcome.LOST,
                )
            )
            reached = {Outcome.NO_ANSWER: Reached.NO_ANSWER, Outcome.VOICEMAIL: Reached.VOICEMAIL}.get(
                outcome, None if outcome is Outcome.SNOOZED else Reached.YES
            )
            fear = rng.choice((None, "needy", "pushy", "no", "none"))
            draft = CallDraft(
                outcome,
                reached,
                next_due=day + dt.timedelta(days=rng.randint(2, 12)),
                loss_reason=rng.choice(("price", "timing", None)) if outcome is Outcome.LOST else None,
                fear=fear,
                fear_came_true=None if fear in (None, "none") else rng.random() < 0.3,
                fear_likelihood=rng.choice((None, 10, 30, 50, 70, 90))
                if fear not in (None, "none")
                else None,
                hesitation_before=rng.choice((None, 2, 4, 5)),
                hesitation_after=rng.choice((None, 1, 2)),
                coaching=rng.choice((None, "full", "faded")),
                notes=rng.choice((None, "ruft zurück", "=1+1", "Sekretariat, später")),
                block_id=1 if rng.random() < 0.2 else None,
            )
            if outcome is not Outcome.SNOOZED and rng.random() < 0.5:
                draft.answers.append(
                    Answer("opening", "Ist das Angebot angekommen?", rng.choice(("ja", "nein")))
                )
                draft.answers.append(Answer("timing", "Wann entscheidet ihr?", "im Dezember"))
            stamp = f"{day.isoformat()}T{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00+01:00"
            store.record_call(offer, draft, today=day, ended_at=stamp)
            if outcome in (Outcome.WON, Outcome.LOST):
                break


def _fixed_stamps(store: Store) -> None:
    """The times the store took from the clock, replaced by fixed ones (ids keep them apart)."""
    stamp = "printf('2026-11-%02dT08:%02d:00+01:00', 1 + id % 25, id % 60)"
    store.db.execute(f"UPDATE offers SET created_at = {stamp}, updated_at = {stamp}")
    store.db.execute(f"UPDATE offers SET closed_at = {stamp} WHERE closed_at > '2026-11-27'")
    store.db.execute(
        "UPDATE calls SET offer_before = json_set(offer_before, '$.created_at', 'c', '$.updated_at', 'u') "
        "WHERE offer_before IS NOT NULL"
    )
    store.db.execute(
        f"UPDATE calls SET ended_at = {stamp}, started_at = {stamp} WHERE ended_at > '2026-11-27'"
    )
    store.db.conn.commit()


def outputs(db_path: Path) -> dict[str, bytes]:
    """Every pinned command's standard output, the calendar's DTSTAMP masked."""
    results = {}
    for name, args in OUTPUTS.items():
        result = CliRunner().invoke(cli, [*args, "--db", str(db_path), "--today", TODAY.isoformat()])
        assert result.exit_code == 0, (name, result.output)
        results[name] = _DTSTAMP.sub(b"DTSTAMP:<now>\r", result.stdout_bytes)
    return results


@pytest.fixture(scope="module")
def pinned_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = tmp_path_factory.mktemp("pinned") / "pinned.db"
    build(path)
    return outputs(path)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_output_is_byte_for_byte_as_pinned(pinned_outputs, name):
    if os.environ.get("NACHHAKEN_REPIN"):
        PINNED.mkdir(exist_ok=True)
        (PINNED / name).write_bytes(pinned_outputs[name])
    assert pinned_outputs[name] == (PINNED / name).read_bytes()


def test_the_pinned_data_has_the_hard_cases(pinned_outputs):
    ics = pinned_outputs["calendar-en.ics"].decode()
    assert "DTSTART;VALUE=DATE:20261128" in ics  # an agreed Saturday ahead is kept
    assert "STATUS:CANCELLED" in ics
    assert "away until" in ics.replace("\r\n ", "")  # moved by the time away ahead
