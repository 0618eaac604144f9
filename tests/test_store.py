"""The store: opening files safely, migrations, transactions, the inbox query."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from conftest import TODAY

from nachhaken_tui.core.db import migrations as migrations_module
from nachhaken_tui.core.db import schema as schema_module
from nachhaken_tui.core.db.opening import StoreError
from nachhaken_tui.core.db.schema import SCHEMA
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import Answer, CallDraft, DueKind, OfferDraft, Outcome, Reached, Status
from nachhaken_tui.core.schedule.cadence import Cadence

D = dt.date


def _offer(store: Store, client="Müller Bau", sent=D(2026, 11, 20), value=None, **extra) -> int:
    return store.add_offer(
        OfferDraft(client=client, title="Website", sent_on=sent, value_cents=value, **extra)
    )


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_new_database_is_private_wal_with_foreign_keys_and_busy_timeout(store, db_path):
    assert oct(os.stat(db_path).st_mode & 0o777) == "0o600"
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_schema_is_the_documented_contract(store):
    assert {"offers", "calls", "answers", "_sqlite_migrations"} <= set(store.db.table_names())
    offer_columns = set(store.db["offers"].columns_dict)
    assert offer_columns >= {
        "id",
        "client",
        "contact",
        "phone",
        "email",
        "title",
        "value_cents",
        "currency",
        "sent_on",
        "first_talk_on",
        "status",
        "next_due",
        "attempts",
        "loss_reason",
        "notes",
        "created_at",
        "updated_at",
        "closed_at",
    }
    assert store.db["offers"].columns_dict["value_cents"] is int
    plan = " ".join(
        row[3]
        for row in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM offers WHERE status = 'open' AND next_due <= ? "
            "ORDER BY next_due",
            ["2026-11-26"],
        )
    )
    assert "offers_inbox" in plan


def test_database_creates_its_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "n.db"
    Store.open(path).close()
    assert path.exists()


def test_reopen_keeps_data_and_applies_nothing_twice(db_path):
    first = Store.open(db_path)
    _offer(first)
    first.close()
    again = Store.open(db_path)
    assert again.count_offers() == 1
    registered = len(migrations_module.migrations._migrations)
    assert _count(db_path, "_sqlite_migrations") == registered
    again.close()


def test_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some text, not a database\n")
    with pytest.raises(StoreError, match="is not an SQLite database"):
        Store.open(path)
    assert path.read_bytes() == b"just some text, not a database\n"


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not nachhaken's") as caught:
        Store.open(path)
    assert "nicht von nachhaken" in caught.value.message("de")
    assert path.read_bytes() == before


def test_database_from_a_newer_nachhaken_is_refused(db_path):
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('nachhaken', 'm099_from_the_future', '2030-01-01')"
        )
    with pytest.raises(StoreError, match="newer nachhaken .*m099_from_the_future"):
        Store.open(db_path)


def test_existing_database_is_backed_up_before_a_migration(db_path, monkeypatch):
    store = Store.open(db_path)
    _offer(store)
    store.close()
    registered = list(migrations_module.migrations._migrations)

    def m002_add_column(db):
        db.execute("ALTER TABLE offers ADD COLUMN source TEXT")

    monkeypatch.setattr(
        migrations_module.migrations,
        "_migrations",
        [*registered, migrations_module.migrations._Migration("m002_add_column", m002_add_column)],
    )
    # The store recognises a current file by this list (it opens without sqlite-utils).
    monkeypatch.setattr(schema_module, "SCHEMA", (*schema_module.SCHEMA, "m002_add_column"))
    migrated = Store.open(db_path)
    assert "source" in migrated.db["offers"].columns_dict
    migrated.close()
    backup = db_path.with_name(f"{db_path.name}.before-migration-m002_add_column")
    assert backup.exists()
    assert oct(os.stat(backup).st_mode & 0o777) == "0o600"
    assert _count(backup, "offers") == 1
    with sqlite3.connect(backup) as conn:
        assert "source" not in [row[1] for row in conn.execute("PRAGMA table_info(offers)")]


def test_new_offer_is_open_and_first_due_by_cadence(store):
    offer = store.get_offer(_offer(store, sent=D(2026, 11, 20)))
    assert offer.status is Status.OPEN
    assert offer.next_due == D(2026, 11, 25)
    assert offer.due_kind is DueKind.FIRST
    assert offer.currency == "EUR"
    assert (
        offer.created_at.endswith(("+00:00", "Z")) or "+" in offer.created_at or "-" in offer.created_at[19:]
    )


def test_record_call_saves_call_answers_and_offer_state_together(store, db_path):
    offer_id = _offer(store)
    draft = CallDraft(
        outcome=Outcome.FOLLOW_UP,
        reached=Reached.YES,
        next_due=D(2026, 12, 3),
        fear="pushy",
        fear_came_true=False,
        hesitation_before=4,
        hesitation_after=2,
        answers=[
            Answer("fear", "What holds you back?", "I'll come across as pushy"),
            Answer("decision", "Decision?", "Not yet"),
        ],
    )
    call_id = store.record_call(offer_id, draft, today=TODAY)
    call = store.db["calls"].get(call_id)
    assert (call["outcome"], call["reached"], call["next_due"]) == ("follow_up", "yes", "2026-12-03")
    assert (call["hesitation_before"], call["hesitation_after"], call["fear_came_true"]) == (4, 2, 0)
    answers = list(store.db.query("SELECT position, step, answer FROM answers WHERE call_id = ?", [call_id]))
    assert answers == [
        {"position": 1, "step": "fear", "answer": "I'll come across as pushy"},
        {"position": 2, "step": "decision", "answer": "Not yet"},
    ]
    offer = store.get_offer(offer_id)
    assert (offer.next_due, offer.due_kind, offer.attempts) == (D(2026, 12, 3), DueKind.AGREED, 0)


def test_lost_call_closes_offer_with_reason(store):
    offer_id = _offer(store)
    store.record_call(
        offer_id, CallDraft(outcome=Outcome.LOST, reached=Reached.YES, loss_reason="price"), today=TODAY
    )
    offer = store.get_offer(offer_id)
    assert (offer.status, offer.next_due, offer.loss_reason) == (Status.LOST, None, "price")
    assert offer.closed_at is not None
    assert store.count_due(TODAY) == 0


def test_a_call_that_fails_midway_leaves_nothing(store):
    offer_id = _offer(store)
    broken = CallDraft(
        outcome=Outcome.WON,
        reached=Reached.YES,
        answers=[Answer("decision", "Decision?", "Yes"), Answer("notes", None, "x")],  # type: ignore[arg-type]
    )
    with pytest.raises(sqlite3.IntegrityError):
        store.record_call(offer_id, broken, today=TODAY)
    assert store.db["calls"].count == 0
    assert store.db["answers"].count == 0
    assert store.get_offer(offer_id).status is Status.OPEN


def test_calls_on_closed_or_missing_offers_are_refused(store):
    offer_id = _offer(store)
    store.record_call(offer_id, CallDraft(outcome=Outcome.WON), today=TODAY)
    with pytest.raises(StoreError, match="not open"):
        store.record_call(offer_id, CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY)
    with pytest.raises(StoreError, match="no offer with id 999"):
        store.record_call(999, CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY)
    assert store.db["calls"].count == 1


def test_due_page_orders_by_urgency_and_words_the_reason_as_data(store):
    # next_due = sent + 3 business days
    early = _offer(store, client="early", sent=D(2026, 11, 10), value=100)  # due 13 Nov
    rich = _offer(store, client="rich", sent=D(2026, 11, 17), value=900_000)  # due 20 Nov
    poor = _offer(store, client="poor", sent=D(2026, 11, 17), value=5_000)  # due 20 Nov
    _offer(store, client="future", sent=D(2026, 11, 25))  # due 30 Nov: not due
    today_offer = _offer(store, client="today", sent=D(2026, 11, 23))  # due 26 Nov
    page = store.due_page(TODAY)
    assert [due.offer.client for due in page] == ["early", "rich", "poor", "today"]
    assert [due.overdue_days for due in page] == [9, 4, 4, 0]
    assert store.count_due(TODAY) == 4
    assert [due.offer.id for due in store.due_page(TODAY, limit=2, offset=1)] == [rich, poor]
    assert store.next_upcoming(TODAY).client == "future"
    assert early and today_offer


def test_agreed_weekend_date_ranks_with_the_business_day_before_it(store):
    friday_offer = _offer(store, client="friday, small", sent=D(2026, 11, 17), value=100)  # due Fri 20
    weekend_offer = _offer(store, client="saturday, big", sent=D(2026, 11, 17), value=900_000)
    store.record_call(
        weekend_offer, CallDraft(outcome=Outcome.SNOOZED, next_due=D(2026, 11, 21)), today=D(2026, 11, 18)
    )
    page = store.due_page(TODAY)
    # Both are 4 business days overdue, so the higher value comes first.
    assert [(due.offer.id, due.overdue_days) for due in page] == [(weekend_offer, 4), (friday_offer, 4)]


def test_add_offers_is_all_or_nothing_and_skips_duplicates(store):
    drafts = [
        OfferDraft(client="A", title="T", sent_on=D(2026, 11, 2)),
        OfferDraft(client="A", title="T", sent_on=D(2026, 11, 2)),
        OfferDraft(client="B", title="T", sent_on=D(2026, 11, 2)),
    ]
    outcome = store.add_offers(drafts)
    assert (outcome.inserted, outcome.duplicates) == (2, [1])
    assert store.add_offers(drafts).inserted == 0
    broken = [
        OfferDraft(client="C", title="T", sent_on=D(2026, 11, 2)),
        OfferDraft(client="   ", title="T", sent_on=D(2026, 11, 2)),
    ]
    with pytest.raises(sqlite3.IntegrityError):
        store.add_offers(broken)
    assert store.count_offers() == 2


def test_a_second_process_waits_for_a_writer_instead_of_failing(db_path):
    first = Store.open(db_path)
    second = Store.open(db_path, Cadence())
    released = threading.Event()

    def hold_write_lock():
        with first.transaction():
            _offer(first, client="holder")
            time.sleep(0.5)
        released.set()

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    time.sleep(0.1)
    _offer(second, client="waiter")  # blocks until the holder commits, then succeeds
    holder.join()
    assert released.is_set()
    assert second.count_offers() == 2
    first.close()
    second.close()


def test_the_copy_before_a_migration_is_named_after_the_migration_about_to_run(db_path):
    """With m001 and m002 applied and m003 pending, the copy is `…before-migration-m003_…`.

    Named after the last applied migration (m002), it read like a copy from before m002.
    """
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:  # as the version before m003 left it
        conn.execute("DROP INDEX offers_closed")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_closed_index'")
    Store.open(db_path).close()
    [backup] = db_path.parent.glob(f"{db_path.name}.before-migration-*")
    assert backup.name == f"{db_path.name}.before-migration-m003_closed_index"
    with sqlite3.connect(backup) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
        assert names == set(SCHEMA) - {"m003_closed_index"}
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'offers_closed'").fetchone()


def test_open_without_create_refuses_a_missing_database_and_creates_nothing(tmp_path):
    path = tmp_path / "nonexistent" / "dir" / "x.db"
    with pytest.raises(StoreError) as caught:
        Store.open(path, create=False)
    assert caught.value.key == "missing"
    assert caught.value.message("en") == (
        f"No database at {path} yet: add an offer with `nachhaken add` or `nachhaken import FILE`."
    )
    assert str(path) in caught.value.message("de")
    assert not (tmp_path / "nonexistent").exists()


def test_open_without_create_refuses_an_empty_file_and_leaves_it_empty(db_path):
    db_path.touch()
    with pytest.raises(StoreError, match="No database at"):
        Store.open(db_path, create=False)
    assert db_path.stat().st_size == 0
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)) == [
        db_path.name
    ]


def test_open_without_create_opens_an_existing_database(db_path):
    store = Store.open(db_path)
    _offer(store)
    store.close()
    again = Store.open(db_path, create=False)
    try:
        assert again.count_offers() == 1
    finally:
        again.close()
