"""The context every `nachhaken` command and the app share, without Click.

It lives apart from the options that fill it (`common`), so that the app can
open with it when its command line needs no parsing by Click (`quick_start`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nachhaken_tui.core.config import Config, load_config
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.paths import default_config_path, default_db_path
from nachhaken_tui.core.schedule.cadence import Cadence
from nachhaken_tui.core.text.i18n import detect_language

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = ["AppContext"]


@dataclass
class AppContext:
    """What every command needs: settings, language, database path and today.

    Built once from the global options; a command's own `--db` / `--lang`
    override them (so `nachhaken add --db X` and `nachhaken --db X add` agree).
    """

    db_path: Path | None = None
    lang_option: str | None = None
    today_option: dt.date | None = None
    script_option: Path | None = None
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        """The user's config, read once (ConfigError propagates as a message)."""
        if self._config is None:
            self._config = load_config(default_config_path())
        return self._config

    @property
    def lang(self) -> str:
        """--lang, else config, else the locale."""
        if self.lang_option:
            return self.lang_option
        try:
            configured = self.config.language
        except UserError:
            configured = None
        return detect_language(None, configured)

    @property
    def today(self) -> dt.date:
        """The day nachhaken works for (pinned by the hidden --today in tests)."""
        return self.today_option or dt.date.today()

    @property
    def database(self) -> Path:
        """--db, else NACHHAKEN_DB, else the platform's data folder."""
        if self.db_path:
            return self.db_path
        if env := os.environ.get("NACHHAKEN_DB"):
            return Path(env)
        return default_db_path()

    def cadence(self) -> Cadence:
        """The follow-up rules from the config."""
        return Cadence(self.config)

    def open_store(self, *, create: bool = True) -> Store:
        """Open the database, migrated as needed.

        Args:
            create: make a new database (and its folders) when there is none
                at the path yet: for `add`, `import`, `demo` and the app. The
                commands that read or change existing offers pass False, so a
                mistyped `--db` is refused with a message instead of quietly
                becoming a new, empty file.

        Raises:
            StoreError: the file cannot be used, or (`create=False`) there is
                no database at the path yet; nothing was created.
        """
        from nachhaken_tui.core.db.store import Store

        return Store.open(self.database, self.cadence(), create=create)
