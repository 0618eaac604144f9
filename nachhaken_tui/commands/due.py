"""`nachhaken due`: today's follow-ups, for a shell prompt, a cron mail or a script.

One line per due offer, most urgent first, with the reason worded like the
inbox's. Data from the database is shown literally but never steers the
terminal: control characters (C0, DEL, C1 such as ESC and the 8-bit CSI) and
bidi overrides become "�". Colour only on a terminal (and not with NO_COLOR).
`--json` gives the same list as data, the reason as `kind` + `overdue_days`,
and `cause` (`expired`, `expiring`, `away`, `client_away`) when the offer's
validity or an absence timed it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from functools import partial
from itertools import islice
from json.encoder import encode_basestring_ascii

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.models import DueOffer, Offer
from nachhaken_tui.core.text.i18n import Catalog, format_date_long
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import due_cause_text, due_reason, validity_text

__all__ = ["due"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Die heute fälligen Angebote, dringendste zuerst, je eine Zeile: Kunde, "
            "Ansprechpartner, Telefon, Titel, Grund.",
            "en": "Today's due offers, most urgent first, one line each: client, contact, "
            "phone, title, reason.",
        },
        "json": {
            "de": "Als JSON ausgeben (der Grund als kind und overdue_days).",
            "en": "Print JSON instead (the reason as kind and overdue_days).",
        },
        "heading": {"de": "Heute fällig ({date}): {n}", "en": "Due today ({date}): {n}"},
        "none_next": {
            "de": "Heute ist nichts fällig. Nächstes Nachfassen: {date} ({client}).",
            "en": "Nothing due today. Next follow-up: {date} ({client}).",
        },
        "none_at_all": {
            "de": "Heute ist nichts fällig, und kein offenes Angebot wartet.",
            "en": "Nothing due today, and no open offer is waiting.",
        },
    }
)
_help = partial(_TEXT.text, help_language())

_CHUNK = 1000
"""Offers read, worded and written at a time: the output streams, whatever the number due."""


@click.command("due", help=_help("help"))
@common_options
@click.option("--json", "as_json", is_flag=True, help=_help("json"))
@pass_app
def due(app: AppContext, as_json: bool) -> None:
    store = app.open_store(create=False)
    try:
        # One read transaction: the count in the heading is the number of lines below it.
        with store.snapshot():
            count = store.count_due(app.today)
            upcoming = store.next_upcoming(app.today)
            items = store.iter_due(app.today, chunk=_CHUNK)
            if as_json:
                _write_json(items, upcoming, app.today)
            else:
                _write_text(items, count, upcoming, app)
    finally:
        store.close()


def _write_text(items: Iterator[DueOffer], count: int, upcoming: Offer | None, app: AppContext) -> None:
    color = False if os.environ.get("NO_COLOR") else None
    if not count:
        if upcoming is None or upcoming.next_due is None:
            click.echo(_TEXT.text(app.lang, "none_at_all"))
        else:
            date = format_date_long(upcoming.next_due, app.lang)
            click.echo(_TEXT.text(app.lang, "none_next", date=date, client=terminal_safe(upcoming.client)))
        return
    heading = _TEXT.text(app.lang, "heading", date=format_date_long(app.today, app.lang), n=count)
    click.echo(click.style(heading, bold=True), color=color)
    while batch := list(islice(items, _CHUNK)):
        # One write per chunk: click styles, strips (not a terminal) and flushes as it would line by line.
        click.echo("".join(_line(item, app.today, app.lang) + "\n" for item in batch), nl=False, color=color)


def _line(item: DueOffer, today: dt.date, lang: str) -> str:
    offer = item.offer
    parts = [click.style(terminal_safe(offer.client), bold=True)]
    parts += [terminal_safe(part) for part in (offer.contact, offer.phone, offer.title) if part]
    words = due_reason(item, today, lang)
    if offer.valid_until is not None and due_cause_text(item, today, lang) is None:
        words += f" · {validity_text(offer.valid_until, lang)}"
    reason = click.style(words, fg="red" if item.overdue_days or offer.expired(today) else "yellow")
    return f"{' · '.join(parts)} — {reason}"


def _cause(item: DueOffer, today: dt.date) -> str | None:
    """`expired`, or what moved the date (`expiring`, `away`, `client_away`), or None."""
    if item.offer.expired(today):
        return "expired"
    return item.offer.due_cause.value if item.offer.due_cause else None


def _write_json(items: Iterator[DueOffer], upcoming: Offer | None, today: dt.date) -> None:
    """The document `json.dumps(..., indent=2)` would give for the whole list, written an offer at a time."""
    document = json.dumps(
        {
            "today": today.isoformat(),
            "due": [],
            "next_upcoming": None
            if upcoming is None
            else {
                "id": upcoming.id,
                "client": upcoming.client,
                "title": upcoming.title,
                "next_due": _iso(upcoming.next_due),
            },
        },
        indent=2,
    )
    head, tail = document.split('"due": []', 1)
    click.echo(head + '"due": [', nl=False)
    first = True
    while batch := list(islice(items, _CHUNK)):
        click.echo(("" if first else ",") + ",".join(_item_json(item, today) for item in batch), nl=False)
        first = False
    click.echo(("]" if first else "\n  ]") + tail)


def _item_json(item: DueOffer, today: dt.date) -> str:
    """One due offer as its part of the document, indented as `json.dumps(indent=2)` indents it there."""
    offer = item.offer
    return _ITEM.format(
        *map(
            _json,
            (
                offer.id,
                offer.client,
                offer.contact,
                offer.phone,
                offer.email,
                offer.title,
                offer.value_cents,
                offer.currency,
                offer.sent_on.isoformat(),
                _iso(offer.next_due),
                offer.attempts,
                _iso(offer.valid_until),
                item.kind.value,
                item.overdue_days,
                _cause(item, today),
                _iso(item.away_until),
            ),
        )
    )


_ITEM = (
    "\n    {{"
    + ",".join(
        f'\n      "{key}": {{}}'
        for key in (
            "id client contact phone email title value_cents currency sent_on next_due attempts valid_until".split()
        )
    )
    + ',\n      "reason": {{'
    + ",".join(f'\n        "{key}": {{}}' for key in ("kind", "overdue_days", "cause", "away_until"))
    + "\n      }}\n    }}"
)
"""An item of the `due` array, with a `{}` for each value in order."""


def _json(value: str | int | None) -> str:
    """One value as `json.dumps` writes it (ASCII only, like the whole document)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    return int.__repr__(value)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
