"""The figures about calls, counted in one pass over the calls table.

`core.stats.figures` needs a dozen numbers about calls (how many, the
hesitation, the fears and guesses, coaching, outcomes by attempt, each
offer's first call and the snooze before it). As a query each, they read the
300,000 calls of a large file eight times, two of them sorted; here they are
counted from one read in the order of the `calls_offer` index. What each
figure means is in the `core.stats.figures` docstring; the results are the
ones those queries gave, to the last digit of an average.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["CallTally", "tally_calls"]


@dataclass
class CallTally:
    """What one pass over the calls of the cohort counted."""

    calls: int = 0
    """Every call but snoozes."""
    rated: int = 0
    before: int = 0
    """Sum of the hesitation before, over the rated calls."""
    after: int = 0
    fears: dict[str, list[int]] = field(default_factory=dict)
    """fear -> [calls with an answer whether it happened, times it did]."""
    guesses: dict[str, list[int]] = field(default_factory=dict)
    """fear -> [calls with a guess and an answer, sum of the guesses, times it happened]."""
    coaching: Counter[str] = field(default_factory=Counter)
    by_attempt: Counter[tuple[int, str]] = field(default_factory=Counter)
    """(attempt number, at most `last_attempt`; outcome) -> calls."""
    first_call: dict[int, str] = field(default_factory=dict)
    """offer id -> when its first call (not a snooze) ended."""
    snoozed_to: dict[int, str] = field(default_factory=dict)
    """offer id -> the date of the last snooze made before its first call, if any."""


def tally_calls(conn: sqlite3.Connection, since: str | None, last_attempt: int) -> CallTally:
    """Count the calls about offers sent on or after `since` (all when None).

    Calls come per offer in the order they ended (ties by id), so the n-th
    call of an offer and the snooze before its first call are known on the way.
    """
    tally = CallTally()
    rows = conn.execute(
        "SELECT offer_id, ended_at, outcome, next_due, fear, fear_came_true, fear_likelihood, "
        "hesitation_before, hesitation_after, coaching FROM calls "
        "WHERE :since IS NULL OR offer_id IN (SELECT id FROM offers WHERE sent_on >= :since) "
        "ORDER BY offer_id, ended_at, id",
        {"since": since},
    )
    offer = None
    attempt = 0
    snooze: tuple[str, str] | None = None  # the latest snooze so far: (ended_at, next_due)
    earlier: tuple[str, str] | None = None  # the latest one that ended before it
    for offer_id, ended, outcome, next_due, fear, happened, guess, before, after, coaching in rows:
        if offer_id != offer:
            offer, attempt, snooze, earlier = offer_id, 0, None, None
        if outcome == "snoozed":
            if attempt == 0:
                if snooze is not None and snooze[0] < ended:
                    earlier = snooze
                snooze = (ended, next_due)
            continue
        if attempt == 0:
            tally.first_call[offer_id] = ended
            last = snooze if snooze is not None and snooze[0] < ended else earlier
            if last is not None:
                tally.snoozed_to[offer_id] = last[1]
        attempt += 1
        tally.calls += 1
        tally.by_attempt[min(attempt, last_attempt), outcome] += 1
        if before is not None and after is not None:
            tally.rated += 1
            tally.before += before
            tally.after += after
        if fear is not None and fear != "none" and happened is not None:
            feared = tally.fears.setdefault(fear, [0, 0])
            feared[0] += 1
            feared[1] += happened
            if guess is not None:
                guessed = tally.guesses.setdefault(fear, [0, 0, 0])
                guessed[0] += 1
                guessed[1] += guess
                guessed[2] += happened
        if coaching is not None:
            tally.coaching[coaching] += 1
    return tally
