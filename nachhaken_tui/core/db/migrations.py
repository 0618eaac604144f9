"""The schema, as a sequence of migrations (sqlite-utils' `Migrations`).

The schema is a public contract (README, "Schema"): users read the file with
the `sqlite-utils` CLI or Datasette. Every change is a new function here,
appended at the end, never an edit to an applied one and never an ad-hoc
ALTER elsewhere. Each runs in its own transaction and is recorded in
`_sqlite_migrations` under the set name "nachhaken".
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from nachhaken_tui.core.db.schema import MIGRATION_SET

__all__ = ["V1_VIEWS", "migrations"]

migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    """Offers, the calls made about them, and the script answers of each call.

    STRICT tables keep `value_cents` an integer (money is never a float) and
    CHECK constraints keep statuses and outcomes to the documented values.
    """
    db.execute(
        """
        CREATE TABLE offers (
            id INTEGER PRIMARY KEY,
            client TEXT NOT NULL CHECK (length(trim(client)) > 0),
            contact TEXT,
            phone TEXT,
            email TEXT,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            value_cents INTEGER,
            currency TEXT NOT NULL DEFAULT 'EUR',
            sent_on TEXT NOT NULL,
            first_talk_on TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'won', 'lost', 'archived')),
            next_due TEXT,
            due_kind TEXT CHECK (due_kind IN ('first', 'retry', 'agreed')),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            loss_reason TEXT,
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT,
            CHECK (status = 'open' OR next_due IS NULL)
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            offer_id INTEGER NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
            started_at TEXT,
            ended_at TEXT NOT NULL,
            reached TEXT CHECK (reached IN ('yes', 'voicemail', 'no_answer', 'wrong_number')),
            outcome TEXT NOT NULL CHECK (outcome IN
                ('won', 'lost', 'follow_up', 'revise', 'voicemail', 'no_answer', 'snoozed')),
            next_due TEXT,
            loss_reason TEXT,
            fear TEXT,
            hesitation_before INTEGER CHECK (hesitation_before BETWEEN 1 AND 5),
            hesitation_after INTEGER CHECK (hesitation_after BETWEEN 1 AND 5),
            fear_came_true INTEGER CHECK (fear_came_true IN (0, 1)),
            notes TEXT
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            step TEXT NOT NULL,
            question TEXT NOT NULL,
            answer TEXT NOT NULL
        ) STRICT
        """
    )
    # The inbox: open offers by due date, then the urgency tie-breakers.
    db.execute("CREATE INDEX offers_inbox ON offers (status, next_due, value_cents DESC, attempts, sent_on)")
    # Duplicate detection on import (same client, title and sent_on).
    db.execute("CREATE INDEX offers_identity ON offers (client, title, sent_on)")
    db.execute("CREATE INDEX calls_offer ON calls (offer_id, ended_at)")
    db.execute("CREATE INDEX answers_call ON answers (call_id, position)")


@migrations()
def m002_call_blocks(db: Database) -> None:
    """Call blocks: a focused run of calls with a plan, and which calls belong to it.

    `planned_calls` and/or `planned_minutes` bound the block; `plan` is the
    user's if-then plan; `plan_kept` their own verdict at the end.
    """
    db.execute(
        """
        CREATE TABLE blocks (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            planned_calls INTEGER CHECK (planned_calls > 0),
            planned_minutes INTEGER CHECK (planned_minutes > 0),
            plan TEXT,
            plan_kept INTEGER CHECK (plan_kept IN (0, 1))
        ) STRICT
        """
    )
    db.execute("ALTER TABLE calls ADD COLUMN block_id INTEGER REFERENCES blocks(id) ON DELETE SET NULL")
    db.execute("CREATE INDEX calls_block ON calls (block_id)")


@migrations()
def m003_closed_index(db: Database) -> None:
    """The Closed view from an index: in its order, and covering its other sorts.

    Without it every page of the Closed view sorted all closed offers (nearly
    all of them, in a file with years of history) reading each whole row.
    Partial, so it holds closed offers only; value and sent date are in it so
    the view's other orders sort index entries, not rows (SQLite would
    otherwise read every closed row through this index to sort by them).
    """
    db.execute(
        "CREATE INDEX offers_closed ON offers (closed_at DESC, id DESC, value_cents, sent_on, status) "
        "WHERE status != 'open'"
    )


@migrations()
def m004_call_memory(db: Database) -> None:
    """What the tenth call needs to remember, and what an undo needs to restore.

    offers.salutation: how to greet the contact ("Frau Brenner", "Katrin").
    offers.phone_wrong: 1 after "wrong number" until a new number is saved; no
        retry call is planned on it meanwhile.
    offers.revise_by / revised_sent_on: a revised offer promised by that day,
        and the day it went out (the follow-up counts from there).
    offers.reopened_at: set when a closed offer is reopened, so its reason
        says so; cleared by its next call.
    calls.offer_before: the offer's row (JSON) as it was before this call, kept
        in the same transaction, so the call can be undone exactly, also in a
        later session ("the closing call was a mistake").
    """
    db.execute("ALTER TABLE offers ADD COLUMN salutation TEXT")
    db.execute(
        "ALTER TABLE offers ADD COLUMN phone_wrong INTEGER NOT NULL DEFAULT 0 CHECK (phone_wrong IN (0, 1))"
    )
    db.execute("ALTER TABLE offers ADD COLUMN revise_by TEXT")
    db.execute("ALTER TABLE offers ADD COLUMN revised_sent_on TEXT")
    db.execute("ALTER TABLE offers ADD COLUMN reopened_at TEXT")
    db.execute("ALTER TABLE calls ADD COLUMN offer_before TEXT")


@migrations()
def m005_coaching(db: Database) -> None:
    """Per call: the user's guess how likely their fear was, and which coaching they had.

    `fear_likelihood` (percent, one of 10/30/50/70/90) is the calibration
    guess made with the fear, held up in the stats against what happened.
    `coaching` is "full" or "faded" for calls made through the script, NULL
    for quick outcomes and for calls saved before this version.
    """
    db.execute(
        "ALTER TABLE calls ADD COLUMN fear_likelihood INTEGER CHECK (fear_likelihood IN (10, 30, 50, 70, 90))"
    )
    db.execute("ALTER TABLE calls ADD COLUMN coaching TEXT CHECK (coaching IN ('full', 'faded'))")


@migrations()
def m006_validity_away(db: Database) -> None:
    """An offer's validity, what moved its next date, and the user's time away.

    `valid_until` is the last day the offer holds ("gültig bis"). `due_cause`
    says what moved `next_due` away from the cadence's own date (`expiring`:
    before the validity ends; `away`: after the user's time away;
    `client_away`: the day the client is back), and `due_planned` keeps that
    own date while a cause holds, so removing an absence or changing the
    validity can recompute it. The inbox keeps reading `next_due` alone
    through `offers_inbox`: absences never enter its query.
    """
    db.execute("ALTER TABLE offers ADD COLUMN valid_until TEXT")
    db.execute(
        "ALTER TABLE offers ADD COLUMN due_cause TEXT CHECK (due_cause IN ('expiring', 'away', 'client_away'))"
    )
    db.execute("ALTER TABLE offers ADD COLUMN due_planned TEXT")
    db.execute(
        """
        CREATE TABLE absences (
            id INTEGER PRIMARY KEY,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL,
            CHECK (ends_on >= starts_on)
        ) STRICT
        """
    )


V1_VIEWS = {
    "v1_offers": (
        (
            "id, reference, client, contact, salutation, phone, email, title, value_cents, currency, sent_on, "
            "first_talk_on, valid_until, status, next_due, due_kind, attempts, loss_reason, notes, created_at, "
            "updated_at, closed_at"
        ),
        "offers",
    ),
    "v1_calls": (
        (
            "id, offer_id, block_id, started_at, ended_at, reached, outcome, next_due, loss_reason, fear, "
            "fear_likelihood, hesitation_before, hesitation_after, fear_came_true, coaching, notes"
        ),
        "calls",
    ),
    "v1_answers": ("id, call_id, position, step, question, answer", "answers"),
    "v1_blocks": ("id, started_at, ended_at, planned_calls, planned_minutes, plan, plan_kept", "blocks"),
}
"""The public read contract, version 1: view -> (its columns, the table it reads).

