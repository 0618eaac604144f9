"""Undo: take back the last changes saved since the app was opened, one by one.

Why this shape: every undoable change reads the offer's row as it was
*inside the transaction that changes it* (`Store.record_call` keeps it in the
call's `offer_before` column, `Store.change_offer` returns it), so what is
restored is exactly what the change replaced, whatever the UI believed at the
time. The stack of `Change`s lives in memory for the session (the issue asks
for "the last change saved since the app was opened"); a call's own
`offer_before` lives in the file, so a closing call can also be taken back
in a later session ("the closing call was a mistake"), without an undo table
that would grow forever.

An undo is itself one transaction: the call and its answers go (answers by
ON DELETE CASCADE) and the offer's row is put back. It refuses, changing
nothing, if the offer was changed since (in another window, say): restoring
would silently throw that change away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from nachhaken_tui.core.db.opening import StoreError
from nachhaken_tui.core.db.store import Store

__all__ = ["Change", "UndoStack", "closing_call", "undo"]

_KEEP = ("id", "created_at")
"""Columns an undo never writes back (they cannot have changed)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One saved change that can be taken back.

    Attributes:
        offer_id: the offer it changed.
        client: for the notice ("Undone: Müller Bau – won").
        what: what was saved, as shown in the notice after saving.
        stamp: the offer's `updated_at` right after the change; an undo
            refuses if it differs (the offer changed since). For a call it
            is the call's `ended_at`, read from the file.
        before: the offer's row before the change; None for a call, whose
            row is in its `offer_before` column.
        call_id: the call the change recorded, if any.
        block_id: the call block the call belonged to, if any.
    """

    offer_id: int
    client: str
    what: str
    stamp: str | None = None
    before: dict | None = None
    call_id: int | None = None
    block_id: int | None = None


class UndoStack:
    """The session's changes, newest last."""

    def __init__(self) -> None:
        self._changes: list[Change] = []

    def push(self, change: Change) -> None:
        self._changes.append(change)

    def pop(self) -> Change | None:
        """The newest change, taken off the stack (None when there is none)."""
        return self._changes.pop() if self._changes else None

    def forget_offers(self, offer_ids: list[int]) -> None:
        """Drop every change of offers that no longer exist (after forget)."""
        gone = set(offer_ids)
        self._changes = [change for change in self._changes if change.offer_id not in gone]

    def __len__(self) -> int:
        return len(self._changes)


def undo(store: Store, change: Change) -> None:
    """Take `change` back in one transaction.

    Raises:
        StoreError: the offer is gone, or changed since (nothing is undone).
    """
    with store.transaction() as db:
        rows = store.read("SELECT updated_at FROM offers WHERE id = ?", [change.offer_id])
        if not rows:
            raise StoreError("no_offer", offer_id=change.offer_id)
        before, stamp = change.before, change.stamp
        if change.call_id is not None:
            call = store.read("SELECT ended_at, offer_before FROM calls WHERE id = ?", [change.call_id])
            if not call or not call[0]["offer_before"]:
                raise StoreError("changed_since", offer_id=change.offer_id)
            before, stamp = json.loads(call[0]["offer_before"]), call[0]["ended_at"]
        if rows[0]["updated_at"] != stamp:
            raise StoreError("changed_since", offer_id=change.offer_id)
        if change.call_id is not None:
            db.execute("DELETE FROM calls WHERE id = ?", [change.call_id])
        if before is not None:
            db.table("offers").update(change.offer_id, {k: v for k, v in before.items() if k not in _KEEP})


def closing_call(store: Store, offer_id: int) -> Change | None:
    """The call that closed a won or lost offer, as a Change to undo; None if there is none.

    It must be the offer's latest call, carry the row from before it (calls
    saved before m004 do not), and nothing may have changed the offer since.
    """
    rows = store.read(
        "SELECT c.id, c.outcome, c.block_id, c.ended_at, c.offer_before, o.status, o.client, o.updated_at "
        "FROM calls c JOIN offers o ON o.id = c.offer_id WHERE c.offer_id = ? "
        "ORDER BY c.ended_at DESC, c.id DESC LIMIT 1",
        [offer_id],
    )
    if not rows:
        return None
    row = rows[0]
    if row["outcome"] != row["status"] or row["status"] not in ("won", "lost") or not row["offer_before"]:
        return None
    if row["updated_at"] != row["ended_at"]:
        return None
    return Change(offer_id, row["client"], row["outcome"], call_id=row["id"], block_id=row["block_id"])
