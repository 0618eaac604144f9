"""Shared fixtures: every test runs with its own database, config and folders.

No test may touch the real user's data folder, config or locale: the
environment is pinned here for all of them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import textual_idle

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.input.phone import load_formatting
from nachhaken_tui.core.schedule.cadence import Cadence

textual_idle.install()  # Pilot waits for the app, not for an idle CPU: see tests/textual_idle.py

TODAY = dt.date(2026, 11, 26)
"""A Thursday; tests pass it explicitly instead of reading the clock."""

load_formatting()
"""The app loads phone formatting in the background after its first frame; loaded
up front here, every screen a test (or a snapshot) sees shows numbers formatted."""


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every nachhaken folder into tmp_path and fix the locale to English."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))  # public holidays are cached there
    monkeypatch.setenv("NACHHAKEN_CONFIG", str(home / "config" / "nachhaken" / "config.toml"))
    monkeypatch.delenv("NACHHAKEN_DB", raising=False)
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database lives (not created yet)."""
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    """A fresh, migrated store with the default cadence (Germany)."""
    opened = Store.open(db_path, Cadence())
    yield opened
    opened.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the long runs marked `slow`")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the `slow` long runs unless `--slow` is given (their short runs stay in)."""
    if config.getoption("--slow"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A pass chosen by marker (`pytest -m serial`) that finds no test is not a failure.

    The test command runs the suite in two passes; pytest's exit code 5 ("no
    tests collected") would fail it on a checkout where one pass is empty.
    """
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED and session.config.getoption("markexpr"):
        session.exitstatus = pytest.ExitCode.OK