Released views never change: a migration that needs another shape adds
`v2_…` beside them, so a user's queries and Datasette pages keep working
while the base tables evolve (README, "Schema")."""


@migrations()
def m007_reference_views(db: Database) -> None:
    """The offer number, the contacts from a vCard import, and the v1 read contract.

    `offers.reference` holds the number people quote ("Angebot 2026-048");
    `contacts` the people a vCard import brought in, to pick from in the
    offer form; the `v1_…` views (see `V1_VIEWS`) are what users query.
    """
    db.execute("ALTER TABLE offers ADD COLUMN reference TEXT")
    db.execute(
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            organisation TEXT,
            phone TEXT,
            email TEXT
        ) STRICT
        """
    )
    db.execute("CREATE UNIQUE INDEX contacts_identity ON contacts (name, coalesce(organisation, ''))")
    for view, (columns, table) in V1_VIEWS.items():
        db.execute(f"CREATE VIEW {view} AS SELECT {columns} FROM {table}")


_RANK_OF_NEW_NEXT_DUE = (
    "coalesce((SELECT rank FROM due_rank_days WHERE day = NEW.next_due), "
    "CASE strftime('%w', NEW.next_due) WHEN '6' THEN date(NEW.next_due, '-1 day') "
    "WHEN '0' THEN date(NEW.next_due, '-2 days') ELSE NEW.next_due END)"
)
"""The business day `NEW.next_due` counts as: the day itself on a weekday, the
Friday before on a weekend, and from `due_rank_days` when public holidays or
the user's time away make it another day. Written out here, as m008 applied
it: a later change to the rule is a new migration that replaces the triggers."""


