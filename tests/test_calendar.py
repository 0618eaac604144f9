"""`nachhaken calendar`: the ICS a calendar program imports, read back with icalendar."""

from __future__ import annotations

import datetime as dt
import io
import stat

from click.testing import CliRunner
from conftest import TODAY
from icalendar import Calendar

from nachhaken_tui.cli import cli
from nachhaken_tui.core.exchange.ics import write_calendar
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached

D = dt.date


def _fill(store):
    # sent Mon 16 Nov -> due Thu 19 Nov: overdue, so the event is on today
    store.add_offer(
        OfferDraft(
            client="Müller Bau",
            title="Website-Relaunch",
            sent_on=D(2026, 11, 16),
            contact="Sabine Müller",
            phone="+49 30 23125 014",
            value_cents=480_000,
        )
    )
    # a call-back agreed for Tue 1 Dec
    northwind = store.add_offer(
        OfferDraft(
            client="Northwind\x1b[2J",
            title="Workshop",
            sent_on=D(2026, 11, 20),
            currency="GBP",
            value_cents=120_000,
        )
    )
    store.record_call(
        northwind,
        CallDraft(outcome=Outcome.FOLLOW_UP, reached=Reached.YES, next_due=D(2026, 12, 1)),
        today=TODAY,
    )
    won = store.add_offer(OfferDraft(client="Closed", title="Won", sent_on=D(2026, 11, 20)))
    store.record_call(won, CallDraft(outcome=Outcome.WON, reached=Reached.YES), today=TODAY)
    return store


def _calendar(store, today: dt.date, lang: str) -> Calendar:
    """The calendar file `write_calendar` streams, read back by icalendar."""
    out = io.StringIO()
    write_calendar(store, out, today, lang)
    return Calendar.from_ical(out.getvalue())


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_one_all_day_event_per_open_offer_with_phone_reason_and_alarm(store):
    events = _events(_calendar(_fill(store), TODAY, "en"))
    active = {uid for uid, event in events.items() if "status" not in event}
    assert active == {"offer-1@nachhaken", "offer-2@nachhaken"}  # the won offer has no next call
    mueller = events["offer-1@nachhaken"]
    assert str(mueller["summary"]) == "Follow up: Müller Bau — Website-Relaunch"
    assert mueller.decoded("dtstart") == TODAY  # overdue since Thu 19 Nov: put on today
    assert mueller.decoded("dtend") == TODAY + dt.timedelta(days=1)
    description = str(mueller["description"])
    assert "Contact: Sabine Müller" in description
    assert "Phone: +49 30 23125 014" in description
    assert "Why: overdue 5 business days · first follow-up" in description
    assert "Value: €4,800" in description
    [alarm] = mueller.walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(hours=9)
    assert str(alarm["action"]) == "DISPLAY"


def test_an_agreed_call_back_is_on_its_day_and_control_characters_are_gone(store):
    events = _events(_calendar(_fill(store), TODAY, "en"))
    northwind = events["offer-2@nachhaken"]
    assert northwind.decoded("dtstart") == D(2026, 12, 1)
    assert "Why: follow-up agreed" in str(northwind["description"])
    assert str(northwind["summary"]) == "Follow up: Northwind\ufffd[2J — Workshop"


def test_german_summary_says_nachhaken(store):
    events = _events(_calendar(_fill(store), TODAY, "de"))
    assert str(events["offer-1@nachhaken"]["summary"]) == "Nachhaken: Müller Bau — Website-Relaunch"
    assert "Telefon: +49 30 23125 014" in str(events["offer-1@nachhaken"]["description"])


def test_a_later_export_keeps_the_uids_so_a_reimport_updates(store):
    _fill(store)
    first = _events(_calendar(store, TODAY, "en"))
    store.record_call(1, CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER), today=TODAY)
    later = _events(_calendar(store, TODAY + dt.timedelta(days=1), "en"))
    assert set(first) == set(later)
    assert later["offer-1@nachhaken"].decoded("dtstart") == D(2026, 11, 30)  # retry 2 business days on


def test_the_command_writes_a_private_file_and_says_so(store, db_path, tmp_path):
    _fill(store)
    out = tmp_path / "follow-ups.ics"
    result = CliRunner().invoke(
        cli,
        ["calendar", "--db", str(db_path), "--out", str(out), "--lang", "en", "--today", TODAY.isoformat()],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote the calendar to {out} (events: 3).\n"  # two calls, one cancelled
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert len(Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == 3


def test_the_command_prints_to_standard_output(store, db_path):
    _fill(store)
    result = CliRunner().invoke(cli, ["calendar", "--db", str(db_path), "--today", TODAY.isoformat()])
    assert result.exit_code == 0
    assert "UID:offer-2@nachhaken" in result.stdout


def test_an_unwritable_target_is_one_line(store, db_path, tmp_path):
    result = CliRunner().invoke(
        cli, ["calendar", "--db", str(db_path), "--out", str(tmp_path / "no" / "x.ics")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'no' / 'x.ics'} cannot be written:")


def test_an_offer_closed_lately_is_a_cancelled_event_so_an_imported_reminder_goes(store):
    _fill(store)
    before = _events(_calendar(store, TODAY, "en"))
    assert "status" not in before["offer-1@nachhaken"]
    store.record_call(1, CallDraft(outcome=Outcome.WON, reached=Reached.YES), today=TODAY)
    later = _events(_calendar(store, TODAY, "en"))
    mueller = later["offer-1@nachhaken"]  # the same UID: the reminder is replaced
    assert str(mueller["status"]) == "CANCELLED"
    assert str(mueller["description"]).startswith("Won on ")
    assert not mueller.walk("VALARM")
    assert int(mueller["sequence"]) >= int(before["offer-1@nachhaken"]["sequence"])
    store.db.execute("UPDATE offers SET closed_at = '2026-08-01T10:00:00+02:00' WHERE id = 1")
    assert "offer-1@nachhaken" not in _events(_calendar(store, TODAY, "en"))  # long closed: left out


def test_icalendar_reads_the_streamed_file_and_writes_it_back_byte_for_byte(store):
    # long lines with multi-byte characters and escapes, folded where icalendar folds them
    store.add_offer(
        OfferDraft(
            client="Ärztehaus; Süd, \\ Nord " * 4,
            title="Übersetzung — ein sehr langer Titel, der gefaltet werden muss " * 2,
            sent_on=D(2026, 11, 2),
            contact="Zoë Ünal",
            notes="x",
        )
    )
    _fill(store)
    out = io.StringIO()
    write_calendar(store, out, TODAY, "de", now=dt.datetime(2026, 11, 26, 7, 30, tzinfo=dt.UTC))
    text = out.getvalue().encode("utf-8")
    assert Calendar.from_ical(text).to_ical() == text


class _Writes(io.StringIO):
    """Counts the writes, to show the calendar goes out an event at a time."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_the_calendar_is_streamed_one_event_at_a_time(store):
    _fill(store)
    out = _Writes()
    events = write_calendar(store, out, TODAY, "en")
    assert events == 3
    assert out.writes == events + 2  # the header, each event, the end
