"""A footer that keeps the keys that matter when the terminal is too narrow for all.

Textual's `Footer` lays the keys out in binding order and cuts whatever does
not fit, so at 120 columns in German the inbox lost `? Hilfe` and the
close-the-loop `m`, the two a user most needs to find. This footer drops the
least important keys first (`PRIORITY`), keeps the rest in their usual order,
and always keeps `?`, whose keymap lists everything (and says so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

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
    """`Footer`, but what does not fit is chosen, not cut; and only what changed is rebuilt.

    Textual's footer rebuilds all its keys whenever any binding may have
    changed (focus, a key that starts or stops applying): a dozen widgets
    unmounted and mounted again, several times before the first frame and on
    every cursor move that makes `m` appear or go. Here a change of bindings
    is worked out once per refresh, compared with the keys on show, and only
    the keys that come or go are mounted or removed.
    """

    _fitted_width = 0
    """The terminal width the keys were last chosen for."""
    _update_pending = False
    """An update of the keys is scheduled for after the next refresh."""

    def compose(self) -> ComposeResult:
        self._fitted_width = self._width()
        yield from self._fitted()

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _fitted(self) -> list[Widget]:
        """The footer's widgets for the current bindings and width: the keys that fit, then the rest."""
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        others = [w for w in widgets if w not in keys]
        room = self._width() - sum(_width(w) + 2 for w in others if isinstance(w, FooterKey))
        ranked = sorted(keys, key=lambda w: _rank(w.action))
        shown: set[int] = set()
        for key in ranked:
            if _width(key) <= room:
                shown.add(id(key))
                room -= _width(key)
        return [*(w for w in keys if id(w) in shown), *others]

    def bindings_changed(self, screen: Screen) -> None:
        """Update the keys once after this refresh, however many changes of bindings came in it."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._schedule_update()

    def on_resize(self) -> None:
        """A wider or narrower terminal fits other keys."""
        if self.size.width != self._fitted_width:
            self._schedule_update()

    def _schedule_update(self) -> None:
        if not self._update_pending:
            self._update_pending = True
            self.call_after_refresh(self._update_keys)

    def _update_keys(self) -> None:
        """Mount the keys that are new, remove those that went; keep the ones that stay as they are."""
        self._update_pending = False
        if not self.is_attached or not self._bindings_ready:
            return
        self._fitted_width = self._width()
        wanted = self._fitted()
        current = list(self.children)
        if not all(isinstance(w, FooterKey) for w in (*wanted, *current)):
            self.refresh(recompose=True)  # binding groups (labels, key groups): Textual's way
            return
        on_show = {_identity(cast(FooterKey, w)): w for w in current}
        kept = [on_show.get(_identity(cast(FooterKey, w))) for w in wanted]
        staying = [w for w in kept if w is not None]
        if staying != [w for w in current if w in staying]:
            self.refresh(recompose=True)  # the order changed: rebuild
            return
        gone = [w for w in current if w not in staying]
        with self.app.batch_update():
            if gone:
                self.remove_children(gone)
            new: list[Widget] = []
            for widget, old in zip(wanted, kept, strict=True):
                if old is None:
                    new.append(widget)
                elif new:
                    self.mount_all(new, before=old)
                    new = []
            if new:
                self.mount_all(new)


def _identity(key: FooterKey) -> tuple[object, ...]:
    """What a key shows and does: two keys alike in this look and act the same."""
    palette = key.has_class("-command-palette")
    return (key.key, key.key_display, key.description, key.action, key._disabled, key.tooltip, palette)


def _rank(action: str) -> int:
    return PRIORITY.index(action) if action in PRIORITY else len(PRIORITY) - 2
