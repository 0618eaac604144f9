"""The peer of `nachhaken due` (issue 14): a plain Python sqlite3 script printing the same lines.

    python tests/benchmarks/due_peer.py DATABASE TODAY

One SELECT in the inbox's order (a date on a weekend ranks as the Friday
before it), then the heading and one line per due offer, as `nachhaken due
--lang en` prints them to a pipe: client · contact · phone · title — reason.
Simplified, as a 20-line script would be: business days skip weekends but
not public holidays, and no reason needs more than the offer's own row (the
generated data has no absences, validities or revised offers).
"""

import datetime as dt
import sqlite3
import sys

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ORDER = "CASE strftime('%w', next_due) WHEN '6' THEN date(next_due, '-1 day') WHEN '0' THEN date(next_due, '-2 days') ELSE next_due END"


def business_days(start: dt.date, end: dt.date) -> int:
    """Weekdays after `start` up to and including `end`."""
    weeks, rest = divmod(max((end - start).days, 0), 7)
    return weeks * 5 + sum((start.weekday() + day) % 7 < 5 for day in range(1, rest + 1))


def main(path: str, today: dt.date) -> None:
    rows = (
        sqlite3.connect(path)
        .execute(
            "SELECT client, contact, phone, title, next_due, due_kind, attempts FROM offers"
            f" WHERE status = 'open' AND next_due <= ? ORDER BY {ORDER}, value_cents DESC NULLS LAST, attempts, sent_on, id",
            [today.isoformat()],
        )
        .fetchall()
    )
    print(
        f"Due today ({WEEKDAYS[today.weekday()]} {today.day} {MONTHS[today.month - 1]} {today.year}): {len(rows)}"
    )
    for client, contact, phone, title, next_due, kind, attempts in rows:
        due = dt.date.fromisoformat(next_due)
        late = business_days(due, today)
        if kind == "agreed":
            reason = (
                f"call-back agreed: {WEEKDAYS[due.weekday()]} {due.day} {MONTHS[due.month - 1]}"
                if late
                else "call-back agreed for today"
            )
        else:
            reason = f"try again after {attempts} unanswered" if kind == "retry" else "first follow-up"
        if late:
            reason = f"overdue {late} business day{'s' if late > 1 else ''} · {reason}"
        print(f"{' · '.join(part for part in (client, contact, phone, title) if part)} — {reason}")


if __name__ == "__main__":
    main(sys.argv[1], dt.date.fromisoformat(sys.argv[2]))
