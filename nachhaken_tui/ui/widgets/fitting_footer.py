"""A footer that keeps the keys that matter when the terminal is too narrow for all.

Textual's `Footer` lays the keys out in binding order and cuts whatever does
not fit, so at 120 columns in German the inbox lost `? Hilfe` and the
close-the-loop `m`, the two a user most needs to find. This footer drops the
least important keys first (`PRIORITY`), keeps the rest in their usual order,
and always keeps `?`, whose keymap lists everything (and says so).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["PRIORITY", "FittingFooter"]

PRIORITY = (
    "app.help",
    "help",
    "select",
    "save",
    "back",
    "close_loop",
    "quick_won",
    "quick_lost",
    "quick_no_answer",
    "quick_snooze",
    "reopen",
    "stats",
    "block",
    "search",
    "next_view",
    "add_offer",
    "app.quit_app",
    "quit_app",
)
"""Actions from most to least important; others come after these, in binding order."""


def _width(key: FooterKey) -> int:
    """Cells a key takes in the (non-compact) footer: " k Label "."""
    return cell_len(key.key_display) + cell_len(key.description) + 3


class FittingFooter(Footer):
    """`Footer`, but what does not fit is chosen, not cut."""

    _fitted_width = 0
    """The terminal width the keys were last chosen for."""

    def compose(self) -> ComposeResult:
        self._fitted_width = width = self.size.width or self.app.size.width
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        others = [w for w in widgets if w not in keys]
        room = width - sum(_width(w) + 2 for w in others if isinstance(w, FooterKey))
        ranked = sorted(keys, key=lambda w: _rank(w.action))
        shown: set[int] = set()
        for key in ranked:
            if _width(key) <= room:
                shown.add(id(key))
                room -= _width(key)
        yield from (w for w in keys if id(w) in shown)
        yield from others

    def on_resize(self) -> None:
        """A wider or narrower terminal fits other keys."""
        if self.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)


def _rank(action: str) -> int:
    return PRIORITY.index(action) if action in PRIORITY else len(PRIORITY) - 2
