"""The benchmark runs (issue 6): once, tiny, as CI does; it must finish and print its table.

Budgets are never asserted here: timings on a shared CI machine say nothing.
`python -m tests.benchmarks.run` at 100,000 offers is what the README reports.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty and /proc"),
    pytest.mark.serial,  # it times processes on a pty: no xdist neighbours
]


def test_the_benchmark_runs_once_at_a_tiny_size_and_prints_its_table(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.run", "--quick", "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "| Figure | nachhaken | Baseline | Ratio | Budget | Met? |" in out
    for figure in (
        "Startup to first frame",
        "Peak memory (RSS)",
        "Cursor move, 10 offers",
        "Cursor move, 300 offers",
        "Search keystroke, 300 offers",
        "`nachhaken due`",
        "Import 300 CSV rows",
    ):
        assert f"| {figure} |" in out
    assert "300 offers (" in out
