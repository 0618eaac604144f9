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
import sys
from functools import partial
from json.encoder import encode_basestring_ascii
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

_CHUNK = 1000
"""Offers read, worded and written at a time: the output streams, whatever the number due."""

_WHY = ("attempts", "next_due", "due_kind", "valid_until", "due_cause")
_WHY_MORE = ("revise_by", "phone_wrong", "reopened_at", "revised_sent_on")
_OFFER = ("id", "sent_on", "status")
_TEXT_COLUMNS = ("client", "contact", "phone", "title", *_WHY, *_WHY_MORE, *_OFFER)
"""What a line shows (client to title), then every column its reason is worded from, then the
rest an `Offer` needs: offers with the same reason columns have the same reason."""
_WHY_COLUMNS = slice(4, 4 + len(_WHY) + len(_WHY_MORE))
_JSON_COLUMNS = ("client", "contact", "phone", "email", "title", "value_cents", "currency", *_WHY, *_OFFER)


@click.command("due", help=_help("help"))
@common_options
@click.option("--json", "as_json", is_flag=True, help=_help("json"))
@pass_app
def due(app: AppContext, as_json: bool) -> None:
    store = app.open_store(create=False)
    try:
        # One read transaction: the count in the heading is the number of lines below it.
        with store.snapshot():
            upcoming = store.next_upcoming(app.today)
            if as_json:
                _write_json(store, upcoming, app.today)
            else:
                _write_text(store, upcoming, app)
    finally:
        store.close()


def _write_text(store: Store, upcoming: Offer | None, app: AppContext) -> None:
    color = False if os.environ.get("NO_COLOR") else None
    count = store.count_due(app.today)
    if not count:
        if upcoming is None or upcoming.next_due is None:
            click.echo(_TEXT.text(app.lang, "none_at_all"))
        else:
            date = format_date_long(upcoming.next_due, app.lang)
            click.echo(_TEXT.text(app.lang, "none_next", date=date, client=terminal_safe(upcoming.client)))
        return
    heading = _TEXT.text(app.lang, "heading", date=format_date_long(app.today, app.lang), n=count)
    click.echo(click.style(heading, bold=True), color=color)
    styled = _shows_styles(color)
    bold, red, yellow = (_styles(fg=None), _styles(fg="red"), _styles(fg="yellow")) if styled else _UNSTYLED
    due_offer = store.due_offers(app.today)
    reasons: dict[tuple, str] = {}

    def reason_of(row: tuple) -> str:
        """The reason part of a line, for all offers with the same reason columns as `row`."""
        words, urgent = _reason(due_offer(dict(zip(_TEXT_COLUMNS, row, strict=True))), app.today, app.lang)
        on, off = red if urgent else yellow
        reason = reasons[row[_WHY_COLUMNS]] = f" — {on}{words}{off}\n"
        return reason

    start, end = bold
    for rows in store.due_rows(app.today, _TEXT_COLUMNS, chunk=_CHUNK):
        lines = []
        for row in rows:
            reason = reasons.get(row[_WHY_COLUMNS]) or reason_of(row)
            # terminal_safe works character by character, and " · " is safe: one call for several fields
            if not styled:
                lines.append(terminal_safe(" · ".join(filter(None, row[:4]))) + reason)
                continue
            rest = terminal_safe(" · ".join(filter(None, row[1:4])))
            client = terminal_safe(row[0])
            lines.append(
                f"{start}{client}{end} · {rest}{reason}" if rest else f"{start}{client}{end}{reason}"
            )
        # One write per chunk, styled only where click.echo would show styles: nothing left to strip.
        click.echo("".join(lines), nl=False, color=True)


def _reason(item: DueOffer, today: dt.date, lang: str) -> tuple[str, bool]:
    """Why `item` is due, in words, and whether that is urgent (overdue or expired: red, else yellow)."""
    words = due_reason(item, today, lang)
    if item.offer.valid_until is not None and due_cause_text(item, today, lang) is None:
        words += f" · {validity_text(item.offer.valid_until, lang)}"
    return words, bool(item.overdue_days or item.offer.expired(today))


_UNSTYLED = (("", ""),) * 3


def _styles(*, fg: str | None) -> tuple[str, str]:
    """What `click.style` puts before and after a text: bold for the client, a colour for the reason."""
    before, after = click.style("\0", bold=True if fg is None else None, fg=fg).split("\0")
    return before, after


def _shows_styles(color: bool | None) -> bool:
    """Whether `click.echo(..., color=color)` keeps styles on stdout: when forced, else on a terminal.

    Asked of click itself, at the time of the call (its test runner replaces the answer).
    """
    strip = click.utils.should_strip_ansi  # type: ignore[attr-defined]  # click.echo's own, from click.utils
    return not strip(sys.stdout, click.globals.resolve_color_default(color))


def _write_json(store: Store, upcoming: Offer | None, today: dt.date) -> None:
    """The document `json.dumps(..., indent=2)` would give for the whole list, written a chunk at a time."""
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
    reasons: dict[tuple, tuple[str, ...]] = {}
    due_offer = store.due_offers(today)
    days: dict[str, str] = {}
    first = True
    why = slice(7, 7 + len(_WHY))
    for rows in store.due_rows(today, _JSON_COLUMNS, chunk=_CHUNK):
        items = []
        for row in rows:
            key = row[why]
            if (reason := reasons.get(key)) is None:
                item = due_offer(dict(zip(_JSON_COLUMNS, row, strict=True)))
                reason = reasons[key] = tuple(
                    map(
                        _json,
                        (
                            _iso(item.offer.next_due),
                            item.offer.attempts,
                            _iso(item.offer.valid_until),
                            item.kind.value,
                            item.overdue_days,
                            _cause(item, today),
                            _iso(item.away_until),
                        ),
                    )
                )
            client, contact, phone, email, title, value_cents, currency, *_, offer_id, sent_on, _status = row
            if (sent := days.get(sent_on)) is None:
                sent = days[sent_on] = _json(dt.date.fromisoformat(sent_on).isoformat())
            items.append(
                _ITEM.format(
                    offer_id,
                    *map(_json, (client, contact, phone, email, title, value_cents, currency or "EUR")),
                    sent,
                    *reason,
                )
            )
        click.echo(("" if first else ",") + ",".join(items), nl=False)
        first = False
    click.echo(("]" if first else "\n  ]") + tail)


def _cause(item: DueOffer, today: dt.date) -> str | None:
    """`expired`, or what moved the date (`expiring`, `away`, `client_away`), or None."""
    if item.offer.expired(today):
        return "expired"
    return item.offer.due_cause.value if item.offer.due_cause else None


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
"""An item of the `due` array, with a `{}` for each value in order, indented as `json.dumps(indent=2)` does."""


def _json(value: str | int | None) -> str:
    """One value as `json.dumps` writes it (ASCII only, like the whole document)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    return int.__repr__(value)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
