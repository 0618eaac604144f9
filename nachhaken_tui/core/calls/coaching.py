"""Coaching that fades as courage grows, and the user's own record at the moment of fear.

The call script's coaching (name the fear, read the reframe, rate the
hesitation) is scaffolding. Once the user's own ratings say they are calm it
shrinks to one step before the call and one after; it comes back by itself
when a high hesitation is given or after a pause. Which mode a call gets is
decided here and handed to the script as the `coaching` fact.

At the moment of fear, the reframe shows the user's record for that fear,
counted from their own calls only: "Before 9 calls you feared a “no”. It came
once; 6 of those calls ended with a date or a yes." Below `MIN_RECORD` calls
it says that the numbers will appear; it never shows a number from elsewhere.

Definitions:

- A *rated* call has a hesitation before or after it (1–5); its hesitation is
  the higher of the two, so a 4 after a calm start counts as a 4.
- *Fading*: the last `fade_after` rated calls all had a hesitation of 2 or
  less, and the last call is no more than `pause_days` days ago. A 4 or 5
  therefore brings the full coaching back on the next call.
- A fear's *record* counts the calls where the user named that fear and then
  said whether it happened.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from nachhaken_tui.core.config import Config
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = [
    "CALM",
    "MIN_RECORD",
    "coaching_context",
    "coaching_mode",
    "fear_records",
    "is_if_then",
    "if_then_rewrite",
]

CALM = 2
"""The highest hesitation that still counts as calm for fading."""
MIN_RECORD = 3
"""Calls with a fear (and its outcome) before its record is shown in numbers."""

WORDS = Catalog(
    {
        "record_needy": {
            "de": "Vor {calls} hast du befürchtet, bedürftig zu wirken. {happened}; {good}.",
            "en": "Before {calls} you feared looking needy. {happened}; {good}.",
        },
        "record_pushy": {
            "de": "Vor {calls} hast du befürchtet, aufdringlich zu wirken. {happened}; {good}.",
            "en": "Before {calls} you feared coming across as pushy. {happened}; {good}.",
        },
        "record_no": {
            "de": "Vor {calls} hast du ein „Nein“ befürchtet. {happened}; {good}.",
            "en": "Before {calls} you feared a “no”. {happened}; {good}.",
        },
        "record_other": {
            "de": "Vor {calls} hattest du diese Befürchtung. {happened}; {good}.",
            "en": "Before {calls} you had this worry. {happened}; {good}.",
        },
        "calls_1": {"de": "1 Anruf", "en": "1 call"},
        "calls_n": {"de": "{n} Anrufen", "en": "{n} calls"},
        "happened_0": {"de": "Eingetreten ist es nie", "en": "It never came"},
        "happened_1": {"de": "Eingetreten ist es einmal", "en": "It came once"},
        "happened_n": {"de": "Eingetreten ist es {n}-mal", "en": "It came {n} times"},
        "good_0": {
            "de": "keiner dieser Anrufe endete mit einem Termin oder einem Ja",
            "en": "none of those calls ended with a date or a yes",
        },
        "good_1": {
            "de": "1 dieser Anrufe endete mit einem Termin oder einem Ja",
            "en": "1 of those calls ended with a date or a yes",
        },
        "good_n": {
            "de": "{n} dieser Anrufe endeten mit einem Termin oder einem Ja",
            "en": "{n} of those calls ended with a date or a yes",
        },
        "too_few_n": {
            "de": "Deine eigenen Zahlen zu dieser Befürchtung erscheinen hier nach ein paar Anrufen "
            "(bisher {n} von {min}).",
            "en": "Your own numbers for this worry appear here after a few calls ({n} of {min} so far).",
        },
        "if_then_start": {"de": "Wenn der Block beginnt, ", "en": "When the block starts, I "},
    }
)

_IF_THEN = {
    "en": re.compile(
        r"^\s*(when|whenever|if|as soon as|once)\b[^,]+,\s*(then\s+)?I\b\S*\s+\S", re.IGNORECASE
    ),
    "de": re.compile(r"^\s*(wenn|sobald|falls)\b[^,]+,\s*(dann\s+)?\S+", re.IGNORECASE),
}


def coaching_mode(store: Store, config: Config, today: dt.date) -> str:
    """ "full" or "faded" for the next call, by the config and the user's own ratings."""
    if config.coaching in ("full", "faded"):
        return config.coaching
    [last] = store.read("SELECT max(ended_at) AS at FROM calls WHERE outcome != 'snoozed'")
    if last["at"] is None:
        return "full"
    if (today - dt.date.fromisoformat(last["at"][:10])).days > config.coaching_pause_days:
        return "full"
    rows = store.read(
        """
        SELECT max(coalesce(hesitation_before, 0), coalesce(hesitation_after, 0)) AS hesitation
        FROM calls WHERE hesitation_before IS NOT NULL OR hesitation_after IS NOT NULL
        ORDER BY ended_at DESC, id DESC LIMIT ?
        """,
        [config.coaching_fade_after],
    )
    calm = len(rows) == config.coaching_fade_after and all(row["hesitation"] <= CALM for row in rows)
    return "faded" if calm else "full"


def coaching_context(store: Store, config: Config, today: dt.date) -> dict[str, str]:
    """The script facts this module decides: `coaching` and `calibration`."""
    return {
        "coaching": coaching_mode(store, config, today),
        "calibration": "on" if config.calibration else "off",
    }


def fear_records(store: Store, lang: str) -> dict[str, str]:
    """Fear key -> the user's record for it in words, for every fear they ever named.

    The script shows the entry of the fear just picked; a fear never named
    gets the script's own fallback ("after a few calls").
    """
    rows = store.read(
        """
        SELECT fear, count(*) AS calls, sum(fear_came_true) AS happened,
               sum(outcome IN ('won', 'follow_up', 'revise')) AS good
        FROM calls
        WHERE fear IS NOT NULL AND fear != 'none' AND fear_came_true IS NOT NULL AND outcome != 'snoozed'
        GROUP BY fear
        """
    )
    return {
        row["fear"]: _record(row["fear"], row["calls"], row["happened"], row["good"], lang) for row in rows
    }


def _record(fear: str, calls: int, happened: int, good: int, lang: str) -> str:
    t = WORDS.text
    if calls < MIN_RECORD:
        return t(lang, "too_few_n", n=calls, min=MIN_RECORD)
    key = f"record_{fear}" if fear in ("needy", "pushy", "no") else "record_other"
    return t(
        lang,
        key,
        calls=t(lang, "calls_1") if calls == 1 else t(lang, "calls_n", n=calls),
        happened=_count(happened, "happened", lang),
        good=_count(good, "good", lang),
    )


def _count(n: int, key: str, lang: str) -> str:
    return WORDS.text(lang, f"{key}_{n}" if n in (0, 1) else f"{key}_n", n=n)


def is_if_then(plan: str) -> bool:
    """True for a plan in the if-then form: "When …, I …" or "Wenn …, dann …" (either language)."""
    return any(pattern.search(plan) for pattern in _IF_THEN.values())


def if_then_rewrite(plan: str, lang: str) -> str:
    """A first draft of `plan` in the if-then form, for the user to edit.

    "call the most overdue first" -> "When the block starts, I call the most
    overdue first". The situation is the block's start because that is when
    the plan is read again.
    """
    text = plan.strip().rstrip(".")
    if text[:1].isupper() and not text[:2].isupper() and lang == "en":
        text = text[:1].lower() + text[1:]
    return WORDS.text(lang, "if_then_start") + text
