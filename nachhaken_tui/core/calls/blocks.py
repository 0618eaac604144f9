"""Call blocks: several calls in one sitting, framed by an if-then plan.

A block is bounded by a number of calls, a number of minutes, or both. The
user may write an implementation intention ("When the block starts, I call
the most overdue first"); at the end they say whether they kept it, and the
summary shows what the block achieved: calls made, reached, won, dates
agreed, hesitation before and after. Calls made during the block carry its
id, so the summary is counted from the calls themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nachhaken_tui.core.db.store import Store, new_row_id, now_iso

__all__ = ["BlockPlan", "BlockSummary", "RunningBlock", "block_summary", "finish_block", "start_block"]


@dataclass(frozen=True, slots=True)
class BlockPlan:
    """What the user set out to do; at least one bound is required."""

    calls: int | None = None
    minutes: int | None = None
    plan: str | None = None

    def __post_init__(self) -> None:
        if self.calls is None and self.minutes is None:
            raise ValueError("a block needs a number of calls or of minutes")
        for bound in (self.calls, self.minutes):
            if bound is not None and bound <= 0:
                raise ValueError("a block's bounds must be positive")


@dataclass(frozen=True, slots=True)
class BlockSummary:
    """What one block achieved, counted from its calls."""

    block_id: int
    plan: BlockPlan
    started_at: str
    ended_at: str | None
    calls: int
    reached: int
    won: int
    dates_agreed: int
    hesitation_before: float | None
    """Average over the block's calls that recorded it; None if none did."""
    hesitation_after: float | None
    plan_kept: bool | None

    @property
    def minutes(self) -> int | None:
        """How long the block lasted, in whole minutes (None while it runs)."""
        if self.ended_at is None:
            return None
        span = dt.datetime.fromisoformat(self.ended_at) - dt.datetime.fromisoformat(self.started_at)
        return max(0, round(span.total_seconds() / 60))


@dataclass(slots=True)
class RunningBlock:
    """A block under way: which offers it has called, and whether it is over.

    Attributes:
        started: a `time.monotonic()` reading; `now` arguments use the same clock.
    """

    block_id: int
    plan: BlockPlan
    started: float
    called: list[int] = field(default_factory=list)
    by_email: list[str] = field(default_factory=list)
    """Clients of due offers without a (working) number: the block never opens
    them, and says at its start and in its summary to follow them up by e-mail."""

    def minutes_left(self, now: float) -> int | None:
        """Whole minutes left (rounded up), or None without a time limit."""
        if self.plan.minutes is None:
            return None
        left = self.plan.minutes * 60 - (now - self.started)
        return max(0, -int(-left // 60))

    def is_over(self, now: float) -> bool:
        """All planned calls made, or the time is up."""
        if self.plan.calls is not None and len(self.called) >= self.plan.calls:
            return True
        return self.minutes_left(now) == 0


def start_block(store: Store, plan: BlockPlan) -> int:
    """Record the start of a block; returns its id for the calls made in it."""
    with store.transaction() as db:
        blocks = db.table("blocks")
        blocks.insert(
            {
                "started_at": now_iso(),
                "planned_calls": plan.calls,
                "planned_minutes": plan.minutes,
                "plan": plan.plan or None,
            }
        )
        return new_row_id(blocks)


def finish_block(store: Store, block_id: int, *, plan_kept: bool | None = None) -> None:
    """Record the end of a block (once) and the user's verdict on the plan."""
    with store.transaction() as db:
        row = db.table("blocks").get(block_id)
        db.table("blocks").update(
            block_id,
            {
                "ended_at": row["ended_at"] or now_iso(),
                "plan_kept": None if plan_kept is None else int(plan_kept),
            },
        )


def block_summary(store: Store, block_id: int) -> BlockSummary:
    """Count what the block's calls achieved."""
    [block] = store.read("SELECT * FROM blocks WHERE id = ?", [block_id])
    [figures] = store.read(
        """
        SELECT
            coalesce(sum(outcome != 'snoozed'), 0) AS calls,  -- a snooze (or the close-the-loop e-mail) is no call
            coalesce(sum(reached = 'yes'), 0) AS reached,
            coalesce(sum(outcome = 'won'), 0) AS won,
            coalesce(sum(outcome IN ('follow_up', 'revise')), 0) AS agreed,
            avg(hesitation_before) AS before,
            avg(hesitation_after) AS after
        FROM calls WHERE block_id = ?
        """,
        [block_id],
    )
    return BlockSummary(
        block_id=block_id,
        plan=BlockPlan(block["planned_calls"], block["planned_minutes"], block["plan"]),
        started_at=block["started_at"],
        ended_at=block["ended_at"],
        calls=figures["calls"],
        reached=figures["reached"],
        won=figures["won"],
        dates_agreed=figures["agreed"],
        hesitation_before=figures["before"],
        hesitation_after=figures["after"],
        plan_kept=None if block["plan_kept"] is None else bool(block["plan_kept"]),
    )
