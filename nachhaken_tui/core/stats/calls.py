"""The figures about calls, counted in two reads of the calls table.

`core.stats.figures` needs a dozen numbers about calls (how many, the
hesitation, the fears and guesses, coaching, outcomes by attempt, each
offer's first call and the snooze before it). As a query each, they read the
300,000 calls of a large file eight times, two of them sorted.

Most of them do not depend on the order of the calls: SQLite sums them in one
plain scan of the table, grouped by fear and coaching (a handful of rows come
back). The rest number each offer's calls in the order they ended, so they
need the calls per offer in that order; SQLite sorts the four columns they use
itself (`NOT INDEXED`): walking the `calls_offer` index instead costs a jump
into the table for every call, three times the sort on a large file. Python
then only keeps a count per offer. What each figure means is in the
`core.stats.figures` docstring; the results are the ones the separate queries
gave, to the last digit of an average.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["CallTally", "tally_calls"]

_COHORT = ":since IS NULL OR offer_id IN (SELECT id FROM offers WHERE sent_on >= :since)"

_SUMS = f"""
SELECT fear, coaching, count(*),
       count(CASE WHEN hesitation_after IS NOT NULL THEN hesitation_before END),
       sum(CASE WHEN hesitation_after IS NOT NULL THEN hesitation_before END),
       sum(CASE WHEN hesitation_before IS NOT NULL THEN hesitation_after END),
       count(fear_came_true), sum(fear_came_true),
       count(CASE WHEN fear_came_true IS NOT NULL THEN fear_likelihood END),
       sum(CASE WHEN fear_came_true IS NOT NULL THEN fear_likelihood END),
       sum(CASE WHEN fear_likelihood IS NOT NULL THEN fear_came_true END)
FROM calls WHERE outcome != 'snoozed' AND ({_COHORT}) GROUP BY fear, coaching
"""
"""Per fear and coaching: calls; rated calls and their hesitation before and after;
calls answered whether the fear happened and how often it did; of those, calls
with a guess, the sum of the guesses and how often it happened."""

_IN_ORDER = f"""
SELECT offer_id, ended_at, outcome, next_due FROM calls NOT INDEXED
WHERE {_COHORT} ORDER BY offer_id, ended_at, id
"""


@dataclass
class CallTally:
    """What the reads of the calls of the cohort counted."""

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
    """Count the calls about offers sent on or after `since` (all when None)."""
    tally = CallTally()
    params = {"since": since}
    for (
        fear,
        coaching,
        calls,
        rated,
        before,
        after,
        answered,
        happened,
        guessed,
        guesses,
        came,
    ) in conn.execute(_SUMS, params):
        tally.calls += calls
        tally.rated += rated
        tally.before += before or 0
        tally.after += after or 0
        if coaching is not None:
            tally.coaching[coaching] += calls
        if fear is None or fear == "none" or not answered:
            continue
        feared = tally.fears.setdefault(fear, [0, 0])
        feared[0] += answered
        feared[1] += happened
        if guessed:
            guess = tally.guesses.setdefault(fear, [0, 0, 0])
            guess[0] += guessed
            guess[1] += guesses
            guess[2] += came
    _number_calls(conn.execute(_IN_ORDER, params), tally, last_attempt)
    return tally


def _number_calls(rows: sqlite3.Cursor, tally: CallTally, last_attempt: int) -> None:
    """Outcomes by attempt, first calls and the snoozes before them, from calls per offer in order.

    Calls come per offer in the order they ended (ties by id), so the n-th
    call of an offer and the snooze before its first call are known on the way.
    """
    by_attempt: dict[str, list[int]] = {}
    first_call = tally.first_call
    snoozed_to = tally.snoozed_to
    offer = None
    attempt = 0
    snooze: tuple[str, str] | None = None  # the latest snooze so far: (ended_at, next_due)
    earlier: tuple[str, str] | None = None  # the latest one that ended before it
    for offer_id, ended, outcome, next_due in rows:
        if offer_id != offer:
            offer, attempt, snooze, earlier = offer_id, 0, None, None
        if outcome == "snoozed":
            if attempt == 0:
                if snooze is not None and snooze[0] < ended:
                    earlier = snooze
                snooze = (ended, next_due)
            continue
        if attempt == 0:
            first_call[offer_id] = ended
            last = snooze if snooze is not None and snooze[0] < ended else earlier
            if last is not None:
                snoozed_to[offer_id] = last[1]
        if attempt < last_attempt:
            attempt += 1
        counts = by_attempt.get(outcome)
        if counts is None:
            counts = by_attempt[outcome] = [0] * (last_attempt + 1)
        counts[attempt] += 1
    for outcome, counts in by_attempt.items():
        for attempt, calls in enumerate(counts):
            if calls:
                tally.by_attempt[attempt, outcome] = calls
