"""Where nachhaken keeps its files, and where its shipped assets are.

The database and config live in the platform's user folders (platformdirs);
`--db` / `NACHHAKEN_DB` and `NACHHAKEN_CONFIG` point elsewhere, which is what
tests and power users do.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEMO_FOLDER_PREFIX", "asset_path", "default_config_path", "default_db_path", "log_dir"]

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
