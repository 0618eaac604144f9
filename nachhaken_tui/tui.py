"""Opening the TUI from the command line, without the command line importing Textual.

Everything that can fail for a user reason (the database, the config, the
script file) is checked here, before the terminal switches into the app, so
it is reported as one plain line.
"""

from __future__ import annotations

import gc
import shutil
import signal
import sys
from pathlib import Path

from nachhaken_tui.commands.context import AppContext
from nachhaken_tui.core.paths import DEMO_FOLDER_PREFIX

__all__ = ["run_tui"]


def run_tui(context: AppContext, *, demo: bool = False) -> int:
    """Open the app on the user's database (or a fresh demo one); return the exit code.

    A demo database lives in a private temporary folder that goes when the
    app ends (`nachhaken demo --db PATH` keeps one); left behind, every demo
    would leave a copy of the demo data in the temp folder.
    """
    if not demo:
        return _run(context, demo=False)
    if hasattr(signal, "SIGHUP"):
        # A closed terminal window sends SIGHUP, which would end the process
        # without this cleanup; as an exit it runs the `finally` below.
        signal.signal(signal.SIGHUP, _hang_up)
    try:
        return _run(context, demo=True)
    finally:
        if context.db_path is not None and context.db_path.parent.name.startswith(DEMO_FOLDER_PREFIX):
            shutil.rmtree(context.db_path.parent, ignore_errors=True)


def _hang_up(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _run(context: AppContext, *, demo: bool) -> int:
    # Startup creates a few hundred thousand objects that live as long as the
    # process (Textual, Rich, sqlite-utils, our modules). While they pile up,
    # the cyclic garbage collector keeps scanning them: a full collection
    # landed in the first page fetch and cost ~25 ms before the first frame.
    # So collection pauses while we import and open, and what exists then is
    # frozen (`gc.freeze`, never scanned again); later collections look only
    # at what the app itself creates. Reference counting frees memory as usual.
    # Collection stays off until the app's first frame (the main screen turns
    # it back on, `NachhakenApp.first_frame_shown`): composing, laying out and
    # drawing it set off some 120 collections, ~14 ms of the start-up.
    gc.disable()
    try:
        from nachhaken_tui.core.script.loader import load_default_script, load_script

        if demo:
            from nachhaken_tui.core.demo import demo_database

            context.db_path = demo_database(context.today)
        lang = context.lang
        script_path = context.script_option or (
            Path(context.config.script) if context.config.script else None
        )
        script = load_script(script_path) if script_path else load_default_script(lang)
        from nachhaken_tui.ui.app import NachhakenApp

        store = context.open_store()
        gc.freeze()
    except BaseException:
        gc.enable()
        raise
    try:
        from nachhaken_tui.core.paths import default_config_path

        app = NachhakenApp(
            store,
            script,
            lang=lang,
            today=context.today,
            config=context.config,
            config_path=None if demo else default_config_path(),
        )
        result = app.run()
    finally:
        gc.enable()  # had the app ended before its first frame
        store.close()
    if app.crash_message:
        print(app.crash_message, file=sys.stderr)
    return app.return_code or result or 0
