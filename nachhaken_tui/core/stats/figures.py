"""The user's own numbers: did following up pay, and did the feared thing happen?

nachhaken never shows general "sales statistics"; everything here is counted
from the user's database, once, and then worded by `stats_text` for both the
`nachhaken stats` command and the TUI's stats screen (and given as data by
`Stats.as_json`), so the two can never disagree.

How the figures are counted:

- A *call* is a row of `calls` other than a snooze (a snooze moves a date
  without dialling); quick outcomes from the inbox count as calls.
- *Cohort*: with `since`, only offers sent on or after that day, and the calls
  about them, are counted. The weekly series always covers the 12 weeks
  (Monday to Sunday) up to and including today's week.
- *Follow-up on time*: an offer's first call came on or before the day it was
  due, that is its first follow-up day by the cadence, or the date of a snooze
  made before that first call. *Late*: after that day. *Backlog at import*:
  already past that day when the offer was entered (imported or added
  late), and called after it: no promptness to judge. *Overdue*: open, not
  called yet, its date has passed. *Never*: closed (won, lost or archived)
  without any call. *Not due yet*: open, not called, due today or later.
  *Ran out*: the offer's validity ended without a decision: open past its
  `valid_until`, or closed as lost with the reason "expired".
- *Win rate*: won ÷ closed (won, lost or archived), for offers with at least
  one call and for offers closed without any.
- *Outcomes by attempt*: each offer's calls numbered in order; the fifth and
  later are counted together.
- *Hesitation*: averages over calls rated both before and after (1–5), so
  before and after compare the same calls.
- *Fears*: per fear named before a call (not "none"), the calls where the user
  answered whether it happened, and how many times it did.
- *Money*: per currency, never added across currencies: value won, the open
  pipeline, and open offers due today or overdue.
- *Calibration*: per fear, the calls where the user guessed how likely it was
  (10–90 %) and then said whether it happened: the average guess against how
  often it did.
- *Block weeks*: of the last `BLOCK_WEEKS` weeks (Monday to Sunday, this one
  included), those with at least one call made in a call block. Deliberately
  no streak: a missed week costs one week, not the whole record.
- *Coaching*: calls made through the script with the full or the faded
  coaching (quick outcomes and calls from before version m005 have neither).
- A rate is only given as a percentage from `MIN_COUNT` calls or offers on;
  below that the words say it is too early, and the counts stay visible.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nachhaken_tui.core.stats.calls import CallTally, tally_calls

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

Query = Callable[[str, Mapping[str, object]], list[tuple[Any, ...]]]
"""Rows of one SELECT on one consistent state of the file (`Store.snapshot`)."""

__all__ = [
    "BLOCK_WEEKS",
    "LAST_ATTEMPT",
    "MIN_COUNT",
    "WEEKS",
    "AttemptOutcomes",
    "Calibration",
    "FearTally",
    "FollowUp",
    "Money",
    "Stats",
    "Week",
    "WinRate",
    "compute_stats",
]

WEEKS = 12
"""How many weeks the weekly series covers, this week included."""
LAST_ATTEMPT = 5
"""Attempts from this number on are counted together ("5+")."""
BLOCK_WEEKS = 8
"""How many weeks the call-block consistency looks back, this week included."""
MIN_COUNT = 5
"""The fewest calls or closed offers a rate is given as a percentage for."""


@dataclass(frozen=True, slots=True)
class Week:
    """One Monday-to-Sunday week of calls."""

    start: dt.date
    """The Monday."""
    calls: int
    rated: int
    """Calls with hesitation rated both before and after."""
    hesitation_before: float | None
    hesitation_after: float | None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Whether offers got their first call in time (see the module docstring)."""

    on_time: int = 0
    late: int = 0
    backlog: int = 0
    """Called after the due day, but that day had passed already when the offer was entered."""
    overdue: int = 0
    never: int = 0
    not_due_yet: int = 0


@dataclass(frozen=True, slots=True)
class WinRate:
    """Won among closed offers of one group."""

    closed: int
    won: int

    @property
    def rate(self) -> float | None:
        """won ÷ closed; None when nothing is closed (no division by zero)."""
        return self.won / self.closed if self.closed else None

    @property
    def enough(self) -> bool:
        """Enough closed offers (`MIN_COUNT`) for the rate to say something."""
        return self.closed >= MIN_COUNT


