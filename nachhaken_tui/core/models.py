"""Plain data classes for offers, calls and script answers.

They mirror the documented SQLite schema (see README, "Schema") so that the
store, the cadence, the script engine and the UI speak about the same things
without any of them knowing SQL or Textual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Answer",
    "CallDraft",
    "CallRecord",
    "Contact",
    "DueCause",
    "DueKind",
    "DueOffer",
    "Offer",
    "OfferDraft",
    "Outcome",
    "Reached",
    "Status",
]


class Status(StrEnum):
    """Where an offer stands; only `open` offers can be due."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"
    ARCHIVED = "archived"


class Reached(StrEnum):
    """Whether the dialled call reached the contact."""

    YES = "yes"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"


class Outcome(StrEnum):
    """What a follow-up attempt ended with; decides the offer's next state."""

    WON = "won"
    LOST = "lost"
    FOLLOW_UP = "follow_up"
    REVISE = "revise"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    SNOOZED = "snoozed"

    @property
    def needs_date(self) -> bool:
        """Outcomes that keep an agreed date exactly instead of the cadence."""
        return self in (Outcome.FOLLOW_UP, Outcome.REVISE, Outcome.SNOOZED)

    @property
    def is_unanswered(self) -> bool:
        """Attempts that did not reach anyone and so count toward retries."""
        return self in (Outcome.VOICEMAIL, Outcome.NO_ANSWER)

    @property
    def closes(self) -> bool:
        """Outcomes that end the offer (it leaves every inbox)."""
        return self in (Outcome.WON, Outcome.LOST)


class DueKind(StrEnum):
    """Why `next_due` holds the date it holds (stored in `offers.due_kind`).

    The UI words the inbox reason from it: a first follow-up, a retry after an
    unanswered attempt, or a date the user agreed with the client.
    """

    FIRST = "first"
    RETRY = "retry"
    AGREED = "agreed"


class DueCause(StrEnum):
    """What moved `next_due` away from the cadence's own date (`offers.due_cause`).

    NULL in the table when nothing did. The inbox words the reason from it:
    "offer runs out Fri 11 Dec", "moved: you were away until Tue 5 Jan",
    "client back on Tue 5 Jan".
    """

    EXPIRING = "expiring"
    AWAY = "away"
    CLIENT_AWAY = "client_away"


@dataclass(frozen=True, slots=True)
class OfferDraft:
    """A new offer as entered by the user or read from an import, validated."""

    client: str
    title: str
    sent_on: dt.date
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    value_cents: int | None = None
    currency: str | None = None
    first_talk_on: dt.date | None = None
    notes: str | None = None
    valid_until: dt.date | None = None
    reference: str | None = None
    """The offer's number as the user and the client quote it ("2026-048")."""
    salutation: str | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """One row of `offers`, as the UI and the CLI read it."""

    id: int
    client: str
    title: str
    sent_on: dt.date
    status: Status
    attempts: int
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    value_cents: int | None = None
    currency: str = "EUR"
    first_talk_on: dt.date | None = None
    next_due: dt.date | None = None
    due_kind: DueKind | None = None
    loss_reason: str | None = None
    notes: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    closed_at: str | None = None
    valid_until: dt.date | None = None
    """The last day the offer holds; None when it names none."""
    due_cause: DueCause | None = None
    due_planned: dt.date | None = None
    """The cadence's own date while `due_cause` moved `next_due` away from it."""

    reference: str | None = None
    salutation: str | None = None
    phone_wrong: bool = False
    revise_by: dt.date | None = None
    revised_sent_on: dt.date | None = None
    reopened_at: str | None = None

    def expired(self, today: dt.date) -> bool:
        """Open, and its validity ended before `today` without a decision."""
        return self.status is Status.OPEN and self.valid_until is not None and self.valid_until < today

    @property
    def callable(self) -> bool:
        """A number to dial that is not known to be wrong."""
        return bool(self.phone) and not self.phone_wrong

    @classmethod
    def from_row(cls, row: dict) -> Offer:
        """Build an offer from a database row (dates stored as ISO text)."""
        return cls(
            id=row["id"],
            client=row["client"],
            title=row["title"],
            sent_on=dt.date.fromisoformat(row["sent_on"]),
            status=Status(row["status"]),
            attempts=row["attempts"],
            contact=row.get("contact"),
            phone=row.get("phone"),
            email=row.get("email"),
            value_cents=row.get("value_cents"),
            currency=row.get("currency") or "EUR",
            first_talk_on=_date_or_none(row.get("first_talk_on")),
            next_due=_date_or_none(row.get("next_due")),
            due_kind=DueKind(row["due_kind"]) if row.get("due_kind") else None,
            loss_reason=row.get("loss_reason"),
            notes=row.get("notes"),
            created_at=row.get("created_at"),
            updated_at=row.get("updated_at"),
            closed_at=row.get("closed_at"),
            valid_until=_date_or_none(row.get("valid_until")),
            due_cause=DueCause(row["due_cause"]) if row.get("due_cause") else None,
            due_planned=_date_or_none(row.get("due_planned")),
            reference=row.get("reference"),
            salutation=row.get("salutation"),
            phone_wrong=bool(row.get("phone_wrong")),
            revise_by=_date_or_none(row.get("revise_by")),
            revised_sent_on=_date_or_none(row.get("revised_sent_on")),
            reopened_at=row.get("reopened_at"),
        )


