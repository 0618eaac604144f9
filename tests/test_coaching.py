"""Coaching that fades, the own record at the moment of fear, the if-then plan (core, no terminal).

Every figure comes from calls saved here; the mode for the next call is
worked out from them as the module docstring of `core.calls.coaching` defines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY

from nachhaken_tui.core.calls.coaching import (
    coaching_context,
    coaching_mode,
    fear_records,
    if_then_rewrite,
    is_if_then,
)
from nachhaken_tui.core.config import Config
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached

D = dt.date


def _offer(store) -> int:
    return store.add_offer(OfferDraft(client="Calm GmbH", title="Offer", sent_on=D(2026, 10, 1)))


def _calls(store, offer, ratings, *, last=TODAY):
    """One no-answer call per (before, after) pair, one day apart, ending on `last`."""
    for back, (before, after) in enumerate(reversed(ratings)):
        day = last - dt.timedelta(days=back)
        draft = CallDraft(
            outcome=Outcome.NO_ANSWER,
            reached=Reached.NO_ANSWER,
            hesitation_before=before,
            hesitation_after=after,
        )
        store.record_call(offer, draft, today=day, ended_at=f"{day.isoformat()}T10:00:00+01:00")


def test_a_fresh_database_gets_the_full_coaching(store):
    assert coaching_mode(store, Config(), TODAY) == "full"
    assert coaching_context(store, Config(), TODAY) == {"coaching": "full", "calibration": "on"}


def test_five_calm_calls_fade_it_and_four_do_not(store):
    offer = _offer(store)
    _calls(store, offer, [(2, 1), (1, 1), (2, 2), (1, None)], last=TODAY - dt.timedelta(days=1))
    assert coaching_mode(store, Config(), TODAY) == "full"  # four rated calls only
    _calls(store, offer, [(None, 2)])
    assert coaching_mode(store, Config(), TODAY) == "faded"
    assert coaching_mode(store, Config(coaching_fade_after=6), TODAY) == "full"


def test_a_four_or_five_brings_the_full_coaching_back_at_once(store):
    offer = _offer(store)
    _calls(store, offer, [(1, 1)] * 5, last=TODAY - dt.timedelta(days=1))
    assert coaching_mode(store, Config(), TODAY) == "faded"
    _calls(store, offer, [(None, 4)])  # a faded call rated 4 afterwards
    assert coaching_mode(store, Config(), TODAY) == "full"


def test_unrated_calls_do_not_break_the_calm_run(store):
    offer = _offer(store)
    _calls(store, offer, [(1, 1)] * 5, last=TODAY - dt.timedelta(days=1))
    _calls(store, offer, [(None, None)])  # a quick outcome from the inbox: no rating
    assert coaching_mode(store, Config(), TODAY) == "faded"


def test_a_pause_brings_the_full_coaching_back(store):
    offer = _offer(store)
    _calls(store, offer, [(1, 1)] * 5, last=TODAY - dt.timedelta(days=15))
    assert coaching_mode(store, Config(), TODAY) == "full"  # 15 days without a call
    assert coaching_mode(store, Config(coaching_pause_days=20), TODAY) == "faded"


def test_the_config_can_set_either_mode_for_good(store):
    offer = _offer(store)
    _calls(store, offer, [(1, 1)] * 5)
    assert coaching_mode(store, Config(coaching="full"), TODAY) == "full"
    _calls(store, offer, [(5, 5)])
    assert coaching_mode(store, Config(coaching="faded"), TODAY) == "faded"
    assert coaching_context(store, Config(calibration=False), TODAY)["calibration"] == "off"


def _feared(store, offer, fear, came_true, outcome, day):
    draft = CallDraft(
        outcome=outcome,
        reached=Reached.YES,
        fear=fear,
        fear_came_true=came_true,
        next_due=D(2026, 12, 10) if outcome.needs_date else None,
    )
    store.record_call(offer, draft, today=day, ended_at=f"{day.isoformat()}T10:00:00+01:00")


def test_the_record_of_a_fear_counts_the_users_own_calls(store):
    offers = [
        store.add_offer(OfferDraft(client=f"C{i}", title="O", sent_on=D(2026, 10, 1))) for i in range(9)
    ]
    outcomes = [
        Outcome.WON,
        Outcome.FOLLOW_UP,
        Outcome.FOLLOW_UP,
        Outcome.REVISE,
        Outcome.WON,
        Outcome.FOLLOW_UP,
        Outcome.LOST,
        Outcome.LOST,
        Outcome.VOICEMAIL,
    ]
    for index, (offer, outcome) in enumerate(zip(offers, outcomes, strict=True)):
        _feared(store, offer, "no", index == 6, outcome, D(2026, 11, 2 + index))
    records = fear_records(store, "en")
    assert records == {
        "no": "Before 9 calls you feared a “no”. It came once; 6 of those calls ended with a date or a yes."
    }
    assert fear_records(store, "de")["no"] == (
        "Vor 9 Anrufen hast du ein „Nein“ befürchtet. Eingetreten ist es einmal; "
        "6 dieser Anrufe endeten mit einem Termin oder einem Ja."
    )


def test_below_three_calls_the_record_says_the_numbers_will_come(store):
    offer = _offer(store)
    _feared(store, offer, "pushy", False, Outcome.FOLLOW_UP, D(2026, 11, 20))
    _feared(store, offer, "needy", None, Outcome.FOLLOW_UP, D(2026, 11, 23))  # not asked: not counted
    assert fear_records(store, "en") == {
        "pushy": "Your own numbers for this worry appear here after a few calls (1 of 3 so far).",
    }


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ("When the block starts, I call the most overdue first", True),
        ("If nobody answers, I leave a short message", True),
        ("Wenn der Block beginnt, rufe ich zuerst Müller an", True),
        ("Wenn niemand abnimmt, dann spreche ich auf die Mailbox", True),
        ("most overdue first", False),
        ("When the block starts", False),
        ("I call the most overdue first", False),
    ],
)
def test_the_if_then_form_is_recognised(plan, expected):
    assert is_if_then(plan) is expected


def test_a_rewrite_puts_the_plan_into_the_if_then_form():
    assert (
        if_then_rewrite("Call the most overdue first.", "en")
        == "When the block starts, I call the most overdue first"
    )
    assert is_if_then(if_then_rewrite("call Müller first", "en"))
    assert if_then_rewrite("zuerst Müller anrufen", "de") == "Wenn der Block beginnt, zuerst Müller anrufen"
