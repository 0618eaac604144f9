"""Small modal dialogs: confirm, lost-with-reason, snooze-to-a-date.

Each is a `ModalScreen[T]` that dismisses with its answer (None = cancelled),
so callers `push_screen(dialog, callback)` and never poke at widgets.
Everything shown that came from a user is plain `Text`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.dates import read_user_date
from nachhaken_tui.core.text.i18n import format_date, format_date_long
from nachhaken_tui.core.text.wording import LOSS_REASONS, loss_reason_choice
from nachhaken_tui.ui.text import UI

if TYPE_CHECKING:
    from nachhaken_tui.core.schedule.cadence import BusinessCalendar

__all__ = ["ConfirmDialog", "DateInput", "LostDialog", "ResolvedDate", "SnoozeDialog", "resolve_date"]


class ResolvedDate(NamedTuple):
    """A typed date for a future call, read for the preview under the field."""

    day: dt.date | None
    """The day, or None while the text is no usable date."""
    shown: str
    """What the preview says: the day and the reading taken, or why it is refused."""
    business_day: dt.date | None = None
    """When `day` is a weekend or public holiday: the next business day, offered instead."""


def resolve_date(
    text: str, today: dt.date, lang: str, calendar: BusinessCalendar | None = None
) -> ResolvedDate:
    """Parse a typed date for a future call: the day, the preview text, and a business day
    to offer when the day is a Saturday, Sunday or public holiday of `calendar`."""
    if not text.strip():
        return ResolvedDate(None, UI.text(lang, "script_date_hint"))
    try:
        day, readings = read_user_date(text, today)
    except UserError as error:
        return ResolvedDate(None, error.message(lang))
    if day < today:
        return ResolvedDate(None, UI.text(lang, "date_past"))
    shown = UI.text(lang, "script_date_resolved", date=format_date_long(day, lang))
    if readings:
        shown += " (" + "; ".join(reading.text(lang) for reading in readings) + ")"
    if calendar is None or calendar.is_business_day(day):
        return ResolvedDate(day, shown)
    better = calendar.add_business_days(day, 0)
    what = UI.text(lang, f"weekday_{day.weekday()}") if day.weekday() >= 5 else UI.text(lang, "a_holiday")
    shown += "\n" + UI.text(lang, "date_not_business", what=what, better=format_date(better, lang))
    return ResolvedDate(day, shown, better)


class DateInput(Input):
    """A date field whose ↓ takes the business day the preview offers for a weekend or holiday."""

    BINDINGS = [Binding("down", "take_business_day", show=False)]

    business_day: dt.date | None = None
    """The day ↓ puts in, set by whoever shows the preview (None: ↓ does nothing here)."""

    def action_take_business_day(self) -> None:
        if self.business_day is None:
            raise SkipAction()
        day = self.business_day
        self.value = f"{day.day}.{day.month}.{day.year}"
        self.cursor_position = len(self.value)


class _Dialog(ModalScreen):
    """Shared frame: a titled box; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, lang: str, subject: str | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.subject = subject
        """The offer the dialog acts on ("Müller & Söhne · Website-Relaunch"), shown under the title."""

    def compose_title(self, title: str) -> ComposeResult:
        """The title in bold, and under it the offer the answer applies to (user text, plain)."""
        heading = Text(title, style="bold")
        if self.subject:
            heading.append("\n" + self.subject, style="not bold")
        yield Static(heading, classes="dialog-title")

    def t(self, key: str, **fields: object) -> str:
        return UI.text(self.lang, key, **fields)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(_Dialog):
    """Yes or no; the safe answer (cancel, keep calling) has the focus, so Enter is safe.

    ←/→ move between the buttons; j/n (German) or y/n (English) answer
    directly, as the button labels say.
    """

    BINDINGS = [
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
        Binding("j", "answer_key('j')", show=False),
        Binding("y", "answer_key('y')", show=False),
        Binding("n", "answer_key('n')", show=False),
    ]

    def __init__(self, lang: str, title: str, body: str, yes: str, no: str) -> None:
        super().__init__(lang)
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        yes_key = "j" if self.lang == "de" else "y"
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(Text(self.body))
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.no} (n)", id="no", variant="primary")
                yield Button(f"{self.yes} ({yes_key})", id="yes", variant="error")
            yield Static(self.t("confirm_keys", yes=yes_key), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer_key(self, key: str) -> None:
        """n says no; only the language's own yes letter says yes (j in German, y in English),
        so a vi user's j in an English dialog never erases or discards anything."""
        if key == "n":
            self.dismiss(False)
        elif key == ("j" if self.lang == "de" else "y"):
            self.dismiss(True)

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
            Option(f"{n}  {loss_reason_choice(reason, self.lang)}", id=reason)
            for n, reason in enumerate(LOSS_REASONS, start=1)
        ]
        options.append(Option(f"{len(options) + 1}  {loss_reason_choice('other', self.lang)} …", id="other"))
        with Vertical(classes="dialog"):
            yield from self.compose_title(self.t("lost_title"))
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

    def __init__(
        self, lang: str, today: dt.date, calendar: BusinessCalendar | None = None, subject: str | None = None
    ) -> None:
        super().__init__(lang, subject)
        self.today = today
        self.calendar = calendar

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.compose_title(self.t("snooze_title"))
            yield DateInput(placeholder=self.t("script_date_hint"), id="date")
            yield Static(self.t("script_date_hint"), id="resolved", classes="dialog-hint")
            yield Checkbox(self.t("snooze_client_away"), id="client-away")
            yield Input(placeholder=self.t("snooze_reason"), id="reason")
            yield Static(self.t("dialog_keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    @on(Input.Changed, "#date")
    def preview(self, event: Input.Changed) -> None:
        resolved = resolve_date(event.value, self.today, self.lang, self.calendar)
        self.query_one("#date", DateInput).business_day = resolved.business_day
        self.query_one("#resolved", Static).update(Text(resolved.shown))

    @on(Input.Submitted, "#date")
    def date_entered(self, event: Input.Submitted) -> None:
        if resolve_date(event.value, self.today, self.lang).day is not None:
            self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def reason_entered(self, event: Input.Submitted) -> None:
        day = resolve_date(self.query_one("#date", Input).value, self.today, self.lang).day
        if day is None:
            self.query_one("#date", Input).focus()
            return
        self.dismiss((day, event.value.strip(), self.query_one("#client-away", Checkbox).value))