@dataclass(frozen=True, slots=True)
class AttemptOutcomes:
    """How the n-th calls about offers ended."""

    attempt: int
    and_later: bool
    """True for the last bucket (`LAST_ATTEMPT` and later)."""
    outcomes: dict[str, int]
    """Stored outcome value -> calls, most frequent first."""

    @property
    def calls(self) -> int:
        """All calls of this attempt number."""
        return sum(self.outcomes.values())


@dataclass(frozen=True, slots=True)
class FearTally:
    """One named fear: how often it was feared, how often it came true."""

    fear: str
    """As stored: needy, pushy, no, or a user script's own key."""
    feared: int
    happened: int


@dataclass(frozen=True, slots=True)
class Calibration:
    """One fear: how likely the user guessed it was, against how often it happened."""

    fear: str
    calls: int
    """Calls with both a guess and an answer whether it happened."""
    average_guess: float
    """Percent."""
    happened: int

    @property
    def rate(self) -> float:
        """How often it happened, 0..1 (calls is never 0: rows come from a GROUP BY)."""
        return self.happened / self.calls

    @property
    def enough(self) -> bool:
        """Enough calls (`MIN_COUNT`) for the comparison to say something."""
        return self.calls >= MIN_COUNT


@dataclass(frozen=True, slots=True)
class Money:
    """A sum in one currency (offers without a value count, but add nothing)."""

    currency: str
    cents: int
    offers: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything the stats screen and `nachhaken stats` show."""

    today: dt.date
    since: dt.date | None
    offers: dict[str, int]
    """Offers per status (open, won, lost, archived), each present."""
    calls: int
    weeks: list[Week]
    follow_up: FollowUp
    followed_up: WinRate
    without_call: WinRate
    by_attempt: list[AttemptOutcomes]
    loss_reasons: list[tuple[str | None, int]]
    """(stored reason or None when none was recorded, offers), most frequent first."""
    rated_calls: int
    hesitation_before: float | None
    hesitation_after: float | None
    fears: list[FearTally]
    calibration: list[Calibration]
    block_weeks: int
    """Of the last `BLOCK_WEEKS` weeks, those with a call made in a call block."""
    coaching: dict[str, int]
    """"full" and "faded" -> calls made through the script with that coaching."""
    won: list[Money]
    pipeline: list[Money]
    due_today: list[Money]
    ran_out: int = 0
    """Offers whose validity ended without a decision: still open past it, or closed as expired."""

    @property
    def total_offers(self) -> int:
        """Offers counted (all statuses)."""
        return sum(self.offers.values())

    def as_json(self) -> dict:
        """The same figures as plain data for `--json` (money in exact cents)."""

        def money(items: list[Money]) -> list[dict]:
            return [{"currency": m.currency, "value_cents": m.cents, "offers": m.offers} for m in items]

        def win(rate: WinRate) -> dict:
            return {
                "closed": rate.closed,
                "won": rate.won,
                "rate": _round(rate.rate, 4),
                "too_few": not rate.enough,
            }

        return {
            "today": self.today.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "offers": {"total": self.total_offers, **self.offers},
            "calls": self.calls,
            "calls_per_week": [
                {
                    "week_start": week.start.isoformat(),
                    "calls": week.calls,
                    "rated_calls": week.rated,
                    "hesitation_before": _round(week.hesitation_before),
                    "hesitation_after": _round(week.hesitation_after),
                }
                for week in self.weeks
            ],
            "follow_up": {
                "on_time": self.follow_up.on_time,
                "late": self.follow_up.late,
                "backlog_at_import": self.follow_up.backlog,
                "overdue": self.follow_up.overdue,
                "never": self.follow_up.never,
                "not_due_yet": self.follow_up.not_due_yet,
                "ran_out": self.ran_out,
            },
            "win_rate": {"followed_up": win(self.followed_up), "without_call": win(self.without_call)},
            "by_attempt": [
                {
                    "attempt": item.attempt,
                    "and_later": item.and_later,
                    "calls": item.calls,
                    "outcomes": item.outcomes,
                }
                for item in self.by_attempt
            ],
            "loss_reasons": [{"reason": reason, "offers": count} for reason, count in self.loss_reasons],
            "hesitation": {
                "rated_calls": self.rated_calls,
                "before": _round(self.hesitation_before),
                "after": _round(self.hesitation_after),
            },
            "fears": [
                {"fear": tally.fear, "feared": tally.feared, "happened": tally.happened}
                for tally in self.fears
            ],
            "calibration": [
                {
                    "fear": item.fear,
                    "calls": item.calls,
                    "average_guess": _round(item.average_guess, 1),
                    "happened": item.happened,
                    "rate": _round(item.rate, 4),
                    "too_few": not item.enough,
                }
                for item in self.calibration
            ],
            "block_weeks": {"weeks": self.block_weeks, "of": BLOCK_WEEKS},
            "coaching": self.coaching,
            "min_count": MIN_COUNT,
            "money": {
                "won": money(self.won),
                "open_pipeline": money(self.pipeline),
                "due_today": money(self.due_today),
            },
        }


def compute_stats(store: Store, today: dt.date, since: dt.date | None = None) -> Stats:
    """Count the user's numbers as of `today`, optionally only offers sent since `since`.

    All queries run in one read transaction, so the figures agree with each
    other even while another process saves a call.
    """
    params = {"since": since.isoformat() if since else None, "today": today.isoformat()}
    with store.snapshot() as conn:

        def query(sql: str, params: Mapping[str, object]) -> list[tuple[Any, ...]]:
            return conn.execute(sql, params).fetchall()

        offers, won, pipeline, due_today, ran_out = _offers_and_money(query, params)
        tally = tally_calls(conn, params["since"], LAST_ATTEMPT)
        weeks = _weeks(query, params, today)
        follow_up, followed_up, without_call = _follow_up(query, params, tally, store, today)
        loss_reasons = query(
            f"SELECT loss_reason, count(*) AS n FROM offers o WHERE status = 'lost' AND {_COHORT} "
            "GROUP BY loss_reason ORDER BY n DESC, loss_reason",
            params,
        )
        block_weeks = _block_weeks(query, today)
    rated = tally.rated
    return Stats(
        today=today,
        since=since,
        offers=offers,
        calls=tally.calls,
        weeks=weeks,
        follow_up=follow_up,
        followed_up=followed_up,
        without_call=without_call,
        by_attempt=_by_attempt(tally),
        loss_reasons=[(reason, count) for reason, count in loss_reasons],
        rated_calls=rated,
        hesitation_before=tally.before / rated if rated else None,
        hesitation_after=tally.after / rated if rated else None,
        fears=[
            FearTally(fear, feared, happened)
            for fear, (feared, happened) in sorted(
                tally.fears.items(), key=lambda item: (-item[1][0], item[0])
            )
        ],
        calibration=[
            Calibration(fear, calls, guesses / calls, happened)
            for fear, (calls, guesses, happened) in sorted(
                tally.guesses.items(), key=lambda item: (-item[1][0], item[0])
            )
        ],
        block_weeks=block_weeks,
        coaching={"full": tally.coaching["full"], "faded": tally.coaching["faded"]},
        won=won,
        pipeline=pipeline,
        due_today=due_today,
        ran_out=ran_out,
    )


_COHORT = "(:since IS NULL OR o.sent_on >= :since)"
_CALLED = f"c.outcome != 'snoozed' AND {_COHORT}"
_RATED = "c.hesitation_before IS NOT NULL AND c.hesitation_after IS NOT NULL"


def _weeks(query: Query, params: Mapping[str, object], today: dt.date) -> list[Week]:
    first = today - dt.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    rows = query(
        f"""
        SELECT substr(c.ended_at, 1, 10) AS day, count(*),
               sum(CASE WHEN {_RATED} THEN 1 ELSE 0 END),
               sum(CASE WHEN {_RATED} THEN c.hesitation_before END),
               sum(CASE WHEN {_RATED} THEN c.hesitation_after END)
        FROM calls c JOIN offers o ON o.id = c.offer_id
        WHERE {_CALLED} AND c.ended_at >= :first AND substr(c.ended_at, 1, 10) <= :today
        GROUP BY day
        """,
        {**params, "first": first.isoformat()},
    )
    totals = [[0, 0, 0, 0] for _ in range(WEEKS)]
    for day, calls, rated, before, after in rows:
        index = (dt.date.fromisoformat(day) - first).days // 7
        for position, value in enumerate((calls, rated, before or 0, after or 0)):
            totals[index][position] += value
    return [
        Week(
            start=first + dt.timedelta(weeks=index),
            calls=calls,
            rated=rated,
            hesitation_before=before / rated if rated else None,
            hesitation_after=after / rated if rated else None,
        )
        for index, (calls, rated, before, after) in enumerate(totals)
    ]


def _block_weeks(query: Query, today: dt.date) -> int:
    """Weeks among the last `BLOCK_WEEKS` with at least one call made in a block (any offer)."""
    first = today - dt.timedelta(days=today.weekday() + 7 * (BLOCK_WEEKS - 1))
    days = query(
        "SELECT DISTINCT substr(ended_at, 1, 10) FROM calls "
        "WHERE block_id IS NOT NULL AND outcome != 'snoozed' AND ended_at >= :first "
        "AND substr(ended_at, 1, 10) <= :today",
        {"first": first.isoformat(), "today": today.isoformat()},
    )
    return len({(dt.date.fromisoformat(day) - first).days // 7 for (day,) in days})


def _follow_up(
    query: Query, params: Mapping[str, object], tally: CallTally, store: Store, today: dt.date
) -> tuple[FollowUp, WinRate, WinRate]:
    """Classify every offer of the cohort by its first call; win rates by whether it had one."""
    rows = query(
        f"SELECT o.id, o.sent_on, o.status, o.next_due, substr(o.created_at, 1, 10) FROM offers o WHERE {_COHORT}",
        params,
    )
    first_due: dict[str, str] = {}
    kinds: Counter[str] = Counter()
    closed = {True: [0, 0], False: [0, 0]}
    iso_today = today.isoformat()
    for offer_id, sent_on, status, next_due, entered_on in rows:
        first_call = tally.first_call.get(offer_id)
        called = first_call is not None
        if status != "open":
            closed[called][0] += 1
            closed[called][1] += status == "won"
        if first_call is None:
            if status != "open":
                kinds["never"] += 1
            else:
                kinds["overdue" if next_due < iso_today else "not_due_yet"] += 1
            continue
        first_call = first_call[:10]
        due = tally.snoozed_to.get(offer_id)
        if due is None:
            if sent_on not in first_due:
                first_due[sent_on] = store.cadence.first_due(dt.date.fromisoformat(sent_on)).isoformat()
            due = first_due[sent_on]
        if first_call <= due:
            kinds["on_time"] += 1
        else:
            kinds["backlog" if entered_on > due else "late"] += 1
    return FollowUp(**kinds), WinRate(*closed[True]), WinRate(*closed[False])


def _by_attempt(tally: CallTally) -> list[AttemptOutcomes]:
    """Outcomes per attempt number, each attempt's most frequent first (ties by outcome)."""
    grouped: dict[int, dict[str, int]] = {}
    for (attempt, outcome), calls in sorted(
        tally.by_attempt.items(), key=lambda item: (item[0][0], -item[1], item[0][1])
    ):
        grouped.setdefault(attempt, {})[outcome] = calls
    return [
        AttemptOutcomes(attempt, attempt == LAST_ATTEMPT, outcomes) for attempt, outcomes in grouped.items()
    ]


