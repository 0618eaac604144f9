"""Dialogs for time: an expired offer (extend or close), and the user's time away.

`ExpiredDialog` dismisses with ("extend", date), ("close", None) or None;
`AwayScreen` enters and removes periods itself (through `core.db.absences`,
each change one transaction) and dismisses with True when anything changed,
so the inbox reloads. User text (a period's note) is shown as plain Text.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from nachhaken_tui.core.db.absences import add_absence, list_absences, period_text, remove_absence
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.dates import parse_user_date
from nachhaken_tui.core.models import Offer
from nachhaken_tui.core.text.i18n import Catalog, format_date
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.ui.screens.dialogs import _Dialog, resolve_date

if TYPE_CHECKING:
    from nachhaken_tui.core.db.store import Store

__all__ = ["TIME", "AwayScreen", "ExpiredDialog"]

TIME = Catalog(
    {
        "expired_title": {"de": "Abgelaufen am {date}", "en": "Expired {date}"},
        "expired_extend": {"de": "Gültigkeit verlängern bis …", "en": "Extend the validity until …"},
        "expired_close": {"de": "Als verloren schließen (abgelaufen)", "en": "Close as lost (expired)"},
        "expired_question": {"de": "Gültigkeit verlängert bis", "en": "Validity extended until"},
        "expired_keys": {
            "de": "1/2 wählen · Enter bestätigt · Esc bricht ab",
            "en": "1/2 picks · Enter confirms · Esc cancels",
        },
        "away_title": {"de": "Abwesenheiten", "en": "Time away"},
        "away_none": {"de": "Noch keine eingetragen.", "en": "None entered yet."},
        "away_from": {"de": "Von (z. B. 21.12., morgen)", "en": "From (e.g. 2026-12-21, tomorrow)"},
        "away_to": {"de": "Bis (letzter freier Tag)", "en": "To (last day away)"},
        "away_note": {"de": "Notiz (optional)", "en": "Note (optional)"},
        "away_keys": {
            "de": "Enter im Notizfeld trägt ein · Entf löscht den gewählten Zeitraum · Esc schließt",
            "en": "Enter in the note adds it · Delete removes the selected period · Esc closes",
        },
        "away_added": {
            "de": "Eingetragen: {period}. Neue Termine: {n}.",
            "en": "Entered: {period}. Offers with a new date: {n}.",
        },
        "away_removed": {
            "de": "Gelöscht: {period}. Neue Termine: {n}.",
            "en": "Removed: {period}. Offers with a new date: {n}.",
        },
        "away_bad_date": {"de": "{field}: {reason}", "en": "{field}: {reason}"},
    }
)


class ExpiredDialog(_Dialog):
    """An expired offer: 1 extends it to a typed date, 2 closes it as lost ("expired")."""

    BINDINGS = [Binding("1", "pick(0)", show=False), Binding("2", "pick(1)", show=False)]

    def __init__(self, lang: str, today: dt.date, offer: Offer) -> None:
        super().__init__(lang)
        self.today = today
        self.offer = offer

    def compose(self) -> ComposeResult:
        expired = format_date(self.offer.valid_until or self.today, self.lang)
        with Vertical(classes="dialog"):
            yield Static(
                Text(TIME.text(self.lang, "expired_title", date=expired), style="bold"),
                classes="dialog-title",
            )
            yield Static(Text(terminal_safe(f"{self.offer.client} · {self.offer.title}")))
            yield OptionList(
                Option(f"1  {TIME.text(self.lang, 'expired_extend')}", id="extend"),
                Option(f"2  {TIME.text(self.lang, 'expired_close')}", id="close"),
                id="choices",
            )
            yield Input(placeholder=self.t("script_date_hint"), id="date", classes="hidden")
            yield Static("", id="resolved", classes="dialog-hint hidden")
            yield Static(TIME.text(self.lang, "expired_keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_pick(self, index: int) -> None:
        if isinstance(self.focused, Input):
            return
        choices = self.query_one(OptionList)
        choices.highlighted = index
        choices.action_select()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "close":
            self.dismiss(("close", None))
            return
        for widget in (self.query_one("#date", Input), self.query_one("#resolved", Static)):
            widget.remove_class("hidden")
        self.query_one("#date", Input).focus()

    @on(Input.Changed, "#date")
    def preview(self, event: Input.Changed) -> None:
        shown = resolve_date(event.value, self.today, self.lang).shown
        self.query_one("#resolved", Static).update(Text(shown))

    @on(Input.Submitted, "#date")
    def entered(self, event: Input.Submitted) -> None:
        day = resolve_date(event.value, self.today, self.lang).day
        if day is not None:
            self.dismiss(("extend", day))


class AwayScreen(_Dialog):
    """The periods the user is away: listed, entered (From, To, Note) and removed (Delete)."""

    BINDINGS = [Binding("delete", "remove", show=False)]

    def __init__(self, lang: str, today: dt.date, store: Store) -> None:
        super().__init__(lang)
        self.today = today
        self.store = store
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(TIME.text(self.lang, "away_title"), style="bold"), classes="dialog-title")
            yield OptionList(id="periods")
            with Horizontal(classes="away-dates"):
                yield Input(placeholder=TIME.text(self.lang, "away_from"), id="from")
                yield Input(placeholder=TIME.text(self.lang, "away_to"), id="to")
            yield Input(placeholder=TIME.text(self.lang, "away_note"), id="note")
            yield Static("", id="away-message", classes="dialog-hint")
            yield Static(TIME.text(self.lang, "away_keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#from", Input).focus()

    def _fill(self) -> None:
        periods = self.query_one("#periods", OptionList)
        periods.clear_options()
        absences = list_absences(self.store)
        for absence in absences:
            line = Text(f"#{absence.id}  {period_text(absence, self.lang)}")
            if absence.note:
                line.append(f"  {terminal_safe(absence.note)}", style="dim")
            periods.add_option(Option(line, id=str(absence.id)))
        if not absences:
            periods.add_option(Option(Text(TIME.text(self.lang, "away_none"), style="dim"), disabled=True))
        else:
            periods.highlighted = 0

    def _say(self, text: str) -> None:
        self.query_one("#away-message", Static).update(Text(text))

    @on(Input.Submitted, "#from")
    def from_entered(self) -> None:
        self.query_one("#to", Input).focus()

    @on(Input.Submitted, "#to")
    def to_entered(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def add(self) -> None:
        dates = []
        for name in ("from", "to"):
            field = self.query_one(f"#{name}", Input)
            try:
                dates.append(parse_user_date(field.value, self.today))
            except UserError as error:
                label = TIME.text(self.lang, f"away_{name}").split(" (")[0]
                self._say(TIME.text(self.lang, "away_bad_date", field=label, reason=error.message(self.lang)))
                field.focus()
                return
        try:
            change = add_absence(
                self.store, dates[0], dates[1], self.query_one("#note", Input).value, self.today
            )
        except UserError as error:
            self._say(error.message(self.lang))
            return
        self.changed = True
        for name in ("from", "to", "note"):
            self.query_one(f"#{name}", Input).value = ""
        self._fill()
        self._say(
            TIME.text(self.lang, "away_added", period=period_text(change.absence, self.lang), n=change.moved)
        )
        self.query_one("#from", Input).focus()

    def action_remove(self) -> None:
        periods = self.query_one("#periods", OptionList)
        if periods.highlighted is None or not periods.has_focus:
            return
        option = periods.get_option_at_index(periods.highlighted)
        if option.id is None:
            return
        change = remove_absence(self.store, int(option.id), self.today)
        self.changed = True
        self._fill()
        self._say(
            TIME.text(
                self.lang,
                "away_removed",
                period=period_text(change.absence, self.lang),
                n=change.moved,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(self.changed)
