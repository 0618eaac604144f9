"""The TUI from outside, on a real pseudo-terminal: start-up, keystrokes, memory.

Each figure is a latency from a key (or the launch) to the moment the screen
shows what the key was for, read from the terminal's output (see
`pty_session`):

- **start-up**: launch → the first frame showing the most urgent offer's
  client (the bare app: its first row); the apps take turns, and the first
  round warms caches and is not counted;
- **cursor**: ↓ (and ↑ on the way back) → the card shows the newly
  highlighted offer's e-mail (the bare app: its Static shows the new row);
- **search**: `/`, then words typed a key at a time; each key → the inbox
  shows the first offer the search now finds (its client's name; "Nothing
  found" when none). Also the time until the screen has settled (view
  counts and scrollbar redrawn, no output for `QUIET`);
- **view switch**: `v` → the next view's first offer on the card, or its
  empty state ("This view is empty."); Due → Upcoming → All open → Closed →
  Due, round and round. Each switch must change what the card shows, which
  the "all due" data guarantees (Upcoming and Closed are empty);
- **quick outcome**: `n` (no answer) on the first offer → the card shows the
  e-mail of the offer after it (the one called leaves the Due view, saved in
  a worker). It writes, so it runs last, on a private copy. The "Saved"
  notice covers the card's e-mail for 5 s, so each `n` waits for the last
  one's notice to go (not counted).

The peak memory is the app's resident high-water mark after the cursor moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.baseline_app import BASELINE_FIRST, ROWS, detail
from tests.benchmarks.harness import Bench, median_ms
from tests.benchmarks.pty_session import PtySession

__all__ = ["Interaction", "bare_cursor", "interact", "startup"]

DOWN, UP = "\x1b[B", "\x1b[A"
QUIET = 0.12
"""Seconds without output after which the screen counts as settled."""
EMPTY_VIEW = "This view is empty."
TOAST_SECONDS = 5.2
"""A notice ("Saved: …") stays this long (Textual's default 5 s); it covers the card's top right."""
VIEW_CYCLE = ("upcoming", "open", "closed", "due")
"""The views `v` shows in turn, starting from Due."""


def startup(bench: Bench, db: Path) -> tuple[float, float]:
    """Median ms from launch to the first frame: (nachhaken, the bare app), launches interleaved."""
    apps = {
        "ours": (bench.ours(db), bench.inbox(db, 1)[0].client),
        "bare": (bench.baseline(), BASELINE_FIRST),
    }
    times: dict[str, list[float]] = {name: [] for name in apps}
    for run in range(bench.args.runs + 1):  # the first round warms caches and is not counted
        for name, (argv, marker) in apps.items():
            session = bench.session(argv)
            shown = session.wait_for(marker, timeout=120)
            session.kill()
            if run:
                times[name].append(shown - session.started)
    return median_ms(times["ours"]), median_ms(times["bare"])


def bare_cursor(bench: Bench) -> tuple[float, int]:
    """The bare app's cursor: median ms from key to its Static showing the new row, and its peak RSS (KiB)."""
    session = bench.session(bench.baseline())
    try:
        session.wait_for(BASELINE_FIRST)
        session.settle(0.3)
        moves = _bounce(ROWS, bench.args.presses)
        latencies = _press(session, moves, lambda row: detail(row).splitlines()[2])
        return median_ms(latencies), session.peak_rss_kib()
    finally:
        session.close()


@dataclass
class Interaction:
    """Latencies (s) of one nachhaken session, and its peak RSS (KiB) after the cursor moves."""

    cursor: list[float] = field(default_factory=list)
    peak_kib: int = 0
    search: list[float] = field(default_factory=list)
    search_settled: list[float] = field(default_factory=list)
    switches: list[float] = field(default_factory=list)
    outcomes: list[float] = field(default_factory=list)


def interact(
    bench: Bench, db: Path, *, words: tuple[str, ...] = (), cycles: int = 0, outcomes: int = 0
) -> Interaction:
    """One nachhaken session on `db`: cursor moves, then the search, `cycles` rounds of view switches
    and `outcomes` presses of `n`, as asked."""
    offers = bench.inbox(db, 40)
    expected = _search_markers(bench, db, words)
    views = _view_markers(bench, db) if cycles else []
    result = Interaction()
    session = bench.session(bench.ours(db))
    try:
        session.wait_for(offers[0].client, timeout=120)
        session.settle(0.3)
        moves = _bounce(len(offers), bench.args.presses)
        result.cursor = _press(session, moves, lambda row: offers[row].email)
        result.peak_kib = session.peak_rss_kib()
        if moves and moves[-1][1]:  # back to the first offer (untimed), where the search, `v` and `n` start
            session.mark()
            session.send(UP * moves[-1][1])
            session.wait_for(offers[0].email, timeout=60)
            session.settle(QUIET)
        for word in words:
            session.send("/")
            session.settle(QUIET)
            for n in range(1, len(word) + 1):
                session.mark()
                sent = session.send(word[n - 1])
                result.search.append(session.wait_for(expected[word[:n]], timeout=60) - sent)
                result.search_settled.append(session.settle(QUIET) - sent)
            session.send("\x1b")  # Esc clears the search: the cursor is back on the first offer
            session.settle(QUIET)
        for n in range(cycles * len(VIEW_CYCLE)):  # whole rounds: back in Due, cursor on the first offer
            result.switches.append(_key(session, "v", views[n % len(views)]))
        # `n` saves on the first offer, which leaves the Due view: the next one takes its place
        following = bench.inbox(db, outcomes + 1)[1:] if outcomes else []
        for number, offer in enumerate(following):
            if number:  # its card is under the last save's notice until that goes
                session.drain(TOAST_SECONDS)
                session.settle(QUIET)
            result.outcomes.append(_key(session, "n", offer.email))
        return result
    finally:
        session.close()


def _key(session: PtySession, key: str, marker: str) -> float:
    """Seconds from `key` to `marker` on screen; then waits for the screen to settle."""
    session.mark()
    sent = session.send(key)
    shown = session.wait_for(marker, timeout=60) - sent
    session.settle(QUIET)
    return shown


def _search_markers(bench: Bench, db: Path, words: tuple[str, ...]) -> dict[str, str]:
    """What the inbox shows first for each prefix of each word: a client's name, or "Nothing found"."""
    markers = {}
    for word in words:
        for n in range(1, len(word) + 1):
            found = bench.inbox(db, 1, search=word[:n])
            markers[word[:n]] = found[0].client[:16] if found else "Nothing found"
    return markers


def _view_markers(bench: Bench, db: Path) -> list[str]:
    """What the card shows after each `v` of `VIEW_CYCLE`: the view's first e-mail, or its empty state."""
    markers = []
    for view in VIEW_CYCLE:
        first = bench.inbox(db, 1, view=view)
        markers.append(first[0].email if first else EMPTY_VIEW)
    for before, after in zip(markers[-1:] + markers[:-1], markers, strict=True):
        if before == after:
            raise ValueError(f"a view switch would not change the card ({after!r}): use the all-due data")
    return markers


def _bounce(count: int, presses: int) -> list[tuple[str, int]]:
    """(key, row highlighted after it) for `presses` presses down and back up a list of `count` rows."""
    moves, row, step = [], 0, 1
    for _ in range(presses):
        if not 0 <= row + step < count:
            step = -step
        row += step
        moves.append((DOWN if step > 0 else UP, row))
    return moves


def _press(session: PtySession, moves: list[tuple[str, int]], marker) -> list[float]:
    latencies = []
    for key, row in moves:
        session.mark()
        sent = session.send(key)
        latencies.append(session.wait_for(marker(row), timeout=30) - sent)
        session.settle(QUIET)
    return latencies
