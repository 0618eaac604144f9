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
import sqlite3
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, TextIO

from icalendar import Alarm, Calendar, Event, Parameters, vText
from icalendar.caselessdict import canonsort_keys
from icalendar.parser import Contentline

from nachhaken_tui.core.input.fields import field_label
from nachhaken_tui.core.models import DueCause, DueKind, DueOffer, Offer
from nachhaken_tui.core.text.i18n import Catalog, format_date_long, format_money
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import due_reason, outcome_label, status_label

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = ["ALARM_AT", "CANCELLED_FOR_DAYS", "event_uid", "write_calendar"]

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


def write_calendar(
    store: Store, out: TextIO, today: dt.date, lang: str, now: dt.datetime | None = None
) -> int:
    """Write a calendar with one all-day event per open offer, in next-follow-up order; returns the events.

    The events go out one at a time, read from one consistent state of the
    file, so 100,000 open offers never sit in memory as one calendar.

    Args:
        now: the export time (DTSTAMP); the current time by default.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    header = Calendar()
    header.add("prodid", "-//nachhaken//nachhaken//EN")
    header.add("version", "2.0")
    header.add("calscale", "GREGORIAN")
    header.add("x-wr-calname", _TEXT.text(lang, "calendar_name"))
    begin, end = header.to_ical().decode("utf-8").split(_END_CALENDAR)
    out.write(begin)
    events = 0
    since = (today - dt.timedelta(days=CANCELLED_FOR_DAYS)).isoformat()
    with store.snapshot() as conn:
        rows = conn.execute("SELECT * FROM offers WHERE status = 'open' ORDER BY next_due, id")
        for offer in _offers(rows):
            out.write(_event(offer, store, today, lang, stamp))
            events += 1
        closed = conn.execute(
            "SELECT * FROM offers WHERE status != 'open' AND closed_at >= ? ORDER BY closed_at, id", [since]
        )
        for offer in _offers(closed):
            out.write(_cancelled(offer, lang, stamp))
            events += 1
    out.write(_END_CALENDAR + end)
    return events


_END_CALENDAR = "END:VCALENDAR\r\n"


def _offers(cursor: sqlite3.Cursor) -> Iterator[Offer]:
    """The offers of a `SELECT * FROM offers` cursor, one at a time."""
    keys = [column[0] for column in cursor.description]
    for row in cursor:
        yield Offer.from_row(dict(zip(keys, row, strict=True)))


# An event's lines are written as icalendar writes them: each value is typed,
# escaped and folded by icalendar, and the lines come in the order icalendar
# sorts a component's properties (`canonsort_keys`). An `Event` built per
# offer with `add()`, all in one `Calendar`, cost about 750 µs and 13 KB an
# offer; lines whose value repeats (days, stamps, the trigger) are encoded once.


def _line(name: str, value: object) -> str:
    """One property as a folded content line, the value typed as `Component.add` types it."""
    prop = Event.types_factory.for_property(name)(value)
    return _written(Contentline.from_parts(name, prop.params, prop))


def _text_line(name: str, value: str) -> str:
    """A TEXT property (UID, SUMMARY, DESCRIPTION): escaped and folded by icalendar."""
    return _written(Contentline.from_parts(name, _NO_PARAMETERS, vText(value)))


def _written(line: Contentline) -> str:
    """A content line as icalendar writes it: folded, with its line break."""
    return str(line.to_ical(), "utf-8") + "\r\n"  # type: ignore[no-untyped-call]  # icalendar leaves it untyped


_NO_PARAMETERS = Parameters()
_repeating_line = lru_cache(maxsize=4096)(_line)
"""Days, stamps and constant values recur from event to event: each encoded once."""


@lru_cache(maxsize=16)
def _order(names: tuple[str, ...], kind: type[Event] | type[Alarm]) -> list[str]:
    """The order icalendar writes these properties of a component in."""
    return canonsort_keys(names, kind.canonical_order)


@lru_cache(maxsize=1)
def _trigger_line() -> str:
    """The alarm's trigger, at `ALARM_AT` from the start of the day."""
    alarm = Alarm()
    alarm.add("trigger", ALARM_AT, parameters={"RELATED": "START"})
    return _written(alarm.content_line("TRIGGER", alarm["TRIGGER"]))


def _component(kind: type[Event] | type[Alarm], lines: dict[str, str], inner: str = "") -> str:
    """BEGIN, the property lines in icalendar's order, the subcomponents, END."""
    name = kind.name
    body = "".join(lines[key] for key in _order(tuple(lines), kind))
    return f"BEGIN:{name}\r\n{body}{inner}END:{name}\r\n"


def _cancelled(offer: Offer, lang: str, stamp: dt.datetime) -> str:
    """The event of an offer that no longer needs a call, marked cancelled."""
    closed = dt.datetime.fromisoformat(offer.closed_at).date() if offer.closed_at else stamp.date()
    lines = _common(offer, lang, stamp, closed)
    lines["STATUS"] = _repeating_line("STATUS", "CANCELLED")
    text = _TEXT.text(
        lang,
        "closed",
        status=status_label(offer.status.value, lang).capitalize(),
        date=format_date_long(closed, lang),
    )
    lines["DESCRIPTION"] = _text_line("DESCRIPTION", text)
    return _component(Event, lines)


def _common(offer: Offer, lang: str, stamp: dt.datetime, day: dt.date) -> dict[str, str]:
    """What every event of an offer has: identity, version, day and summary."""
    lines = {
        "UID": _text_line("UID", event_uid(offer.id)),
        "DTSTAMP": _repeating_line("DTSTAMP", stamp),
    }
    if offer.updated_at:
        changed = dt.datetime.fromisoformat(offer.updated_at).astimezone(dt.UTC)
        lines["LAST-MODIFIED"] = _repeating_line("LAST-MODIFIED", changed)
        lines["SEQUENCE"] = _repeating_line("SEQUENCE", int(changed.timestamp()))
    lines["DTSTART"] = _repeating_line("DTSTART", day)
    lines["DTEND"] = _repeating_line("DTEND", day + dt.timedelta(days=1))
    lines["TRANSP"] = _repeating_line("TRANSP", "TRANSPARENT")
    summary = _TEXT.text(
        lang, "summary", client=terminal_safe(offer.client), title=terminal_safe(offer.title)
    )
    lines["SUMMARY"] = _text_line("SUMMARY", summary)
    return lines


def _event(offer: Offer, store: Store, today: dt.date, lang: str, stamp: dt.datetime) -> str:
    lines = _common(offer, lang, stamp, max(offer.next_due or today, today))
    lines["DESCRIPTION"] = _text_line("DESCRIPTION", _description(offer, store, today, lang))
    alarm = {
        "ACTION": _repeating_line("ACTION", "DISPLAY"),
        "TRIGGER": _trigger_line(),
        "DESCRIPTION": _text_line(
            "DESCRIPTION", _TEXT.text(lang, "alarm", client=terminal_safe(offer.client))
        ),
    }
    return _component(Event, lines, _component(Alarm, alarm))


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
