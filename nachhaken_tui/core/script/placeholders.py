"""Placeholders: an offer's facts by name, and their filling into a script's texts.

Placeholder values come from user data, so filling is one regex pass over the
template only: a client called "{contact}" or "{__class__}" stays literal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from nachhaken_tui.core.models import Offer
from nachhaken_tui.core.text.i18n import format_date_long, format_money, humanize_date
from nachhaken_tui.core.text.wording import offer_name

__all__ = ["placeholders_for"]

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")


def placeholders_for(offer: Offer, lang: str, today: dt.date) -> dict[str, str | None]:
    """The values of `PLACEHOLDERS` for one offer; None where the offer lacks the fact.

    Dates come twice: `sent_on` as a date ("Di 1. Dez 2026") and `sent_ago`
    relative to `today` ("vor 9 Tagen"), because a sentence reads better with
    one or the other. A first talk as long ago as the offer in words is
    "kurz vor dem Versand", so a sentence never says "vor 4 Wochen" twice.
    Without a contact person the client is named ("Müller Bau GmbH anzurufen"). `offer` is the offer as the client knows it: its number,
    if it has one, and its title in quotes ("2026-048 ‚Website-Relaunch‘").
    """
    sent_ago = humanize_date(offer.sent_on, today, lang)
    talk_ago = humanize_date(offer.first_talk_on, today, lang) if offer.first_talk_on else None
    if talk_ago == sent_ago:  # not "vor 4 Wochen … vor 4 Wochen" in one sentence
        talk_ago = _SHORTLY_BEFORE["de" if lang == "de" else "en"]
    return {
        "client": offer.client,
        "contact": offer.contact or offer.client,  # "Müller Bau GmbH anzurufen", not "deine Ansprechperson"
        "phone": offer.phone,
        "email": offer.email,
        "title": offer.title,
        "offer": offer_name(offer.title, offer.reference, lang, nested=True),
        "value": format_money(offer.value_cents, offer.currency, lang) or None,
        "sent_on": format_date_long(offer.sent_on, lang),
        "sent_ago": sent_ago,
        "first_talk_on": format_date_long(offer.first_talk_on, lang) if offer.first_talk_on else None,
        "first_talk_ago": talk_ago,
        "valid_until": format_date_long(offer.valid_until, lang) if offer.valid_until else None,
    }


_SHORTLY_BEFORE = {"de": "kurz vor dem Versand", "en": "shortly before"}
"""`first_talk_ago` when the talk and the offer are equally long ago in words."""


def _fill(template: str, values: Mapping[str, str]) -> str:
    """Substitute in one pass over the template; values are never scanned again."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return values[match.group(1)]

    return _TOKEN.sub(replace, template)
