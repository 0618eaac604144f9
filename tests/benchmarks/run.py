"""nachhaken against its peers, every figure a ratio measured in the same run (issues 6 and 14).

    python -m tests.benchmarks.run                   # the full run: 100,000 offers (about 4 minutes)
    python -m tests.benchmarks.run --quick           # a smoke run at tiny sizes, every figure once
    python -m tests.benchmarks.run --only due --only import --cmd-runs 5

Prints one Markdown table: each figure for nachhaken and for its peer, the
ratio, the budget from the issue, and whether it is met; progress goes to
stderr. The groups (`--only`):

- **realistic** (issue 6): the TUI on realistic data (100,000 offers of
  which about 800 due) against the smallest Textual app of its shape
  (`baseline_app.py`): start-up, peak memory, cursor (also at 10 offers),
  search keystroke (see `tui.py`);
- **due**, **import**, **commands** (issue 14): whole processes against
  plain scripts and tools, and against themselves at a tenth of the data
  (see `commands.py`);
- **tui** (issue 14): the TUI on the "all due" data, Saturday and
  one-client variants: start-up, cursor, search keystroke, view switch and
  the quick outcome `n`, against the bare app's start-up and cursor.

Data is generated once per size and day and cached in the temp folder
(`datagen.py`). The apps run in a fresh home folder of their own, each TUI
launched once before anything is counted, to warm the caches a user's
second launch finds (the OS's, compiled bytecode, the public holidays). Only
ratios mean anything: both sides run on the same machine in the same minute,
under the same load, taking turns; each figure is a median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path

from tests.benchmarks import commands, datagen, tui
from tests.benchmarks.datagen import build_all_due, build_database, cache_dir
from tests.benchmarks.harness import BASELINE_SCRIPT, Bench, Figure, median_ms, progress, table

__all__ = ["main"]

SEARCH_WORDS = ("becker", "workshop")
"""Typed into the search field a key at a time (a client's name, an offer's title)."""
GROUPS = ("realistic", "due", "import", "tui", "commands")
TUI_VARIANTS = {"saturday": "Saturday", "one_client": "one client"}


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.cache_dir:
        datagen.CACHE_DIR = args.cache_dir
    today = dt.date.today()
    _compile_bytecode()
    progress(f"Data is cached in {cache_dir()}")
    with tempfile.TemporaryDirectory(prefix="nachhaken-bench-") as folder:
        bench = Bench(Path(folder), args, today)
        figures, data, notes = measure(bench)
    print()
    print(f"nachhaken vs its peers · {today.isoformat()}")
    print(
        f"{platform.python_implementation()} {platform.python_version()} · {os.cpu_count()} CPUs · "
        f"textual {_version('textual')} · sqlite {sqlite3.sqlite_version} · {args.runs} launches, "
        f"{args.presses} presses, {args.cmd_runs} runs per command, {args.import_runs} imports"
    )
    for line in data:
        print(f"- {line}")
    print()
    print(table(figures))
    print()
    for note in notes:
        print(note)
    unmet = [figure.name for figure in figures if not figure.met]
    print("Every budget met." if not unmet else f"Not met: {', '.join(unmet)}.")
    progress("done")
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--offers", type=int, default=100_000, help="offers in the big databases (100000)")
    parser.add_argument("--calls", type=int, default=300_000, help="calls in the big databases (300000)")
    parser.add_argument("--small", type=int, default=10, help="offers in the tiny realistic database (10)")
    parser.add_argument("--runs", type=int, default=5, help="launches per app for each start-up figure (5)")
    parser.add_argument("--presses", type=int, default=30, help="cursor moves per TUI session (30)")
    parser.add_argument("--view-cycles", type=int, default=2, help="rounds of `v` through the four views (2)")
    parser.add_argument("--outcomes", type=int, default=6, help="quick outcomes `n` per TUI session (6)")
    parser.add_argument("--cmd-runs", type=int, default=3, help="runs of each command and peer (3)")
    parser.add_argument("--import-rows", type=int, default=0, help="CSV rows to import (as many as --offers)")
    parser.add_argument("--import-runs", type=int, default=3, help="imports per tool (3)")
    parser.add_argument(
        "--big-import-rows", type=int, default=0, help="rows for import's memory (10× --import-rows)"
    )
    parser.add_argument("--big-import-runs", type=int, default=1, help="imports of the big CSV (1)")
    parser.add_argument(
        "--only", action="append", choices=GROUPS, help="measure only this group (repeatable)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 300 offers, every figure once")
    parser.add_argument("--cache-dir", type=Path, help="where generated data is kept (temp/nachhaken-bench)")
    args = parser.parse_args(argv)
    args.words = SEARCH_WORDS
    if args.quick:
        args.offers, args.calls, args.runs, args.presses, args.cmd_runs = 300, 900, 1, 4, 1
        args.view_cycles, args.outcomes, args.import_runs, args.big_import_runs = 1, 2, 1, 1
        args.words = SEARCH_WORDS[:1]
    args.import_rows = args.import_rows or args.offers
    args.big_import_rows = args.big_import_rows or 10 * args.import_rows
    args.groups = args.only or GROUPS
    return args


def measure(bench: Bench) -> tuple[list[Figure], list[str], list[str]]:
    """Every figure of the chosen groups; the data they ran on; notes below the table."""
    args, today = bench.args, bench.today
    figures: list[Figure] = []
    data: list[str] = []
    notes: list[str] = []

    def all_due(variant: str, scale: int = 1) -> datagen.Dataset:
        progress(f"Data: all due, {variant}, {args.offers // scale:,} offers")
        dataset = build_all_due(args.offers // scale, args.calls // scale, today, variant)
        line = f"all due, {variant}: {_describe(dataset)}"
        if line not in data:
            data.append(line)
        return dataset

    if "realistic" in args.groups:
        progress("Data: realistic")
        realistic = build_database(args.offers, args.calls, today)
        tiny = build_database(args.small, args.small * 3, today)
        data.append(f"realistic: {_describe(realistic)}")
        db = bench.copy(realistic)
        progress("Realistic: start-up")
        ours, bare = tui.startup(bench, db)
        figures.append(Figure("Start-up, realistic", ours, bare, "ms", "bare app's start-up", 1.25))
        progress("Realistic: cursor, memory, search")
        bare_cursor, bare_peak = tui.bare_cursor(bench)
        few = tui.interact(bench, bench.copy(tiny))
        full = tui.interact(bench, db, words=args.words)
        cursor = "bare app's cursor"
        figures += [
            Figure(
                "Peak memory (RSS), realistic", full.peak_kib / 1024, bare_peak / 1024, "MB", "bare app", 1.3
            ),
            Figure(
                f"Cursor move, {args.small} offers", median_ms(few.cursor), bare_cursor, "ms", cursor, 1.2
            ),
            Figure("Cursor move, realistic", median_ms(full.cursor), bare_cursor, "ms", cursor, 1.2),
            Figure("Search keystroke, realistic", median_ms(full.search), bare_cursor, "ms", cursor, 2.0),
        ]
        notes.append(_search_note("realistic", full))
    if "due" in args.groups:
        progress("`due`")
        figures += commands.due_figures(bench, all_due("saturday"), all_due("saturday", 10))
    if "import" in args.groups:
        progress("`import`")
        figures += commands.import_figures(bench, args.import_rows, args.big_import_rows)
    if "tui" in args.groups:
        for variant, label in TUI_VARIANTS.items():
            db = bench.copy(all_due(variant))
            progress(f"TUI, {label}: start-up")
            ours, bare = tui.startup(bench, db)
            progress(f"TUI, {label}: cursor, search, views, `n`")
            bare_cursor, _ = tui.bare_cursor(bench)
            session = tui.interact(
                bench, db, words=args.words, cycles=args.view_cycles, outcomes=args.outcomes
            )
            cursor = "bare app's cursor"
            figures += [
                Figure(f"TUI start-up, {label}", ours, bare, "ms", "bare app's start-up", 1.2),
                Figure(f"TUI cursor, {label}", median_ms(session.cursor), bare_cursor, "ms", cursor, 1.2),
                Figure(
                    f"TUI search keystroke, {label}",
                    median_ms(session.search),
                    bare_cursor,
                    "ms",
                    cursor,
                    1.5,
                ),
                Figure(
                    f"TUI view switch, {label}", median_ms(session.switches), bare_cursor, "ms", cursor, 2
                ),
                Figure(
                    f"TUI quick outcome `n`, {label}",
                    median_ms(session.outcomes),
                    bare_cursor,
                    "ms",
                    cursor,
                    2,
                ),
            ]
            notes.append(_search_note(f"all due, {label}", session))
    if "commands" in args.groups:
        progress("forget, calendar, stats, export, backup")
        sizes = (all_due("saturday", 10), all_due("saturday"))
        one_client = (all_due("one_client", 10), all_due("one_client"))
        figures += commands.linear_figures(bench, sizes, one_client)
    return figures, data, notes


def _search_note(data: str, session: tui.Interaction) -> str:
    return (
        f"Search ({data}): the filtered inbox shows after {median_ms(session.search):.0f} ms (median); "
        f"the screen has settled, view counts included, after {median_ms(session.search_settled):.0f} ms."
    )


def _describe(dataset: datagen.Dataset) -> str:
    conn = sqlite3.connect(dataset.path)
    try:
        open_, due, saturdays = conn.execute(
            "SELECT count(*), sum(next_due <= ?), sum(strftime('%w', next_due) = '6') FROM offers"
            " WHERE status = 'open'",
            [dataset.today.isoformat()],
        ).fetchone()
    finally:
        conn.close()
    return (
        f"{dataset.offers:,} offers ({open_:,} open, {due or 0:,} due, {saturdays or 0:,} on a Saturday),"
        f" {dataset.calls:,} calls"
    )


def _compile_bytecode() -> None:
    """Compile both apps' modules as an installation would (see `harness._environment`)."""
    import compileall

    import nachhaken_tui

    for folder in (Path(nachhaken_tui.__file__).parent, BASELINE_SCRIPT.parent):
        compileall.compile_dir(folder, quiet=1)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    sys.exit(main())
