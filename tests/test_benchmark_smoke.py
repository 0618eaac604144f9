"""The benchmark runs (issues 6 and 14): once, tiny, as CI does; it must print every figure's row.

Budgets are never asserted here: timings on a shared CI machine say nothing.
`python -m tests.benchmarks.run` at 100,000 offers is what the README reports.
What is checked besides is that a peer does the same work as nachhaken.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nachhaken_tui.cli import cli
from tests.benchmarks import datagen, due_peer

ROOT = Path(__file__).resolve().parent.parent

FIGURES = (
    "Start-up, realistic",
    "Peak memory (RSS), realistic",
    "Cursor move, 10 offers",
    "Cursor move, realistic",
    "Search keystroke, realistic",
    "`due`, all due",
    "`due --json`, all due",
    "`due --json` peak memory, 10× the offers",
    "`import`, 300 rows",
    "`import` peak memory, 3,000 rows",
    *(
        f"TUI {figure}, {variant}"
        for variant in ("Saturday", "one client")
        for figure in ("start-up", "cursor", "search keystroke", "view switch", "quick outcome `n`")
    ),
    "`forget --client` growth, ×10 offers",
    "`calendar` growth, ×10 offers",
    "`stats` growth, ×10 offers",
    "`export --format json` growth, ×10 offers",
    "`backup` growth, ×10 offers",
    "`backup` vs SQLite's backup",
    "`stats` vs one pass over the calls",
    "`calendar` vs `export`",
)
"""Every row of the table, as `--quick` names them (300 offers, 30 at a tenth)."""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty and /proc")
@pytest.mark.serial  # it times processes on a pty: no xdist neighbours
def test_the_benchmark_runs_once_at_a_tiny_size_and_prints_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.run", "--quick", "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "| Figure | nachhaken | Peer | Peer's | Ratio | Budget | Met? |" in out
    rows = [line.split(" | ")[0].removeprefix("| ") for line in out.splitlines() if line.startswith("| ")]
    assert rows == ["Figure", *FIGURES]
    assert "all due, saturday: 300 offers (300 open, 300 due" in out


def test_the_due_peer_prints_the_lines_nachhaken_due_prints(tmp_path, monkeypatch, capsys):
    """Its reasons but for the business days overdue, which it counts without public holidays
    (which also moves the odd line next to a holiday: the lines are compared as a set)."""
    monkeypatch.setattr(datagen, "CACHE_DIR", tmp_path / "cache")
    today = dt.date(2026, 11, 30)
    dataset = datagen.build_all_due(300, 900, today, "saturday")
    ours = (
        CliRunner()
        .invoke(cli, ["due", "--db", str(dataset.path), "--lang", "en", "--today", today.isoformat()])
        .stdout
    )
    due_peer.main(str(dataset.path), today)
    peer = capsys.readouterr().out

    def lines(output: str) -> list[str]:
        return [re.sub(r"overdue \d+ business days? · ", "overdue · ", line) for line in output.splitlines()]

    assert lines(peer)[0] == lines(ours)[0] == "Due today (Mon 30 Nov 2026): 300"
    assert sorted(lines(peer)) == sorted(lines(ours))
    assert sum("call-back agreed: Sat" in line for line in lines(peer)) > 0
