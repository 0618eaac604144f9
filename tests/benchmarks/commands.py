"""The commands against their peers (issue 14): wall time and peak memory of whole processes.

Every process (nachhaken's or a peer's) runs under `peak.py`, which reports
its wall time and its own peak resident set; output goes to /dev/null (not
a terminal, so no colour, as in a pipe). The jobs of one figure take turns,
run after run, so both sides meet the same load; each figure is the median.

- `due` on the Saturday variant of the all-due data vs `due_peer.py`;
  `due --json` (time, and its peak memory at 10× the offers);
- `import` of a CSV of as many rows vs `sqlite-utils insert --csv`, each into
  a fresh file; its peak memory at 10× the rows (the 1,000,000-row CSV);
- linear growth: `forget --client` (100 offers of one client, the
  one-client variant), `calendar`, `stats`, `export --format json` and
  `backup`, at 10× the offers: the ratio of the two times;
- named peers at the full size: `backup` vs `backup_peer.py`, `stats` vs
  `stats_peer.py`, `calendar` vs `export --format json`.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks import datagen
from tests.benchmarks.harness import Bench, Figure, progress

__all__ = ["due_figures", "import_figures", "linear_figures"]

HERE = Path(__file__).parent
PEAK = HERE / "peak.py"


@dataclass(frozen=True)
class Run:
    """One process: its wall time (s) and its own peak resident set (KiB)."""

    seconds: float
    peak_kib: int


def run(bench: Bench, argv: list[str]) -> Run:
    """Run `argv` under `peak.py`, output to /dev/null.

    Raises:
        RuntimeError: it failed (its stderr in the message).
    """
    report = bench.work / "peak.txt"
    done = subprocess.run(
        [sys.executable, "-S", "-I", str(PEAK), str(report), *argv],
        env=bench.env,
        cwd=bench.home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    seconds, kib, status = report.read_text(encoding="ascii").split()
    if done.returncode or int(status):
        tail = done.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} failed (exit status {status}): {tail}")
    return Run(float(seconds), int(kib))


def interleave(jobs: dict[str, Callable[[], Run]], runs: int) -> dict[str, list[Run]]:
    """Each job `runs` times, taking turns."""
    results: dict[str, list[Run]] = {name: [] for name in jobs}
    for number in range(runs):
        for name, job in jobs.items():
            progress(f"  {name} ({number + 1}/{runs})")
            results[name].append(job())
    return results


def _ms(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs) * 1000


def _mb(runs: list[Run]) -> float:
    return statistics.median(run.peak_kib for run in runs) / 1024


def due_figures(bench: Bench, big: datagen.Dataset, small: datagen.Dataset) -> list[Figure]:
    """`due` vs the plain script; `due --json`'s time, and its memory at 10× the offers."""
    db, small_db = bench.copy(big), bench.copy(small)
    peer = [sys.executable, str(HERE / "due_peer.py"), str(db), bench.today.isoformat()]
    results = interleave(
        {
            "due": lambda: run(bench, bench.ours(db, "due")),
            "due_peer.py": lambda: run(bench, peer),
            "due --json": lambda: run(bench, bench.ours(db, "due", "--json")),
            "due --json, 10× fewer": lambda: run(bench, bench.ours(small_db, "due", "--json")),
        },
        bench.args.cmd_runs,
    )
    script = "plain sqlite3 script (due_peer.py)"
    return [
        Figure("`due`, all due", _ms(results["due"]), _ms(results["due_peer.py"]), "ms", script, 1.3),
        Figure(
            "`due --json`, all due",
            _ms(results["due --json"]),
            _ms(results["due_peer.py"]),
            "ms",
            script,
            None,
        ),
        Figure(
            "`due --json` peak memory, 10× the offers",
            _mb(results["due --json"]),
            _mb(results["due --json, 10× fewer"]),
            "MB",
            f"the same at {small.offers:,} offers",
            1.2,
        ),
    ]


