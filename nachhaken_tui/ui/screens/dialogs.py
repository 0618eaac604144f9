"""Small modal dialogs: confirm, lost-with-reason, snooze-to-a-date.

Each is a `ModalScreen[T]` that dismisses with its answer (None = cancelled),
so callers `push_screen(dialog, callback)` and never poke at widgets.
Everything shown that came from a user is plain `Text`.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.i18n import format_date_long
from nachhaken_tui.core.parsing import parse_user_date
from nachhaken_tui.core.wording import LOSS_REASONS, loss_reason_label
from nachhaken_tui.ui.text import UI

__all__ = ["ConfirmDialog", "LostDialog", "SnoozeDialog", "resolve_date"]


def resolve_date(text: str, today: dt.date, lang: str) -> tuple[dt.date | None, str]:
    """Parse a typed date for a future call; returns (date or None, what to show)."""
    if not text.strip():
        return None, UI.text(lang, "script_date_hint")
    try:
        day = parse_user_date(text, today)
    except UserError as error:
        return None, error.message(lang)
    if day < today:
        return None, UI.text(lang, "date_past")
    return day, UI.text(lang, "script_date_resolved", date=format_date_long(day, lang))


class _Dialog(ModalScreen):
    """Shared frame: a titled box; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def t(self, key: str, **fields: object) -> str:
        return UI.text(self.lang, key, **fields)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(_Dialog):
    """Yes or no; the safe answer (cancel, keep calling) has the focus."""

    def __init__(self, lang: str, title: str, body: str, yes: str, no: str) -> None:
        super().__init__(lang)
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(Text(self.body))
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.no, id="no", variant="primary")
                yield Button(self.yes, id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class LostDialog(_Dialog):
    """Pick a loss reason by number, arrows or a typed "other"."""

    BINDINGS = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 9)]

    def compose(self) -> ComposeResult:
        options = [
            Option(f"{n}  {loss_reason_label(reason, self.lang)}", id=reason)
            for n, reason in enumerate(LOSS_REASONS, start=1)
        ]
        options.append(Option(f"{len(options) + 1}  {self.t('lost_other')}", id="other"))
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("lost_title"), style="bold"), classes="dialog-title")
            yield OptionList(*options, id="reasons")
            yield Input(placeholder=self.t("lost_other_placeholder"), id="other", classes="hidden")
            yield Static(self.t("dialog_keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_pick(self, number: int) -> None:
        if isinstance(self.focused, Input):
            return
        options = self.query_one(OptionList)
        options.highlighted = number - 1
        options.action_select()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "other":
            field = self.query_one("#other", Input)
            field.remove_class("hidden")
            field.focus()
        else:
            self.dismiss(event.option.id)

    @on(Input.Submitted, "#other")
    def typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class SnoozeDialog(_Dialog):
    """A date (typed the way people say it), whether the client is away until then, and an optional reason.

    Dismisses with (date, reason, client_away). "Client away until this date"
    (Tab to it from the date, Space ticks it, Tab on to the reason) makes the
    offer show "client back on …" and return that day as an agreed date.
    """

    def __init__(self, lang: str, today: dt.date) -> None:
        super().__init__(lang)
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("snooze_title"), style="bold"), classes="dialog-title")
            yield Input(placeholder=self.t("script_date_hint"), id="date")
            yield Static(self.t("script_date_hint"), id="resolved", classes="dialog-hint")
            yield Checkbox(self.t("snooze_client_away"), id="client-away")
            yield Input(placeholder=self.t("snooze_reason"), id="reason")
            yield Static(self.t("dialog_keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    @on(Input.Changed, "#date")
    def preview(self, event: Input.Changed) -> None:
        _, shown = resolve_date(event.value, self.today, self.lang)
        self.query_one("#resolved", Static).update(Text(shown))

    @on(Input.Submitted, "#date")
    def date_entered(self, event: Input.Submitted) -> None:
        day, _ = resolve_date(event.value, self.today, self.lang)
        if day is not None:
            self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def reason_entered(self, event: Input.Submitted) -> None:
        day, _ = resolve_date(self.query_one("#date", Input).value, self.today, self.lang)
        if day is None:
            self.query_one("#date", Input).focus()
            return
        self.dismiss((day, event.value.strip(), self.query_one("#client-away", Checkbox).value))
