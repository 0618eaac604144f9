"""nachhaken against the smallest Textual app of its shape, side by side (issue 6).

    python -m tests.benchmarks.run                      # 100,000 offers, 300,000 calls
    python -m tests.benchmarks.run --offers 20000 --calls 60000 --runs 5
    python -m tests.benchmarks.run --quick              # a smoke run, seconds

Prints one table (Markdown): each figure for nachhaken and for its baseline,
the ratio, the budget from the issue, and whether it is met. Everything is
measured from outside, the way a user meets it:

- **Startup**: launch → the first frame that shows the most urgent offer's
  client (the baseline: its first row), read from a real pseudo-terminal of
  120×40; the median of several launches, the two apps taking turns.
- **Keystrokes**: ↓ (and ↑ on the way back) on the pty, timed until the card
  shows the newly highlighted offer (the baseline: until its Static shows
  the new row); many presses, median; at 10 offers and at the full size.
- **Memory**: the peak resident set size (the kernel's VmHWM) of each app
  at the end of its keystroke session at the full size: startup, first
  frame, and all those moves, scrolling included.
- **Search**: `/`, then words typed a key at a time; each key is timed until
  the inbox shows the first offer the search now finds (its client's name;
  "Nothing found" when none); median. Its budget is 2× the baseline's
  cursor move. Below the table: the time until the screen has settled too
  (view counts and scrollbar redrawn, no output for 120 ms).
- **Import**: `nachhaken import` of a CSV file of as many offers vs
  `sqlite-utils insert DB offers FILE --csv` of the same file, fresh files.
- **`nachhaken due`** at the full size vs `python -c "import sqlite_utils,
  pendulum, click"`, output to a pipe.

Data is generated once per size and day and cached in the temp folder
(`datagen.py`). The apps run in a fresh home folder of their own (HOME, the
XDG folders, no config), so no user file is read or written; each is
launched once before anything is counted, to warm the same caches a
user's second launch finds (the OS's, compiled bytecode, nachhaken's
public holidays). Only ratios mean anything: both apps run on the same
machine in the same minute, under the same load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks import datagen
from tests.benchmarks.baseline_app import BASELINE_FIRST, ROWS, detail
from tests.benchmarks.datagen import Dataset, build_csv, build_database, cache_dir, copy_database
from tests.benchmarks.pty_session import PtySession

__all__ = ["main"]

BASELINE_SCRIPT = Path(__file__).with_name("baseline_app.py")
DOWN, UP = "\x1b[B", "\x1b[A"
SEARCH_WORDS = ("becker", "workshop")
"""Typed into the search field a key at a time (a client's name, an offer's title)."""
QUIET = 0.12
"""Seconds without output after which the screen counts as settled."""


@dataclass
class Figure:
    """One row of the table."""

    name: str
    ours: float
    baseline: float
    unit: str
    budget: float

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.budget


# ---------------------------------------------------------------- environment


def _environment(home: Path) -> dict[str, str]:
    """A terminal like a user's, and folders that are the benchmark's own.

    Bytecode is written and read as in an installed app (pip compiles it);
    with PYTHONDONTWRITEBYTECODE every changed module would be compiled anew
    at each launch, which is not what a user's launch costs.
    """
    dropped = ("NO_COLOR", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONSTARTUP")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "NACHHAKEN", "XDG_", "LC_")) and key not in dropped
    }
    env.update(
        HOME=str(home),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="en_US.UTF-8",
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        # A returning user: their config has answered the first-run question (`[me]`).
        NACHHAKEN_CONFIG=str(home / "config" / "config.toml"),
    )
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text("[me]\n", encoding="utf-8")
    return env


class Bench:
    """What every measurement needs: the commands, the environment, the data."""

    def __init__(self, work: Path, dataset: Dataset, small: Dataset, args: argparse.Namespace):
        self.work = work
        self.home = work / "home"
        self.home.mkdir(exist_ok=True)
        self.env = _environment(self.home)
        self.args = args
        self.db = copy_database(dataset, work / "bench.db")
        self.small_db = copy_database(small, work / "small.db")
        self.dataset = dataset
        self.small = small
        self.today = dataset.today

    def ours(self, db: Path, *extra: str) -> list[str]:
        return [
            sys.executable, "-m", "nachhaken_tui", *extra,
            "--db", str(db), "--lang", "en", "--today", self.today.isoformat(),
        ]  # fmt: skip

    def baseline(self) -> list[str]:
        # As a module, so that its bytecode is cached like nachhaken's.
        return [sys.executable, "-m", BASELINE_SCRIPT.stem]

    def session(self, argv: list[str]) -> PtySession:
        env = self.env
        if argv == self.baseline():
            env = {**env, "PYTHONPATH": str(BASELINE_SCRIPT.parent)}
        return PtySession(argv, env, cwd=str(self.home))

    def inbox(self, db: Path, limit: int) -> list:
        """The first offers of the Due view, in the app's order (for the markers)."""
        from nachhaken_tui.core.db.inbox import InboxQuery
        from nachhaken_tui.core.db.store import Store

        store = Store.open(db)
        try:
            return [due.offer for due in store.page(InboxQuery(), self.today, limit=limit)]
        finally:
            store.close()