def import_figures(bench: Bench, rows: int, big_rows: int) -> list[Figure]:
    """`import` vs `sqlite-utils insert --csv`; its peak memory at 10× the rows."""
    csv_file, big_csv = datagen.build_csv(rows), datagen.build_csv(big_rows)
    cli = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) or "sqlite-utils"

    def into_fresh_file(argv: Callable[[Path], list[str]]) -> Run:
        target = bench.work / "import.db"
        try:
            return run(bench, argv(target))
        finally:
            for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                stale.unlink(missing_ok=True)

    def ours(source: Path) -> Callable[[], Run]:
        return lambda: into_fresh_file(
            lambda target: [
                sys.executable,
                "-m",
                "nachhaken_tui",
                "import",
                str(source),
                "--db",
                str(target),
                "--lang",
                "en",
            ]
        )

    results = interleave(
        {
            "import": ours(csv_file),
            "sqlite-utils insert --csv": lambda: into_fresh_file(
                lambda target: [cli, "insert", str(target), "offers", str(csv_file), "--csv"]
            ),
        },
        bench.args.import_runs,
    )
    big = interleave({f"import {big_rows:,} rows": ours(big_csv)}, bench.args.big_import_runs)
    return [
        Figure(
            f"`import`, {rows:,} rows",
            _ms(results["import"]),
            _ms(results["sqlite-utils insert --csv"]),
            "ms",
            "`sqlite-utils insert --csv`",
            1.2,
        ),
        Figure(
            f"`import` peak memory, {big_rows:,} rows",
            _mb(big[f"import {big_rows:,} rows"]),
            _mb(results["import"]),
            "MB",
            f"the same at {rows:,} rows",
            1.2,
        ),
    ]


def linear_figures(
    bench: Bench,
    sizes: tuple[datagen.Dataset, datagen.Dataset],
    one_client: tuple[datagen.Dataset, datagen.Dataset],
) -> list[Figure]:
    """Growth from the small to the big database (budget 11× for 10× the data), and three named peers."""
    small, big = (bench.copy(dataset) for dataset in sizes)

    def forget(dataset: datagen.Dataset) -> Callable[[], Run]:
        def job() -> Run:
            db = bench.copy(dataset)  # forget erases: a fresh copy each time, copied before the clock starts
            try:
                return run(bench, bench.ours(db, "forget", "--client", datagen.ONE_CLIENT, "--yes"))
            finally:
                for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                    stale.unlink(missing_ok=True)

        return job

    def backup(argv: Callable[[Path], list[str]]) -> Callable[[], Run]:
        def job() -> Run:
            target = bench.work / "backup.db"
            try:
                return run(bench, argv(target))
            finally:
                target.unlink(missing_ok=True)

        return job

    jobs: dict[str, Callable[[], Run]] = {
        "forget, small": forget(one_client[0]),
        "forget, big": forget(one_client[1]),
    }
    for command in (("calendar",), ("export", "--format", "json"), ("stats",)):
        jobs[f"{command[0]}, small"] = lambda command=command: run(bench, bench.ours(small, *command))
        jobs[f"{command[0]}, big"] = lambda command=command: run(bench, bench.ours(big, *command))
    jobs["stats_peer.py"] = lambda: run(bench, [sys.executable, str(HERE / "stats_peer.py"), str(big)])
    jobs["backup, small"] = backup(lambda target: bench.ours(small, "backup", "--out", str(target)))
    jobs["backup, big"] = backup(lambda target: bench.ours(big, "backup", "--out", str(target)))
    jobs["backup_peer.py"] = backup(
        lambda target: [sys.executable, str(HERE / "backup_peer.py"), str(big), str(target)]
    )
    results = interleave(jobs, bench.args.cmd_runs)
    at_small = f"the same at {sizes[0].offers:,} offers"
    figures = [
        Figure(
            f"`{name}` growth, ×{sizes[1].offers // sizes[0].offers} offers",
            _ms(results[f"{key}, big"]),
            _ms(results[f"{key}, small"]),
            "ms",
            at_small,
            11,
        )
        for key, name in (
            ("forget", "forget --client"),
            ("calendar", "calendar"),
            ("stats", "stats"),
            ("export", "export --format json"),
            ("backup", "backup"),
        )
    ]
    figures += [
        Figure("`backup` vs SQLite's backup", _ms(results["backup, big"]), _ms(results["backup_peer.py"]), "ms",
               "`Connection.backup` (backup_peer.py)", 2),
        Figure("`stats` vs one pass over the calls", _ms(results["stats, big"]), _ms(results["stats_peer.py"]), "ms",
               "plain Python pass (stats_peer.py)", 3),
        Figure("`calendar` vs `export`", _ms(results["calendar, big"]), _ms(results["export, big"]), "ms",
               "`export --format json`", 3),
    ]  # fmt: skip
    return figures
