"""Workarounds for Textual bugs that nachhaken's users can hit; applied on import.

Each is small and named after what it fixes, and is applied only while
Textual still has the internals it relies on, so an upgrade that reworks
them drops the workaround instead of breaking the app.
"""

from __future__ import annotations

from typing import Any, Literal

from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widgets import OptionList

__all__ = ["apply"]


def _page_moves_wait_for_layout() -> None:
    """PageUp/PageDown in an OptionList that has not been laid out yet.

    `OptionList._move_page` looks the highlighted option up in its line
    cache, which stays empty while the list has no size: right after it was
    shown (the call script's answer list when a choice step follows a text
    step), or while the command palette rebuilds its results. A PageUp in
    that moment raised KeyError and ended the app (found by the monkey test,
    issue 7; the same crash is reported against Textual's Select). Textual's
    own `scroll_to_highlight` ignores the key in that case; so does this: the
    next PageUp, a frame later, works.
    """
    original = OptionList._move_page
    if getattr(original, "_nachhaken_fix", False):
        return

    def _move_page(self: OptionList, direction: Literal[-1, 1]) -> None:
        if self._options and (self.highlighted or 0) not in self._index_to_line:
            return
        original(self, direction)

    _move_page._nachhaken_fix = True  # type: ignore[attr-defined]  # a marker on our own function
    OptionList._move_page = _move_page  # type: ignore[method-assign]  # the patch itself (see above)


def _dismiss_only_the_top_screen() -> None:
    """A dialog answered twice, or a key that reaches a screen already on its way out.

    `Screen.dismiss` pops whatever screen is on top, not the one dismissed:
    Enter pressed twice on a dialog's button queues two `Pressed` messages,
    and the second dismiss popped the screen below the dialog (the main
    screen: `ScreenStackError`, seen by the monkey test once in 5,000 keys),
    or a screen the first answer had just opened. A screen that is no longer
    the top one has been answered already (or another screen covers it), so
    its dismiss does nothing now.
    """
    original = Screen.dismiss
    if getattr(original, "_nachhaken_fix", False):
        return

    def dismiss(self: Screen[Any], result: Any = None) -> AwaitComplete:
        if not self.is_attached or self.app.screen is not self:
            nothing: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]  # unannotated in Textual
            return nothing
        return original(self, result)

    dismiss._nachhaken_fix = True  # type: ignore[attr-defined]
    dismiss.__doc__ = original.__doc__
    Screen.dismiss = dismiss  # type: ignore[method-assign]


def apply() -> None:
    """Apply every workaround (idempotent)."""
    if hasattr(OptionList, "_move_page") and hasattr(OptionList, "_index_to_line"):
        _page_moves_wait_for_layout()
    if hasattr(AwaitComplete, "nothing"):
        _dismiss_only_the_top_screen()
