"""Opening the TUI from the command line, without the command line importing Textual.

Everything that can fail for a user reason (the database, the config, the
script file) is checked here, before the terminal switches into the app, so
it is reported as one plain line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nachhaken_tui.commands.common import AppContext

__all__ = ["run_tui"]


def run_tui(context: AppContext, *, demo: bool = False) -> int:
    """Open the app on the user's database (or a fresh demo one); return the exit code."""
    from nachhaken_tui.core.script import load_default_script, load_script

    if demo:
        from nachhaken_tui.core.demo import demo_database

        context.db_path = demo_database(context.today)
    lang = context.lang
    script_path = context.script_option or (Path(context.config.script) if context.config.script else None)
    script = load_script(script_path) if script_path else load_default_script(lang)
    store = context.open_store()
    try:
        from nachhaken_tui.ui.app import NachhakenApp

        app = NachhakenApp(store, script, lang=lang, today=context.today)
        result = app.run()
    finally:
        store.close()
    if app.crash_message:
        print(app.crash_message, file=sys.stderr)
    return app.return_code or result or 0