@migrations()
def m008_due_rank_search(db: Database) -> None:
    """The Due view's order read straight from an index, and search through an FTS5 trigram index.

    `offers.due_rank` is the business day an offer's `next_due` counts as:
    a follow-up due on a Saturday is as urgent as one due on the Friday
    before. Triggers keep it right on every insert and update, whoever
    writes (the store, an import's executemany, the sqlite-utils CLI): the
    weekend rule is plain SQL, and the days public holidays or time away
    move (a handful a year) are looked up in `due_rank_days`, which the store
    keeps in step with its calendar (`core.db.due_rank`). `offers_due` holds
    the whole urgency order (`due_rank, value_cents DESC, attempts, sent_on,
    id`) and `next_due` to filter on, so `nachhaken due` and the Due view
    read rows in order instead of sorting them.

    `offers_search` indexes client, contact, title, offer number and notes
    by trigrams (external content: the text stays in `offers` only), kept by
    triggers; a search of three or more characters finds its rows there
    instead of reading every row. Search only asks which rows match, never
    how well (no `bm25`, no `rank`), so the index keeps no column sizes
    (`columnsize=0`).
    """
    db.execute("ALTER TABLE offers ADD COLUMN due_rank TEXT")
    db.execute("CREATE TABLE due_rank_days (day TEXT PRIMARY KEY, rank TEXT NOT NULL) STRICT, WITHOUT ROWID")
    db.execute(
        f"""
        CREATE TRIGGER offers_due_rank_insert AFTER INSERT ON offers
        WHEN NEW.due_rank IS NOT {_RANK_OF_NEW_NEXT_DUE}
        BEGIN UPDATE offers SET due_rank = {_RANK_OF_NEW_NEXT_DUE} WHERE id = NEW.id; END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER offers_due_rank_update AFTER UPDATE OF next_due, due_rank ON offers
        WHEN NEW.due_rank IS NOT {_RANK_OF_NEW_NEXT_DUE}
        BEGIN UPDATE offers SET due_rank = {_RANK_OF_NEW_NEXT_DUE} WHERE id = NEW.id; END
        """
    )
    # Backfill: the update trigger computes each open offer's rank (closed ones have none).
    db.execute("UPDATE offers SET due_rank = next_due WHERE next_due IS NOT NULL")
    db.execute(
        "CREATE INDEX offers_due ON offers (status, due_rank, value_cents DESC, attempts, sent_on, id, next_due)"
    )
    searched = "client, contact, title, reference, notes"
    new = ", ".join(f"NEW.{column}" for column in searched.split(", "))
    old = ", ".join(f"OLD.{column}" for column in searched.split(", "))
    db.execute(
        f"CREATE VIRTUAL TABLE offers_search USING fts5({searched}, "
        "content='offers', content_rowid='id', tokenize='trigram', columnsize=0)"
    )
    # Terms wait in memory up to this much before FTS5 writes them out as a segment (1 MiB by default):
    # filling the index at the end of an import then writes fewer segments to merge, in half the time.
    db.execute("INSERT INTO offers_search (offers_search, rank) VALUES ('hashsize', 16777216)")
    db.execute(
        f"""
        CREATE TRIGGER offers_search_insert AFTER INSERT ON offers BEGIN
            INSERT INTO offers_search (rowid, {searched}) VALUES (NEW.id, {new});
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER offers_search_delete AFTER DELETE ON offers BEGIN
            INSERT INTO offers_search (offers_search, rowid, {searched}) VALUES ('delete', OLD.id, {old});
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER offers_search_update AFTER UPDATE OF {searched} ON offers BEGIN
            INSERT INTO offers_search (offers_search, rowid, {searched}) VALUES ('delete', OLD.id, {old});
            INSERT INTO offers_search (rowid, {searched}) VALUES (NEW.id, {new});
        END
        """
    )
    db.execute("INSERT INTO offers_search (offers_search) VALUES ('rebuild')")