def _offers_and_money(
    query: Query, params: Mapping[str, object]
) -> tuple[dict[str, int], list[Money], list[Money], list[Money], int]:
    """Offers per status, value won, open and due today per currency, and the offers that ran out.

    One plain scan of the offers: asked on its own, "ran out" went through the
    inbox index and then to every open offer's row, a jump each.
    """
    rows = query(
        f"""
        SELECT currency, status, count(*), coalesce(sum(value_cents), 0),
               sum(next_due <= :today), coalesce(sum(CASE WHEN next_due <= :today THEN value_cents END), 0),
               count(CASE WHEN valid_until IS NOT NULL AND ((status = 'open' AND valid_until < :today)
                          OR (status = 'lost' AND loss_reason = 'expired')) THEN 1 END)
        FROM offers o WHERE {_COHORT} GROUP BY currency, status ORDER BY currency
        """,
        params,
    )
    offers = dict.fromkeys(("open", "won", "lost", "archived"), 0)
    won, pipeline, due_today = [], [], []
    ran_out = 0
    for currency, status, count, cents, due_count, due_cents, expired in rows:
        offers[status] += count
        ran_out += expired
        if status == "won":
            won.append(Money(currency, cents, count))
        elif status == "open":
            pipeline.append(Money(currency, cents, count))
            if due_count:
                due_today.append(Money(currency, due_cents, due_count))
    return offers, won, pipeline, due_today, ran_out


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
