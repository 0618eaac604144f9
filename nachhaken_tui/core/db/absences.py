"""The user's time away: periods in which no follow-up falls, and the offers they move.

A period counts like public holidays for the cadence (`BusinessCalendar.set_away`),
so new dates skip it and the overdue count does not grow during it. Entering
one moves every open offer whose date falls inside it to the first business
day after it; removing one places the offers it had moved again from their
own dates (`Cadence.replace`). Each change, with the offers it moves, is one
transaction. The moved dates are stored in `offers.next_due`, so the inbox
keeps reading one index and never looks at `absences`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.models import DueCause, Offer
from nachhaken_tui.core.text.i18n import Catalog, format_date_long

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = [
    "Absence",
    "AbsenceChange",
    "AbsenceError",
    "add_absence",
    "list_absences",
    "period_text",
    "remove_absence",
]

NOTE_LIMIT = 200
"""Characters allowed in a period's note."""


class AbsenceError(UserError):
    """A period cannot be entered or removed; nothing was changed."""

    catalog = Catalog(
        {
            "order": {
                "de": "Das Ende ({end}) liegt vor dem Anfang ({start}).",
                "en": "The end ({end}) is before the start ({start}).",
            },
            "past": {
                "de": "Der Zeitraum endet am {end}, also vor heute; er verschiebt nichts mehr.",
                "en": "The period ends on {end}, before today; it would move nothing.",
            },
            "too_long": {
                "de": "Der Zeitraum ist {days} Tage lang; höchstens {limit} Tage am Stück.",
                "en": "The period is {days} days long; at most {limit} days in a row.",
            },
            "note": {
                "de": "Die Notiz ist zu lang ({length} Zeichen, höchstens {limit}).",
                "en": "The note is too long ({length} characters, at most {limit}).",
            },
            "unknown": {
                "de": "Es gibt keine Abwesenheit mit der Nummer {id} (nachhaken away --list zeigt alle).",
                "en": "There is no time away with id {id} (nachhaken away --list shows them all).",
            },
        }
    )


MAX_DAYS = 366
"""A longer period is a typo in the year, not a holiday."""

_WORDS = Catalog({"period": {"de": "{start} bis {end}", "en": "{start} to {end}"}})


@dataclass(frozen=True, slots=True)
class Absence:
    """One period away, first and last day included."""

    id: int
    starts_on: dt.date
    ends_on: dt.date
    note: str | None


@dataclass(frozen=True, slots=True)
class AbsenceChange:
    """What entering or removing a period did."""

    absence: Absence
    moved: int
    """Open offers whose next date changed."""


def period_text(absence: Absence, lang: str) -> str:
    """ "Mo 21. Dez 2026 bis Mo 4. Jan 2027" / "Mon 21 Dec 2026 to Mon 4 Jan 2027"."""
    return _WORDS.text(
        lang,
        "period",
        start=format_date_long(absence.starts_on, lang),
        end=format_date_long(absence.ends_on, lang),
    )


def list_absences(store: Store) -> list[Absence]:
    """Every period, earliest first."""
    rows = store.read("SELECT id, starts_on, ends_on, note FROM absences ORDER BY starts_on, ends_on, id")
    return [_absence(row) for row in rows]


def add_absence(
    store: Store, starts_on: dt.date, ends_on: dt.date, note: str | None, today: dt.date
) -> AbsenceChange:
    """Enter a period away and move the open offers whose date falls inside it.

    Raises:
        AbsenceError: the end before the start, a period that ended before
            today, longer than `MAX_DAYS`, or a note too long. The note is
            kept on one line (runs of whitespace, NUL included, become one space).
    """
    if ends_on < starts_on:
        raise AbsenceError("order", start=starts_on.isoformat(), end=ends_on.isoformat())
    if ends_on < today:
        raise AbsenceError("past", end=ends_on.isoformat())
    days = (ends_on - starts_on).days + 1
    if days > MAX_DAYS:
        raise AbsenceError("too_long", days=days, limit=MAX_DAYS)
    note = " ".join(note.replace("\x00", " ").split()) if note else None
    if note and len(note) > NOTE_LIMIT:
        raise AbsenceError("note", length=len(note), limit=NOTE_LIMIT)
    from nachhaken_tui.core.db.store import new_row_id, now_iso

    try:
        with store.transaction() as db:
            absences = db.table("absences")
            absences.insert(
                {
                    "starts_on": starts_on.isoformat(),
                    "ends_on": ends_on.isoformat(),
                    "note": note,
                    "created_at": now_iso(),
                }
            )
            absence_id = new_row_id(absences)
            moved = _place_again(store, today)
    finally:
        store.load_away()
    return AbsenceChange(Absence(int(absence_id), starts_on, ends_on, note), moved)


def remove_absence(store: Store, absence_id: int, today: dt.date) -> AbsenceChange:
    """Delete a period and place the offers it had moved again.

    Raises:
        AbsenceError: no period with that id.
    """
    try:
        with store.transaction() as db:
            rows = store.read("SELECT id, starts_on, ends_on, note FROM absences WHERE id = ?", [absence_id])
            if not rows:
                raise AbsenceError("unknown", id=absence_id)
            db.execute("DELETE FROM absences WHERE id = ?", [absence_id])
            moved = _place_again(store, today)
    finally:
        store.load_away()
    return AbsenceChange(_absence(rows[0]), moved)


def _place_again(store: Store, today: dt.date) -> int:
    """Inside the caller's transaction: reload the periods and move the offers they affect.

    Affected are open offers dated inside any period (found through the
    inbox index, one range per period) and those an earlier period had moved.
    The calendar gets the new periods first, so the cadence places by them;
    the caller reloads it from the file afterwards, which undoes that if the
    transaction rolled back.
    """
    periods = store.read("SELECT starts_on, ends_on FROM absences")
    store.cadence.calendar.set_away(
        (dt.date.fromisoformat(row["starts_on"]), dt.date.fromisoformat(row["ends_on"])) for row in periods
    )
    ranges = " OR ".join("next_due BETWEEN ? AND ?" for _ in periods) or "0"
    params = [day for row in periods for day in (row["starts_on"], row["ends_on"])]
    rows = store.read(
        f"SELECT * FROM offers WHERE status = 'open' AND (({ranges}) OR due_cause = ?)",
        [*params, DueCause.AWAY.value],
    )
    moved = 0
    for offer in map(Offer.from_row, rows):
        placed = store.cadence.replace(offer, today)
        if (placed.next_due, placed.cause, placed.planned) == (
            offer.next_due,
            offer.due_cause,
            offer.due_planned,
        ):
            continue
        store.db.execute(
            "UPDATE offers SET next_due = ?, due_cause = ?, due_planned = ? WHERE id = ?",
            [
                placed.next_due.isoformat(),
                placed.cause.value if placed.cause else None,
                placed.planned.isoformat() if placed.planned else None,
                offer.id,
            ],
        )
        moved += placed.next_due != offer.next_due
    return moved


def _absence(row: dict) -> Absence:
    return Absence(
        row["id"], dt.date.fromisoformat(row["starts_on"]), dt.date.fromisoformat(row["ends_on"]), row["note"]
    )
