"""Dialogs of the tenth call: your own details, and reopening after a mistaken close.

`ProfileDialog` dismisses with a `Profile` (Enter) or None (Esc: skipped);
`ReopenDialog` with True (the closing call was a mistake), False (just
reopen) or None (Esc: nothing happens).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from nachhaken_tui.core.config import Profile
from nachhaken_tui.ui.screens.dialogs import ConfirmDialog, _Dialog

__all__ = ["ProfileDialog", "ReopenDialog"]


class ProfileDialog(_Dialog):
    """Name, phone number and e-mail signature; every field optional."""

    BINDINGS = [Binding("enter", "next_field", show=False, priority=True)]

    def __init__(self, lang: str, profile: Profile) -> None:
        super().__init__(lang)
        self.profile = profile

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="profile"):
            yield Static(Text(self.t("profile_title"), style="bold"), classes="dialog-title")
            yield Static(Text(self.t("profile_intro")))
            for key in ("name", "phone", "signature"):
                yield Static(Text(self.t(f"profile_{key}"), style="dim"))
                yield Input(getattr(self.profile, key), id=f"me-{key}")
            yield Static(self.t("profile_keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#me-name", Input).focus()

    def action_next_field(self) -> None:
        """Enter: on to the next field; in the last one, save.

        A priority binding rather than `Input.Submitted`: the focus moves while
        the Enter key is handled, so what is typed right after it lands in the
        next field (a message would arrive after keys typed ahead).
        """
        fields = list(self.query(Input))
        focused = self.focused
        index = fields.index(focused) if focused in fields else len(fields) - 1
        if index + 1 < len(fields):
            fields[index + 1].focus()
            return
        keys = ("name", "phone", "signature")
        self.dismiss(Profile(**{key: self.query_one(f"#me-{key}", Input).value.strip() for key in keys}))


class ReopenDialog(ConfirmDialog):
    """ "Was the closing call a mistake?"; Esc changes nothing (unlike a plain confirm)."""

    def action_cancel(self) -> None:
        self.dismiss(None)
