"""Where nachhaken keeps its files, and where its shipped assets are.

The database and config live in the platform's user folders (platformdirs);
`--db` / `NACHHAKEN_DB` and `NACHHAKEN_CONFIG` point elsewhere, which is what
tests and power users do.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = [
    "DEMO_FOLDER_PREFIX",
    "asset_path",
    "cache_dir",
    "default_config_path",
    "default_db_path",
    "log_dir",
]

APP_NAME = "nachhaken"

DEMO_FOLDER_PREFIX = "nachhaken-demo-"
"""The temporary folder of a `nachhaken --demo` database starts with this
(and only such a folder is removed when the demo ends)."""

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def asset_path(*parts: str) -> Path:
    """Path of a file under `assets/`.

    An installed wheel carries the assets inside the package
    (`nachhaken_tui/assets`, see pyproject's force-include); a source checkout
    or editable install has them at the repository's top level.
    """
    for root in (_PACKAGE_DIR / "assets", _PACKAGE_DIR.parent / "assets"):
        if root.is_dir():
            return root.joinpath(*parts)
    raise FileNotFoundError("nachhaken's assets folder is missing from this installation")


def default_db_path() -> Path:
    """The database used when neither `--db` nor `NACHHAKEN_DB` is given."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "nachhaken.db"


def default_config_path() -> Path:
    """The config file: `NACHHAKEN_CONFIG`, else the platform config folder."""
    if env := os.environ.get("NACHHAKEN_CONFIG"):
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def log_dir() -> Path:
    """Where crash details go, so that no traceback is printed over the TUI."""
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False))


def cache_dir(*parts: str) -> Path | None:
    """A folder under the user's cache folder; None when there is no home folder for it.

    What is kept there only saves time (public holidays, which shipped
    script was checked already): losing it costs speed, never correctness.
    """
    if sys.platform.startswith("linux"):
        # platformdirs' answer on Linux, without the 3 ms its imports cost `nachhaken due`
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        folder = Path(base) / APP_NAME
    else:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir(APP_NAME, appauthor=False))
    if not folder.is_absolute():  # no HOME: rather do the work every time than write somewhere odd
        return None
    return folder.joinpath(*parts)
