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

from nachhaken_tui.core.schema import MIGRATION_SET

__all__ = ["migrations"]

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
    db.execute(
        "CREATE INDEX offers_inbox ON offers (status, next_due, value_cents DESC, attempts, sent_on)"
    )
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
