"""The Textual application: settings in, the main screen up, crashes caught.

The app owns what lives as long as the process: the store, the language,
"today", and the call script. Screens do the work.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from nachhaken_tui.core.config import Config
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.schedule.cadence import Cadence
from nachhaken_tui.core.script.model import Script
from nachhaken_tui.ui.bindings import localize_bindings
from nachhaken_tui.ui.screens.help import HelpScreen
from nachhaken_tui.ui.screens.main import MainScreen
from nachhaken_tui.ui.text import UI
from nachhaken_tui.ui.textual_fixes import apply as apply_textual_fixes

__all__ = ["NachhakenApp"]

apply_textual_fixes()  # see ui/textual_fixes.py: crashes in Textual itself that users can hit


class NachhakenApp(App[int]):
    """nachhaken's TUI.

    Args:
        store: the open database (the caller opens it, so a bad file is
            reported before the terminal switches to the app).
        script: the call script in the user's language.
        lang: "de" or "en".
        today: the day to work for (tests pin it).
        config: the user's settings (country for phone numbers, currency).
        config_path: the config file, where your own details (`[me]`) are
            saved; None (tests, unless they ask) never asks for them.
    """

    CSS_PATH = "app.tcss"
    TITLE = "nachhaken"

    BINDINGS = [
        Binding("q", "quit_app", "key_quit"),
        Binding("ctrl+q", "quit_app", "key_quit", show=False, priority=True),
        Binding("question_mark", "help", "key_help", key_display="?"),
        Binding("ctrl+p", "command_palette", "key_palette", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        script: Script,
        *,
        lang: str,
        today: dt.date,
        config: Config | None = None,
        config_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.script = script
        self.lang = lang
        self.today = today
        self.config = config or Config()
        self.config_path = config_path
        self.crash_message: str | None = None
        """Set when an unexpected error ended the app; printed after the terminal is restored."""
        localize_bindings(self, lang)

    def _handle_exception(self, error: Exception) -> None:
        """Unexpected errors: log the details, restore the terminal, say one line.

        Textual's default prints a full traceback with local variables, which
        would put tracebacks (and client data in locals) in front of users.
        Pilot still re-raises the error in tests.
        """
        from nachhaken_tui.crash import report_crash

        self._return_code = 2
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self.crash_message = report_crash(error, self.lang)
        self._close_messages_no_wait()

    @property
    def cadence(self) -> Cadence:
        """The follow-up rules the store schedules with."""
        return self.store.cadence

    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    def first_frame_shown(self) -> None:
        """What waits for the first frame (the main screen calls this after it).

        The garbage collector comes back on (`tui.py` keeps it off through
        the start-up), and the phone formatting (60 ms) loads in a background
        thread: not at mount, as the thread's import holds the GIL for much
        of its time, so started any earlier it would slow the first frame
        down by about as much.
        """
        gc.enable()
        self.run_worker(self._load_phone_formatting, thread=True, group="phone-format")

    def _load_phone_formatting(self) -> None:
        from nachhaken_tui.core.input.phone import load_formatting

        load_formatting()
        from nachhaken_tui.ui.screens.main import MainScreen

        main = self.screen_stack[0] if self.screen_stack else None
        if isinstance(main, MainScreen) and self.is_running:
            try:
                self.call_from_thread(main.refresh_card)
            except RuntimeError:
                pass  # the app closed while the formatting loaded: nothing left to redraw

    def action_command_palette(self) -> None:
        """Ctrl+P: every action of the screen by name, in the user's language."""
        if not CommandPalette.is_open(cast("App[object]", self)):  # Textual types it for App[object]
            from nachhaken_tui.ui.palette import LocalizedPalette

            self.push_screen(LocalizedPalette(self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's entries: the screen's actions that apply now, then help and quit,
        each with its key ("Archivieren  d"), so the palette teaches the keys."""
        bindings = getattr(screen, "BINDINGS", ())
        keys = {binding.action: binding.key_display or binding.key for binding in bindings}
        for action, title, help_key in getattr(screen, "PALETTE", ()):
            if screen.check_action(action, ()):
                yield SystemCommand(
                    _with_key(UI.text(self.lang, title), keys.get(action)),
                    UI.text(self.lang, help_key),
                    partial(screen.run_action, action),
                )
        yield SystemCommand(
            _with_key(UI.text(self.lang, "key_help"), "?"), UI.text(self.lang, "help_help"), self.action_help
        )
        yield SystemCommand(
            _with_key(UI.text(self.lang, "key_quit"), "q"),
            UI.text(self.lang, "help_quit"),
            self.action_quit_app,
        )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang))

    def action_quit_app(self) -> None:
        """q, Ctrl+Q: quit, asking first wherever typed input would be lost.

        Every screen on the stack that holds unsaved input (a call script with
        answers, an offer form with changes) has `confirm_discard_then`; they
        are asked top first, and the app ends only once each has agreed.
        Textual's own Ctrl+Q would end the app at once, answers and all.
        """
        guards = [screen for screen in reversed(self.screen_stack) if hasattr(screen, "confirm_discard_then")]

        def ask(index: int) -> None:
            if index == len(guards):
                self.exit(0)
            else:
                guards[index].confirm_discard_then(lambda: ask(index + 1))

        ask(0)

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's hint that it does not quit, in the user's language."""
        self.notify(UI.text(self.lang, "ctrl_c_hint"), markup=False)


def _with_key(title: str, key: str | None) -> str:
    """A palette entry's title with the key that does the same: "Archivieren  d"."""
    return f"{title}  {key}" if key else title
