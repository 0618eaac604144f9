"""The demo data: what someone trying nachhaken for the first time sees.

`nachhaken --demo` must show a real working day whatever the date: every
reason an offer can be in the inbox, offers coming up, closed offers with
their history, and text that looks like markup shown as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.core.config import Config
from nachhaken_tui.core.db.inbox import InboxQuery, View
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.demo import DemoError, build_demo, demo_database
from nachhaken_tui.core.models import DueKind, OfferDraft, Outcome, Status
from nachhaken_tui.core.paths import default_db_path
from nachhaken_tui.core.schedule.cadence import Cadence


@pytest.fixture
def demo_store(store: Store) -> Store:
    """The test store filled with the demo for TODAY."""
    build_demo(store, TODAY)
    return store


@pytest.fixture
def cli():
    """The `nachhaken` command (imported here, so core tests run on their own)."""
    from nachhaken_tui.cli import cli

    return cli


def _due(store: Store, today: dt.date = TODAY):
    return store.due_page(today, limit=100)


def _inbox_reasons(store: Store, today: dt.date) -> set[tuple[DueKind, str]]:
    """The kinds of inbox lines a user sees: (why, "today" / "overdue")."""
    return {(due.kind, "today" if due.overdue_days == 0 else "overdue") for due in _due(store, today)}


def test_about_25_offers_in_german_and_english_with_every_status(demo_store: Store) -> None:
    offers = list(demo_store.iter_rows("offers"))
    assert 20 <= len(offers) <= 30
    assert {row["status"] for row in offers} == {"open", "won", "lost", "archived"}
    clients = {row["client"] for row in offers}
    assert {"Müller Bau GmbH", "Bäckerei Schröder", "Northwind Studio"} <= clients
    assert {row["currency"] for row in offers} >= {"EUR", "GBP", "CHF", "USD"}
    values = [row["value_cents"] for row in offers]
    assert min(values) < 1_000_00 and max(values) > 20_000_00


def test_build_demo_returns_the_number_of_offers_written(store: Store) -> None:
    assert build_demo(store, TODAY) == store.count_offers()


def test_inbox_today_has_every_reason_to_call(demo_store: Store) -> None:
    due = _due(demo_store)
    first_today = [d for d in due if d.kind is DueKind.FIRST and d.overdue_days == 0]
    assert len(first_today) >= 1
    assert any(d.kind is DueKind.FIRST and d.overdue_days == 1 for d in due)
    assert any(d.overdue_days >= 8 for d in due)
    assert any(d.kind is DueKind.AGREED and d.overdue_days == 0 for d in due)
    assert any(d.kind is DueKind.AGREED and d.overdue_days > 0 for d in due)
    retry_attempts = {d.offer.attempts for d in due if d.kind is DueKind.RETRY}
    assert {1, 2} <= retry_attempts
    assert any(a >= demo_store.cadence.max_attempts for a in retry_attempts)  # close the loop


def test_some_offers_come_up_in_the_next_days(demo_store: Store) -> None:
    upcoming = demo_store.next_upcoming(TODAY)
    assert upcoming is not None
    assert TODAY < upcoming.next_due <= TODAY + dt.timedelta(days=3)
    open_offers = [due.offer for due in demo_store.page(InboxQuery(View.OPEN), TODAY, limit=100)]
    later = {o.due_kind for o in open_offers if o.next_due > TODAY}
    assert {DueKind.FIRST, DueKind.RETRY, DueKind.AGREED} <= later


def test_closed_offers_have_their_call_history(demo_store: Store) -> None:
    closed = [due.offer for due in demo_store.page(InboxQuery(View.CLOSED), TODAY, limit=100)]
    by_status = {status: [o for o in closed if o.status is status] for status in Status}
    assert by_status[Status.WON] and by_status[Status.LOST] and by_status[Status.ARCHIVED]
    for offer in by_status[Status.WON] + by_status[Status.LOST]:
        calls = demo_store.calls_for(offer.id)
        assert calls and calls[0].outcome == offer.status.value
        assert offer.closed_at == calls[0].ended_at
    assert all(o.loss_reason for o in by_status[Status.LOST])
    assert {o.loss_reason for o in by_status[Status.LOST]} >= {"price", "competitor"}
    assert all(o.next_due is None for o in closed)


def test_reached_calls_have_the_script_answers_with_the_contact_named(demo_store: Store) -> None:
    db = demo_store.db
    reached = list(
        db.query(
            "SELECT c.id, o.contact FROM calls c JOIN offers o ON o.id = c.offer_id WHERE c.reached = 'yes'"
        )
    )
    assert len(reached) >= 5
    for call in reached:
        answers = list(db.query("SELECT * FROM answers WHERE call_id = ? ORDER BY position", [call["id"]]))
        steps = [a["step"] for a in answers]
        assert steps[0] == "fear" and "dial" in steps and "fit" in steps
        dial = next(a for a in answers if a["step"] == "dial")
        assert call["contact"] in dial["question"]
        assert all(a["answer"] for a in answers)


def test_calls_are_consistent_and_fears_rarely_came_true(demo_store: Store) -> None:
    db = demo_store.db
    calls = list(demo_store.iter_rows("calls"))
    assert {row["outcome"] for row in calls} <= {o.value for o in Outcome}
    assert {row["outcome"] for row in calls} >= {
        "won",
        "lost",
        "follow_up",
        "revise",
        "voicemail",
        "no_answer",
    }
    for row in calls:
        assert dt.datetime.fromisoformat(row["ended_at"]).utcoffset() is not None
        assert row["started_at"] <= row["ended_at"] < TODAY.isoformat()
    came_true = [row["fear_came_true"] for row in calls if row["fear_came_true"] is not None]
    assert 0 < came_true.count(1) < came_true.count(0)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # attempts count the unanswered calls since the last conversation
    for offer in [due.offer for due in demo_store.page(InboxQuery(View.OPEN), TODAY, limit=100)]:
        outcomes = [c.outcome for c in demo_store.calls_for(offer.id)]
        assert offer.attempts == sum(o in ("voicemail", "no_answer") for o in outcomes)


def test_markup_in_user_text_is_stored_literally(demo_store: Store) -> None:
    """The demo carries one offer whose text looks like markup; the app must show it as is."""
    rows = list(demo_store.db.query("SELECT * FROM offers WHERE client = 'Studio [Nord]'"))
    assert len(rows) == 1
    assert "[b]bold[/b]" in rows[0]["notes"] and "[@click=app.quit]" in rows[0]["notes"]
    assert rows[0]["id"] in {d.offer.id for d in _due(demo_store)}  # visible in today's inbox


def test_one_offer_lacks_a_phone_number(demo_store: Store) -> None:
    """Missing data must degrade gracefully; the demo shows it."""
    assert any(d.offer.phone is None for d in _due(demo_store))


def test_same_day_same_data(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        opened = Store.open(tmp_path / name)
        build_demo(opened, TODAY)
        dumps.append({table: list(opened.iter_rows(table)) for table in ("offers", "calls", "answers")})
        opened.close()
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 11, 28),  # a Saturday
        dt.date(2026, 12, 25),  # Christmas Day, a public holiday
        dt.date(2027, 3, 30),  # the Tuesday after Easter Monday and Good Friday
        dt.date(2027, 1, 4),  # after Christmas and New Year
    ],
)
def test_demo_looks_fresh_on_any_day(tmp_path: Path, today: dt.date) -> None:
    opened = Store.open(tmp_path / "demo.db")
    try:
        build_demo(opened, today)
        assert _inbox_reasons(opened, today) >= {
            (DueKind.FIRST, "today"),
            (DueKind.FIRST, "overdue"),
            (DueKind.AGREED, "today"),
            (DueKind.RETRY, "today"),
        }
        assert opened.next_upcoming(today) is not None
        assert max(row["sent_on"] for row in opened.iter_rows("offers")) <= today.isoformat()
    finally:
        opened.close()


def test_demo_follows_the_users_own_cadence(tmp_path: Path) -> None:
    cadence = Cadence(Config(first_followup_days=5, retry_days=3))
    opened = Store.open(tmp_path / "demo.db", cadence)
    try:
        build_demo(opened, TODAY)
        assert _inbox_reasons(opened, TODAY) >= {
            (DueKind.FIRST, "today"),
            (DueKind.RETRY, "today"),
            (DueKind.AGREED, "today"),
        }
    finally:
        opened.close()


def test_refuses_a_store_that_holds_offers(store: Store) -> None:
    store.add_offer(OfferDraft(client="Echter Kunde GmbH", title="Echtes Angebot", sent_on=TODAY))
    with pytest.raises(DemoError) as refused:
        build_demo(store, TODAY)
    assert "already holds offers (1)" in str(refused.value)
    assert store.count_offers() == 1
    assert list(store.iter_rows("calls")) == []


def test_demo_database_is_private_and_apart_from_the_users_data() -> None:
    path = demo_database(TODAY)
    try:
        assert path.parent.name.startswith("nachhaken-demo-")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert not path.is_relative_to(default_db_path().parent)
        assert not default_db_path().exists()
        reopened = Store.open(path)
        assert reopened.count_due(TODAY) > 5
        reopened.close()
    finally:
        shutil.rmtree(path.parent)


def test_demo_database_makes_a_new_folder_each_time() -> None:
    first, second = demo_database(TODAY), demo_database(TODAY)
    try:
        assert first.parent != second.parent
    finally:
        shutil.rmtree(first.parent)
        shutil.rmtree(second.parent)


# ----------------------------------------------------------- the command line


def test_cli_writes_the_demo_and_says_how_to_open_it(cli, tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(target), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"Wrote 25 demo offers to {target}" in result.output
    assert f"nachhaken --db {target}" in result.output
    opened = Store.open(target)
    assert opened.count_offers() == 25
    opened.close()


def test_cli_refuses_a_database_with_offers_and_leaves_it_alone(cli, tmp_path: Path) -> None:
    target = tmp_path / "real.db"
    real = Store.open(target)
    real.add_offer(OfferDraft(client="Echter Kunde GmbH", title="Echtes Angebot", sent_on=TODAY))
    real.close()
    result = CliRunner().invoke(cli, ["--lang", "de", "demo", "--db", str(target)])
    assert result.exit_code == 1
    assert "enthält schon Angebote (1)" in result.output
    assert "Traceback" not in result.output
    real = Store.open(target)
    assert real.count_offers() == 1
    real.close()


def test_cli_never_writes_the_demo_to_the_default_database(cli) -> None:
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 1
    assert "nachhaken demo --db" in result.output
    assert not default_db_path().exists()


def test_cli_help_in_both_languages() -> None:
    for lang, words in (("en", "demo offers"), ("de", "Demo-Angebote")):
        run = subprocess.run(
            [sys.executable, "-m", "nachhaken_tui", "--lang", lang, "demo", "--help"],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            check=False,
        )
        assert run.returncode == 0, run.stderr
        assert words in run.stdout


def test_real_process_writes_the_demo(tmp_path: Path) -> None:
    target = tmp_path / "demo file.db"
    run = subprocess.run(
        [sys.executable, "-m", "nachhaken_tui", "demo", "--db", str(target)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "demo offers" in run.stdout and "'" in run.stdout  # the path with a space, quoted
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