@dataclass(frozen=True, slots=True)
class DueOffer:
    """An open offer that is due, with the facts its inbox reason is worded from.

    Attributes:
        offer: the offer itself.
        overdue_days: business days past `next_due` (0 = due today).
        away_until: for an offer moved by the user's time away, the last day
            of that period (the reason names it).
        runs_out_soon: its validity ends soon (`Cadence.runs_out_soon`):
            the reason says "offer runs out …" even if nothing moved its date.
    """

    offer: Offer
    overdue_days: int
    away_until: dt.date | None = None
    runs_out_soon: bool = False

    @property
    def kind(self) -> DueKind:
        """Why the offer is due; offers imported without a kind count as first."""
        return self.offer.due_kind or DueKind.FIRST


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered script step, exactly as it was shown to the user."""

    step: str
    question: str
    answer: str


@dataclass(slots=True)
class CallDraft:
    """Everything one follow-up attempt produced, before it is saved.

    The script engine (or a quick outcome in the inbox) fills this; the store
    saves it together with the offer's new state in one transaction.

    Attributes:
        outcome: how the attempt ended.
        reached: whether anyone picked up (None when not asked, e.g. snooze).
        next_due: the agreed date for follow_up / revise / snoozed; ignored
            otherwise (the cadence decides).
        loss_reason: for `lost`: price, timing, competitor, scope, no_budget,
            no_need, none_given, or free text for "other".
        fear: the hesitation named before the call (needy, pushy, no, none).
        fear_came_true: whether the feared reaction happened (None = not asked).
        fear_likelihood: the user's guess before the call, in percent (10, 30,
            50, 70 or 90), how likely the fear is to come true (None = not asked).
        coaching: "full" or "faded", the coaching the call had (None for
            quick outcomes without the script).
        answers: the script steps answered, in order.
        block_id: the call block this attempt was made in, if any.
        client_away: a snooze because the client is away until `next_due`
            (the offer shows "client back on …").
        valid_until: an expired offer's validity extended to this day; the
            cadence then places its next call (outcome `snoozed`).
        phone: a new number given after "wrong number"; saved to the offer
            (the old one stays in this call's answers).
    """

    outcome: Outcome
    reached: Reached | None = None
    next_due: dt.date | None = None
    loss_reason: str | None = None
    fear: str | None = None
    fear_came_true: bool | None = None
    hesitation_before: int | None = None
    hesitation_after: int | None = None
    fear_likelihood: int | None = None
    coaching: str | None = None
    notes: str | None = None
    started_at: str | None = None
    answers: list[Answer] = field(default_factory=list)
    block_id: int | None = None
    client_away: bool = False
    valid_until: dt.date | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One saved row of `calls`, for history and the offer card."""

    id: int
    offer_id: int
    started_at: str | None
    ended_at: str
    reached: str | None
    outcome: str
    next_due: str | None
    loss_reason: str | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class Contact:
    """One person (or company) from the user's address book, to pick in the offer form.

    A company card without a person has its organisation as `name`.
    """

    name: str
    organisation: str | None = None
    phone: str | None = None
    email: str | None = None


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