# ---------------------------------------------------------------- figures


def startup(bench: Bench) -> Figure:
    """Launch → first frame with the most urgent offer (median of interleaved launches)."""
    first = bench.inbox(bench.db, 1)[0].client
    apps = {"ours": (bench.ours(bench.db), first), "baseline": (bench.baseline(), BASELINE_FIRST)}
    times: dict[str, list[float]] = {name: [] for name in apps}
    for run in range(bench.args.runs + 1):  # the first round warms caches and is not counted
        for name, (argv, marker) in apps.items():
            session = bench.session(argv)
            shown = session.wait_for(marker)
            session.kill()
            if run:
                times[name].append(shown - session.started)
    return Figure("Startup to first frame", _ms(times["ours"]), _ms(times["baseline"]), "ms", 1.25)


def _bounce(count: int, presses: int) -> list[tuple[str, int]]:
    """(key, row highlighted after it) for `presses` presses down and back up a list of `count` rows."""
    moves, row, step = [], 0, 1
    for _ in range(presses):
        if not 0 <= row + step < count:
            step = -step
        row += step
        moves.append((DOWN if step > 0 else UP, row))
    return moves


def keystrokes(bench: Bench, db: Path) -> tuple[list[float], int]:
    """nachhaken's cursor moves: latencies (s) from key to the card showing the new
    offer, and the app's peak RSS (KiB) over the session."""
    offers = bench.inbox(db, 40)
    session = bench.session(bench.ours(db))
    try:
        session.wait_for(offers[0].client)
        session.settle(0.3)
        latencies = _press(session, _bounce(len(offers), bench.args.presses), lambda row: offers[row].email)
        return latencies, session.peak_rss_kib()
    finally:
        session.close()


def baseline_keystrokes(bench: Bench) -> tuple[list[float], int]:
    """The same for the baseline: key → its Static shows the new row."""
    session = bench.session(bench.baseline())
    try:
        session.wait_for(BASELINE_FIRST)
        session.settle(0.3)
        moves = _bounce(ROWS, bench.args.presses)
        return _press(session, moves, lambda row: detail(row).splitlines()[2]), session.peak_rss_kib()
    finally:
        session.close()


def _press(session: PtySession, moves: list[tuple[str, int]], marker) -> list[float]:
    latencies = []
    for key, row in moves:
        session.mark()
        sent = session.send(key)
        latencies.append(session.wait_for(marker(row), timeout=10) - sent)
        session.settle(QUIET)
    return latencies


