"""The peer of `nachhaken stats` (issue 14): one plain-Python pass over the calls table.

    python tests/benchmarks/stats_peer.py DATABASE

One SELECT of every call with its offer's status, and in Python: calls per
week, outcomes per attempt, hesitation before and after, fears that came
true, and the win rate of the offers called. A floor, not a copy: `stats`
says more (follow-up on time, money per currency, loss reasons), but every
figure of it is a pass over the same rows.
"""

import datetime as dt
import sqlite3
import sys
from collections import Counter


def main(path: str) -> None:
    weeks: Counter = Counter()
    outcomes: Counter = Counter()
    attempts: Counter = Counter()
    fears: Counter = Counter()
    hesitation = [0, 0, 0]
    status: dict[int, str] = {}
    rows = sqlite3.connect(path).execute(
        "SELECT c.offer_id, c.ended_at, c.outcome, c.fear, c.fear_came_true, c.hesitation_before,"
        " c.hesitation_after, o.status FROM calls c JOIN offers o ON o.id = c.offer_id ORDER BY c.offer_id, c.ended_at"
    )
    for offer, ended, outcome, fear, came_true, before, after, offer_status in rows:
        weeks[dt.date.fromisoformat(ended[:10]).isocalendar()[:2]] += 1
        attempts[offer] += 1
        outcomes[min(attempts[offer], 4), outcome] += 1
        fears[fear, bool(came_true)] += 1
        if before and after:
            hesitation[0] += 1
            hesitation[1] += before
            hesitation[2] += after
        status[offer] = offer_status
    won = sum(value == "won" for value in status.values())
    print(f"calls: {sum(weeks.values())} in {len(weeks)} weeks; offers called: {len(status)}, won: {won}")
    for (attempt, outcome), count in sorted(outcomes.items()):
        print(f"attempt {attempt}: {outcome} {count}")
    for (fear, came_true), count in sorted(fears.items(), key=str):
        print(f"fear {fear} ({'came true' if came_true else 'did not'}): {count}")
    if hesitation[0]:
        print(
            f"hesitation before {hesitation[1] / hesitation[0]:.1f}, after {hesitation[2] / hesitation[0]:.1f}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
