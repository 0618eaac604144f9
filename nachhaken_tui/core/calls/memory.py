"""Memory between calls: what the tenth call knows about the nine before it.

No Textual here. From an offer and its calls this works out:

- the *situation* a call starts in (`situation_of`), the context fact the
  call script's `when` conditions read, so the opener fits: a first call, an
  agreed call-back, a call after a revised offer, or after unanswered tries;
- the script's placeholders that come from that memory and from the user's
  own details (`memory_placeholders`): how to greet the contact, the user's
  name and number, the day to suggest, when the revised offer went out;
- the last call at a glance for the offer card (`last_call_glance`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nachhaken_tui.core.config import Profile
from nachhaken_tui.core.models import Answer, Offer, Outcome
from nachhaken_tui.core.schedule.cadence import Cadence
from nachhaken_tui.core.text.i18n import format_date

__all__ = ["LastCall", "greeting", "last_call_glance", "memory_placeholders", "situation_of", "spoken_day"]

_WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_AGREED_ON = {"de": ("heute", "am {date}"), "en": ("today", "on {date}")}
_MATTERS = ("questions", "adapt", "wrap_up", "wrong_number", "voicemail", "snooze", "loss_other")
"""Script steps whose answers the card shows from the last call (besides its date)."""


@dataclass(frozen=True, slots=True)
class LastCall:
    """The last call as the card shows it: when, how it ended, and what matters from it."""

    ended_on: dt.date
    outcome: str
    agreed: dt.date | None
    answers: tuple[Answer, ...]


def spoken_day(day: dt.date, lang: str) -> str:
    """A day as said on the phone: "Thursday, 3 Dec" / "Donnerstag, 3. Dez"."""
    names = _WEEKDAYS.get(lang, _WEEKDAYS["en"])
    short = format_date(day, lang)  # "Do 3. Dez" / "Thu 3 Dec"
    return f"{names[day.weekday()]}, {short.split(' ', 1)[1]}"


_FORMAL = ("frau", "herr", "dr", "prof", "mr", "ms", "mrs", "mx", "miss", "sir", "madam", "dear")
"""First words of a salutation that make it formal ("Frau Brenner"), unlike a first name ("Katrin")."""
_GREETINGS = {"de": ("Guten Tag {name}", "Hallo {name}"), "en": ("Hello {name}", "Hi {name}")}


def greeting(salutation: str | None, lang: str) -> str | None:
    """ "Guten Tag Frau Brenner" / "Hallo Katrin" (en: "Hello Ms Brenner" / "Hi Katrin"); None without one.

    A salutation is formal when it starts with a title (Frau, Herr, Dr., Ms …),
    else it is a first name and gets the informal greeting.
    """
    name = " ".join((salutation or "").split())
    if not name:
        return None
    formal, informal = _GREETINGS.get(lang, _GREETINGS["en"])
    first = name.split(" ", 1)[0].rstrip(".").casefold()
    return (formal if first in _FORMAL else informal).format(name=name)


def _real_calls(history: list[tuple[dict, list[Answer]]]) -> list[tuple[dict, list[Answer]]]:
    """Calls that dialled (newest first): a snooze or a close-the-loop e-mail only moved a date."""
    return [(call, answers) for call, answers in history if call["outcome"] != Outcome.SNOOZED.value]


def situation_of(offer: Offer, history: list[tuple[dict, list[Answer]]]) -> str:
    """The `situation` fact for the next call about `offer` (see `core.script.model.FACTS`).

    Args:
        offer: the offer about to be called.
        history: its calls, newest first, as `Store.history` gives them.
    """
    if offer.revised_sent_on is not None:
        return "revised"
    calls = _real_calls(history)
    if offer.reopened_at is not None or not calls:
        return "first"
    outcome = Outcome(calls[0][0]["outcome"])
    if outcome is Outcome.FOLLOW_UP:
        return "agreed"
    if outcome.is_unanswered:
        return "unanswered"
    return "first"


def memory_placeholders(
    offer: Offer,
    history: list[tuple[dict, list[Answer]]],
    profile: Profile,
    cadence: Cadence,
    lang: str,
    today: dt.date,
) -> dict[str, str | None]:
    """Script placeholders from the user's profile and the offer's past calls; None where unknown.

    `agreed_on` is when the call was agreed for, as said in a sentence
    ("today", or "on Thu 26 Nov" when the day has passed).
    `suggested_day` is the day the script proposes for the next step ("Would
    Thursday, 3 Dec suit you?"): the next business day the cadence would pick
    after an unanswered attempt today.
    """
    unanswered = [call for call, _ in _real_calls(history) if Outcome(call["outcome"]).is_unanswered]
    last_attempt = dt.date.fromisoformat(unanswered[0]["ended_at"][:10]) if unanswered else None
    on_today, on_day = _AGREED_ON.get(lang, _AGREED_ON["en"])
    agreed_on = None
    if offer.next_due is not None:
        agreed_on = (
            on_today if offer.next_due == today else on_day.format(date=format_date(offer.next_due, lang))
        )
    return {
        "agreed_on": agreed_on,
        "greeting": greeting(offer.salutation, lang),
        "my_name": profile.name or None,
        "my_phone": profile.phone or None,
        "suggested_day": spoken_day(cadence.calendar.add_business_days(today, cadence.retry_days), lang),
        "revised_sent_on": format_date(offer.revised_sent_on, lang) if offer.revised_sent_on else None,
        "last_attempt_on": format_date(last_attempt, lang) if last_attempt else None,
    }


def last_call_glance(history: list[tuple[dict, list[Answer]]]) -> LastCall | None:
    """The newest call with the answers that matter for the next one, or None without calls."""
    if not history:
        return None
    call, answers = history[0]
    agreed = call["next_due"] if call["outcome"] in ("follow_up", "revise", "snoozed") else None
    return LastCall(
        ended_on=dt.date.fromisoformat(call["ended_at"][:10]),
        outcome=call["outcome"],
        agreed=dt.date.fromisoformat(agreed) if agreed else None,
        answers=tuple(answer for answer in answers if answer.step in _MATTERS and answer.answer),
    )