def search(bench: Bench, words: tuple[str, ...]) -> tuple[list[float], list[float]]:
    """Search keystrokes at the full size, two latencies (s) each: key → the
    filtered inbox shows its new first offer, and key → the screen has
    settled (view counts, card and scrollbar redrawn too)."""
    from nachhaken_tui.core.db.inbox import InboxQuery, View
    from nachhaken_tui.core.db.store import Store

    store = Store.open(bench.db)
    try:

        def first(text: str) -> str:
            rows = store.page(InboxQuery(View.DUE, text), bench.today, limit=1)
            return rows[0].offer.client[:16] if rows else "Nothing found"

        expected = {word[:n]: first(word[:n]) for word in words for n in range(1, len(word) + 1)}
    finally:
        store.close()
    session = bench.session(bench.ours(bench.db))
    shown, settled = [], []
    try:
        session.wait_for(bench.inbox(bench.db, 1)[0].client)
        session.settle(0.3)
        for word in words:
            session.send("/")
            session.settle(QUIET)
            for n in range(1, len(word) + 1):
                session.mark()
                sent = session.send(word[n - 1])
                shown.append(session.wait_for(expected[word[:n]], timeout=10) - sent)
                settled.append(session.settle(QUIET) - sent)
            session.send("\x1b")  # Esc clears the search
            session.settle(QUIET)
    finally:
        session.close()
    return shown, settled


