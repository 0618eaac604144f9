"""`?`: the whole keymap, grouped by where it applies, in the user's language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nachhaken_tui.ui.text import UI

__all__ = ["HelpScreen", "KEYMAP"]

KEYMAP: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "help_inbox",
        [
            ("↑ ↓  j k", "help_move"),
            ("Enter", "help_start"),
            ("a", "help_add"),
            ("e", "help_edit"),
            ("/", "help_search"),
            ("v", "help_view"),
            ("o", "help_sort"),
            ("w", "help_won"),
            ("l", "help_lost"),
            ("n", "help_no_answer"),
            ("s", "help_snooze"),
            ("b", "help_block"),
            ("d", "help_archive"),
            ("r", "help_reopen"),
            ("x", "help_validity"),
            ("u, Ctrl+Z", "help_undo"),
            ("t", "help_stats"),
            ("X", "help_forget"),
        ],
    ),
    (
        "help_script",
        [
            ("1 … 9", "help_pick"),
            ("Enter", "help_confirm"),
            ("Esc", "help_back"),
            ("k", "help_qr"),
            ("e", "help_edit"),
        ],
    ),
    (
        "help_everywhere",
        [
            ("y", "help_copy_phone"),
            ("h", "help_history"),
            ("m", "help_close_loop"),
            ("S", "help_revised_sent"),
            ("Tab", "help_focus"),
            ("Ctrl+P", "help_palette"),
            ("Ctrl+P", "help_away"),
            ("?", "help_help"),
            ("q", "help_quit"),
        ],
    ),
]
"""The keymap as (section, [(keys, description)]); the README's table mirrors it."""


class HelpScreen(ModalScreen[None]):
    """The keymap; Esc, q or ? closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", show=False)]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(Text(UI.text(self.lang, "help_title"), style="bold"), classes="dialog-title")
            yield Static(UI.text(self.lang, "help_footer"), classes="dialog-hint help-footer")
            yield Static(self._table())
            yield Static(UI.text(self.lang, "help_close"), classes="dialog-hint")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, rows in KEYMAP:
            table.add_row(Text(UI.text(self.lang, section), style="underline"), "")
            for keys, description in rows:
                table.add_row(keys, UI.text(self.lang, description))
            table.add_row("", "")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
