"""The next follow-up of every open offer as an iCalendar file (RFC 5545).

For people who plan their week in a calendar program: `nachhaken calendar`
writes one event per open offer, on the day of its next follow-up.

- All-day events: a follow-up is due on a day, not at an hour, and an all-day
  date needs no time zone. Each has an alarm at 9:00 that day
  (`TRIGGER;RELATED=START:PT9H`), so the calendar reminds in the morning.
- An overdue offer's event is put on today, with "overdue" in its
  description: a past event helps nobody make the call.
- The UID is `offer-<id>@nachhaken`, stable across exports, so importing a
  newer file updates the events instead of duplicating them; SEQUENCE is the
  time of the offer's last change, so the newer version wins.
- An offer closed (won, lost, archived) in the last `CANCELLED_FOR_DAYS`
  days is still in the file, as a cancelled event: a calendar that imported
  its reminder from an earlier export drops it.
- Summary "Nachhaken: <client> — <title>" ("Follow up: …" in English); the
  description holds the contact, phone, e-mail, value and why the call is due.
- Text from the database passes `terminal_safe`: control characters are not
  allowed in iCalendar text, and the file may be printed to a terminal.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event

from nachhaken_tui.core.input.fields import field_label
from nachhaken_tui.core.models import DueCause, DueKind, DueOffer, Offer
from nachhaken_tui.core.text.i18n import Catalog, format_date_long, format_money
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import due_reason, outcome_label, status_label

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = ["ALARM_AT", "CANCELLED_FOR_DAYS", "build_calendar", "event_uid"]

ALARM_AT = dt.timedelta(hours=9)
"""When the alarm rings, counted from the start (midnight) of the all-day event."""

CANCELLED_FOR_DAYS = 90
"""How long a closed offer stays in exports as a cancelled event (long enough
for any calendar that imported the reminder; not years of closed offers)."""

_TEXT = Catalog(
    {
        "calendar_name": {"de": "nachhaken: Nachfassen", "en": "nachhaken: follow-ups"},
        "summary": {"de": "Nachhaken: {client} — {title}", "en": "Follow up: {client} — {title}"},
        "why": {"de": "Warum", "en": "Why"},
        "sent": {"de": "Gesendet", "en": "Sent"},
        "offer": {"de": "Angebot {id} in nachhaken", "en": "Offer {id} in nachhaken"},
        "alarm": {"de": "Nachfassen: {client}", "en": "Follow up: {client}"},
        "closed": {
            "de": "{status} am {date}: kein Anruf mehr nötig.",
            "en": "{status} on {date}: no call needed.",
        },
    }
)


def event_uid(offer_id: int) -> str:
    """The UID of an offer's event; the same in every export of the same database."""
    return f"offer-{offer_id}@nachhaken"


def build_calendar(store: Store, today: dt.date, lang: str, now: dt.datetime | None = None) -> Calendar:
    """A calendar with one all-day event per open offer, in next-follow-up order.

    Args:
        now: the export time (DTSTAMP); the current time by default.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//nachhaken//nachhaken//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _TEXT.text(lang, "calendar_name"))
    rows = store.read("SELECT * FROM offers WHERE status = 'open' ORDER BY next_due, id")
    for offer in map(Offer.from_row, rows):
        calendar.add_component(_event(offer, store, today, lang, stamp))
    since = (today - dt.timedelta(days=CANCELLED_FOR_DAYS)).isoformat()
    closed = store.read(
        "SELECT * FROM offers WHERE status != 'open' AND closed_at >= ? ORDER BY closed_at, id", [since]
    )
    for offer in map(Offer.from_row, closed):
        calendar.add_component(_cancelled(offer, lang, stamp))
    return calendar


def _cancelled(offer: Offer, lang: str, stamp: dt.datetime) -> Event:
    """The event of an offer that no longer needs a call, marked cancelled."""
    closed = dt.datetime.fromisoformat(offer.closed_at).date() if offer.closed_at else stamp.date()
    event = _common(offer, lang, stamp, closed)
    event.add("status", "CANCELLED")
    event.add(
        "description",
        _TEXT.text(
            lang,
            "closed",
            status=status_label(offer.status.value, lang).capitalize(),
            date=format_date_long(closed, lang),
        ),
    )
    return event


def _common(offer: Offer, lang: str, stamp: dt.datetime, day: dt.date) -> Event:
    """What every event of an offer has: identity, version, day and summary."""
    event = Event()
    event.add("uid", event_uid(offer.id))
    event.add("dtstamp", stamp)
    if offer.updated_at:
        changed = dt.datetime.fromisoformat(offer.updated_at).astimezone(dt.UTC)
        event.add("last-modified", changed)
        event.add("sequence", int(changed.timestamp()))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add(
        "summary",
        _TEXT.text(lang, "summary", client=terminal_safe(offer.client), title=terminal_safe(offer.title)),
    )
    return event


def _event(offer: Offer, store: Store, today: dt.date, lang: str, stamp: dt.datetime) -> Event:
    event = _common(offer, lang, stamp, max(offer.next_due or today, today))
    event.add("description", _description(offer, store, today, lang))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", ALARM_AT, parameters={"RELATED": "START"})
    alarm.add("description", _TEXT.text(lang, "alarm", client=terminal_safe(offer.client)))
    event.add_component(alarm)
    return event


def _description(offer: Offer, store: Store, today: dt.date, lang: str) -> str:
    due = offer.next_due or today
    away = store.cadence.calendar.away_until(due) if offer.due_cause is DueCause.AWAY else None
    if due <= today:
        reason = due_reason(DueOffer(offer, store.cadence.overdue_days(due, today), away), today, lang)
    elif offer.due_kind is DueKind.AGREED and offer.due_cause is None:
        reason = outcome_label("follow_up", lang)
    else:
        reason = due_reason(DueOffer(offer, 0, away), today, lang)
    facts = [
        (_label("contact", lang), offer.contact),
        (_label("phone", lang), offer.phone),
        (_label("email", lang), offer.email),
        (_label("value", lang), format_money(offer.value_cents, offer.currency, lang)),
        (_TEXT.text(lang, "why"), reason),
        (
            _label("valid_until", lang),
            format_date_long(offer.valid_until, lang) if offer.valid_until else None,
        ),
        (_TEXT.text(lang, "sent"), format_date_long(offer.sent_on, lang)),
    ]
    lines = [f"{label}: {terminal_safe(value)}" for label, value in facts if value]
    lines.append(_TEXT.text(lang, "offer", id=offer.id))
    return "\n".join(lines)


def _label(field: str, lang: str) -> str:
    label = field_label(field, lang)
    return label[:1].upper() + label[1:]