def _wall(argv: list[str], bench: Bench, runs: int) -> float:
    """Median wall time of a command, output to a pipe."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=bench.env, cwd=bench.home, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def due(bench: Bench) -> Figure:
    """`nachhaken due` on the full database vs importing what it cannot do without."""
    ours = bench.ours(bench.db, "due")
    floor = [sys.executable, "-c", "import sqlite_utils, pendulum, click"]
    _wall(ours, bench, 1), _wall(floor, bench, 1)  # warm
    runs = bench.args.runs
    return Figure(
        "`nachhaken due`", _wall(ours, bench, runs) * 1000, _wall(floor, bench, runs) * 1000, "ms", 1.3
    )


def import_csv(bench: Bench) -> Figure:
    """`nachhaken import` vs `sqlite-utils insert --csv` of the same file, into fresh files."""
    rows = bench.args.import_rows or bench.dataset.offers
    csv_file = build_csv(rows)
    sqlite_utils_cli = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) or "sqlite-utils"
    ours_times, floor_times = [], []
    for run in range(bench.args.import_runs):
        target = bench.work / f"import-{run}.db"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "nachhaken_tui", "import", str(csv_file), "--db", str(target), "--lang", "en"],
            env=bench.env, cwd=bench.home, capture_output=True, check=True,
        )  # fmt: skip
        ours_times.append(time.perf_counter() - started)
        target = bench.work / f"floor-{run}.db"
        started = time.perf_counter()
        subprocess.run(
            [sqlite_utils_cli, "insert", str(target), "offers", str(csv_file), "--csv"],
            env=bench.env, cwd=bench.home, capture_output=True, check=True,
        )  # fmt: skip
        floor_times.append(time.perf_counter() - started)
    return Figure(
        f"Import {rows:,} CSV rows",
        statistics.median(ours_times) * 1000,
        statistics.median(floor_times) * 1000,
        "ms",
        3.0,
    )


def _ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


# ---------------------------------------------------------------- report


def _describe(dataset: Dataset, path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        open_, due_ = conn.execute(
            "SELECT count(*), sum(next_due <= ?) FROM offers WHERE status = 'open'",
            [dataset.today.isoformat()],
        ).fetchone()
    finally:
        conn.close()
    return f"{dataset.offers:,} offers ({open_:,} open, {due_ or 0:,} due), {dataset.calls:,} calls"


def table(figures: list[Figure]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| Figure | nachhaken | Baseline | Ratio | Budget | Met? |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for figure in figures:
        digits = 1 if figure.unit == "MB" or figure.ours < 100 else 0
        lines.append(
            f"| {figure.name} | {figure.ours:,.{digits}f} {figure.unit} | {figure.baseline:,.{digits}f} {figure.unit}"
            f" | {figure.ratio:.2f}× | ≤ {figure.budget:g}× | {'yes' if figure.met else '**no**'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--offers", type=int, default=100_000, help="offers in the big database (100000)")
    parser.add_argument("--calls", type=int, default=300_000, help="calls in the big database (300000)")
    parser.add_argument("--small", type=int, default=10, help="offers in the small database (10)")
    parser.add_argument("--runs", type=int, default=9, help="launches per app for startup, memory, due (9)")
    parser.add_argument("--presses", type=int, default=40, help="cursor moves per keystroke session (40)")
    parser.add_argument("--import-rows", type=int, default=0, help="CSV rows to import (as many as --offers)")
    parser.add_argument("--import-runs", type=int, default=3, help="imports per tool (3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 300 offers, 1 run, few presses")
    parser.add_argument("--cache-dir", type=Path, help="where generated data is kept (temp/nachhaken-bench)")
    args = parser.parse_args(argv)
    if args.cache_dir:
        datagen.CACHE_DIR = args.cache_dir
    words = SEARCH_WORDS
    if args.quick:
        args.offers, args.calls, args.runs, args.presses, args.import_runs = 300, 900, 1, 4, 1
        words = SEARCH_WORDS[:1]
    started = time.perf_counter()
    today = dt.date.today()
    _compile_bytecode()
    print(f"Generating data (cached in {cache_dir()}) …", file=sys.stderr, flush=True)
    dataset = build_database(args.offers, args.calls, today)
    small = build_database(args.small, args.small * 3, today)
    with tempfile.TemporaryDirectory(prefix="nachhaken-bench-") as folder:
        bench = Bench(Path(folder), dataset, small, args)
        described = _describe(dataset, bench.db)
        figures, search_note = measure(bench, words)
    print()
    print(f"nachhaken vs a bare Textual app · {described} · {today.isoformat()}")
    print(
        f"{platform.python_implementation()} {platform.python_version()} · {os.cpu_count()} CPUs · "
        f"textual {_version('textual')} · sqlite {_sqlite_version()} · {args.runs} runs, {args.presses} presses"
    )
    print()
    print(table(figures))
    print()
    print(search_note)
    unmet = [figure.name for figure in figures if not figure.met]
    print("Every budget met." if not unmet else f"Not met: {', '.join(unmet)}.")
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


def measure(bench: Bench, words: tuple[str, ...]) -> tuple[list[Figure], str]:
    """Every figure of the table, and a line on search."""
    args = bench.args
    figures: list[Figure] = []
    print("Startup …", file=sys.stderr, flush=True)
    figures.append(startup(bench))
    print("Keystrokes …", file=sys.stderr, flush=True)
    base_latencies, base_peak = baseline_keystrokes(bench)
    base_keys = _ms(base_latencies)
    small_latencies, _ = keystrokes(bench, bench.small_db)
    big_latencies, big_peak = keystrokes(bench, bench.db)
    figures.append(Figure("Peak memory (RSS)", big_peak / 1024, base_peak / 1024, "MB", 1.3))
    figures.append(Figure(f"Cursor move, {args.small} offers", _ms(small_latencies), base_keys, "ms", 1.2))
    figures.append(Figure(f"Cursor move, {args.offers:,} offers", _ms(big_latencies), base_keys, "ms", 1.2))
    print("Search …", file=sys.stderr, flush=True)
    shown, settled = search(bench, words)
    figures.append(Figure(f"Search keystroke, {args.offers:,} offers", _ms(shown), base_keys, "ms", 2.0))
    print("`nachhaken due` …", file=sys.stderr, flush=True)
    figures.append(due(bench))
    print("Import …", file=sys.stderr, flush=True)
    figures.append(import_csv(bench))
    note = (
        f"Search: the filtered inbox shows after {_ms(shown):.0f} ms (median); the screen has settled, "
        f"view counts included, after {_ms(settled):.0f} ms."
    )
    return figures, note


def _compile_bytecode() -> None:
    """Compile both apps' modules as an installation would (see `_environment`)."""
    import compileall

    import nachhaken_tui

    for folder in (Path(nachhaken_tui.__file__).parent, BASELINE_SCRIPT.parent):
        compileall.compile_dir(folder, quiet=1)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


if __name__ == "__main__":
    sys.exit(main())
