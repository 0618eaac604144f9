"""Ctrl+P's command palette in the user's language.

Textual's palette says "No matches found" in English whatever the app
speaks; `LocalizedPalette` says it in German too. The text is set in a
private method of Textual's `CommandPalette` (`_start_no_matches_countdown`),
so the override is used only while that method exists, and a test checks the
German words appear (it fails the day Textual changes this, instead of the
app quietly speaking English again).
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from nachhaken_tui.ui.text import UI

__all__ = ["LocalizedPalette"]

_CAN_LOCALIZE = all(
    hasattr(CommandPalette, name)
    for name in (
        "_start_no_matches_countdown",
        "_stop_no_matches_countdown",
        "_NO_MATCHES",
        "_NO_MATCHES_COUNTDOWN",
    )
)


class LocalizedPalette(CommandPalette):
    """The command palette with its placeholder and "no matches" in `lang`."""

    def __init__(self, lang: str) -> None:
        super().__init__(placeholder=UI.text(lang, "palette_placeholder"))
        self.lang = lang

    if _CAN_LOCALIZE:

        def _start_no_matches_countdown(self, search_value: str) -> None:
            """As Textual's, with the words in the user's language."""
            self._stop_no_matches_countdown()

            def show_no_matches() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(
                        Option(
                            Align.center(Text(UI.text(self.lang, "palette_no_matches"), style="not bold")),
                            disabled=True,
                            id=self._NO_MATCHES,
                        )
                    )
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
