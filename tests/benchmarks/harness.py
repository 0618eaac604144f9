"""What every measurement shares: the figures and their table, the environment, the commands.

A `Figure` is one row of the benchmark's table: nachhaken's number beside
its peer's, measured in the same run, and the budget for their ratio (from
the issue that set it). `Bench` builds the command lines and the private
environment both sides run in, and keeps the copies of the data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.datagen import Dataset
from tests.benchmarks.pty_session import PtySession

__all__ = ["Bench", "Figure", "median_ms", "progress", "table"]

BASELINE_SCRIPT = Path(__file__).with_name("baseline_app.py")


@dataclass
class Figure:
    """One row of the table: ours against a peer, and the budget for the ratio.

    `budget` None: shown for information, no budget (nothing to meet).
    """

    name: str
    ours: float
    peer: float
    unit: str
    peer_name: str
    budget: float | None

    @property
    def ratio(self) -> float:
        return self.ours / self.peer if self.peer else float("inf")

    @property
    def met(self) -> bool:
        return self.budget is None or self.ratio <= self.budget


def table(figures: list[Figure]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| Figure | nachhaken | Peer | Peer's | Ratio | Budget | Met? |",
        "|---|---:|---|---:|---:|---:|:---:|",
    ]
    for figure in figures:
        budget, met = "–", "–"
        if figure.budget is not None:
            budget, met = f"≤ {figure.budget:g}×", "yes" if figure.met else "**no**"
        lines.append(
            f"| {figure.name} | {_amount(figure.ours, figure.unit)} | {figure.peer_name}"
            f" | {_amount(figure.peer, figure.unit)} | {figure.ratio:.2f}× | {budget} | {met} |"
        )
    return "\n".join(lines)


def _amount(value: float, unit: str) -> str:
    digits = 1 if unit == "MB" or value < 100 else 0
    return f"{value:,.{digits}f} {unit}"


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


_STARTED = time.perf_counter()


def progress(message: str) -> None:
    """A line on stderr, with the seconds since the benchmark started."""
    print(f"[{time.perf_counter() - _STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


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
    """What every measurement needs: the commands, the environment, the work folder.

    The apps run in a fresh home folder of their own (HOME, the XDG folders,
    no config), so no user file is read or written.
    """

    def __init__(self, work: Path, args: argparse.Namespace, today: dt.date):
        self.work = work
        self.home = work / "home"
        self.home.mkdir(exist_ok=True)
        self.env = _environment(self.home)
        self.args = args
        self.today = today
        self._copies = 0

    def copy(self, dataset: Dataset) -> Path:
        """A private copy of a cached database (runs that might write never touch the cache)."""
        self._copies += 1
        target = self.work / f"{dataset.path.stem}-{self._copies}.db"
        shutil.copyfile(dataset.path, target)
        return target

    def ours(self, db: Path, *extra: str) -> list[str]:
        """nachhaken's command line: the TUI, or a command with its options."""
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

    def inbox(self, db: Path, limit: int, view: object = None, search: str = "") -> list:
        """The first offers of a view (Due by default), in the app's order (for the markers)."""
        from nachhaken_tui.core.db.inbox import InboxQuery, View
        from nachhaken_tui.core.db.store import Store

        store = Store.open(db)
        try:
            query = InboxQuery(View(view) if view else View.DUE, search)
            return [due.offer for due in store.page(query, self.today, limit=limit)]
        finally:
            store.close()
