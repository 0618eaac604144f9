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
from typing import TYPE_CHECKING

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.models import DueOffer, Offer
from nachhaken_tui.core.text.i18n import Catalog, format_date_long
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import due_cause_text, due_reason, validity_text

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

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

_PAGE = 1000


@click.command("due", help=_help("help"))
@common_options
@click.option("--json", "as_json", is_flag=True, help=_help("json"))
@pass_app
def due(app: AppContext, as_json: bool) -> None:
    store = app.open_store(create=False)
    try:
        items = list(_all_due(store, app.today))
        upcoming = store.next_upcoming(app.today)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(_as_data(items, upcoming, app.today), indent=2))
        return
    color = False if os.environ.get("NO_COLOR") else None
    if not items:
        if upcoming is None or upcoming.next_due is None:
            click.echo(_TEXT.text(app.lang, "none_at_all"))
        else:
            date = format_date_long(upcoming.next_due, app.lang)
            click.echo(_TEXT.text(app.lang, "none_next", date=date, client=terminal_safe(upcoming.client)))
        return
    heading = _TEXT.text(app.lang, "heading", date=format_date_long(app.today, app.lang), n=len(items))
    click.echo(click.style(heading, bold=True), color=color)
    for item in items:
        click.echo(_line(item, app.today, app.lang), color=color)


def _all_due(store: Store, today: dt.date) -> Iterator[DueOffer]:
    offset = 0
    while True:
        page = store.due_page(today, limit=_PAGE, offset=offset)
        yield from page
        if len(page) < _PAGE:
            return
        offset += _PAGE


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


def _as_data(items: list[DueOffer], upcoming: Offer | None, today: dt.date) -> dict:
    return {
        "today": today.isoformat(),
        "due": [
            {
                "id": item.offer.id,
                "client": item.offer.client,
                "contact": item.offer.contact,
                "phone": item.offer.phone,
                "email": item.offer.email,
                "title": item.offer.title,
                "value_cents": item.offer.value_cents,
                "currency": item.offer.currency,
                "sent_on": item.offer.sent_on.isoformat(),
                "next_due": _iso(item.offer.next_due),
                "attempts": item.offer.attempts,
                "valid_until": item.offer.valid_until.isoformat() if item.offer.valid_until else None,
                "reason": {
                    "kind": item.kind.value,
                    "overdue_days": item.overdue_days,
                    "cause": _cause(item, today),
                    "away_until": item.away_until.isoformat() if item.away_until else None,
                },
            }
            for item in items
        ],
        "next_upcoming": None
        if upcoming is None
        else {
            "id": upcoming.id,
            "client": upcoming.client,
            "title": upcoming.title,
            "next_due": _iso(upcoming.next_due),
        },
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
