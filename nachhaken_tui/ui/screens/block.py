"""Call block dialogs: setting one up (with an if-then plan) and its summary.

The main screen runs the block itself; these screens only ask and tell.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from nachhaken_tui.core.calls.blocks import BlockPlan, BlockSummary
from nachhaken_tui.core.calls.coaching import if_then_rewrite, is_if_then
from nachhaken_tui.core.text.i18n import Catalog, format_decimal
from nachhaken_tui.ui.text import plain

__all__ = ["BlockDialog", "BlockSummaryScreen"]

TEXT = Catalog(
    {
        "title": {"de": "Anrufblock starten", "en": "Start a call block"},
        "intro": {
            "de": "Ein Block: mehrere Anrufe am Stück, ohne Pause dazwischen. Nach jedem "
            "gespeicherten Ergebnis öffnet sich das nächste fällige Angebot von selbst.",
            "en": "A block: several calls in a row, no break in between. After each saved "
            "outcome the next due offer opens by itself.",
        },
        "calls": {"de": "Wie viele Anrufe?", "en": "How many calls?"},
        "minutes": {
            "de": "Wie viele Minuten? (leer = ohne Zeitgrenze)",
            "en": "How many minutes? (empty = no limit)",
        },
        "plan": {"de": "Dein Wenn-dann-Plan (optional)", "en": "Your if-then plan (optional)"},
        "plan_example": {
            "de": "Wenn der Block beginnt, rufe ich zuerst das am längsten überfällige Angebot an.",
            "en": "When the block starts, I call the most overdue offer first.",
        },
        "keys": {"de": "Enter weiter/starten · Esc abbrechen", "en": "Enter next/start · Esc cancel"},
        "rewrite": {
            "de": "Pläne in der Form „Wenn …, dann …“ hält man öfter ein. Oben steht dein Plan in dieser "
            "Form: ändere ihn, wenn du magst; Enter startet den Block.",
            "en": "Plans in the form “When …, I …” are kept more often. Above is your plan in that form: "
            "edit it if you like; Enter starts the block.",
        },
        "bad_number": {
            "de": "Bitte eine ganze Zahl größer 0 (oder leer lassen).",
            "en": "Please a whole number above 0 (or leave it empty).",
        },
        "need_bound": {
            "de": "Bitte eine Anzahl Anrufe oder Minuten angeben.",
            "en": "Please give a number of calls or of minutes.",
        },
        "summary_title": {"de": "Blockbilanz", "en": "Block summary"},
        "calls_made": {"de": "Anrufe", "en": "Calls made"},
        "of_planned": {"de": "{n} von {planned} geplant", "en": "{n} of {planned} planned"},
        "reached": {"de": "Erreicht", "en": "Reached"},
        "won": {"de": "Gewonnen", "en": "Won"},
        "agreed": {"de": "Termine vereinbart", "en": "Dates agreed"},
        "hesitation": {"de": "Hemmung vorher → nachher", "en": "Hesitation before → after"},
        "duration": {"de": "Dauer", "en": "Duration"},
        "by_email": {
            "de": "Per E-Mail nachfassen (ohne richtige Nummer)",
            "en": "Follow up by e-mail (no working number)",
        },
        "minutes_n": {"de": "{n} Min.", "en": "{n} min"},
        "your_plan": {"de": "Dein Plan", "en": "Your plan"},
        "kept_question": {
            "de": "Hast du deinen Plan eingehalten? j = ja · n = nein",
            "en": "Did you keep your plan? y = yes · n = no",
        },
        "close": {"de": "Enter oder Esc schließt", "en": "Enter or Esc closes"},
        "nothing": {"de": "Keine Anrufe in diesem Block.", "en": "No calls in this block."},
    }
)


class BlockDialog(ModalScreen[BlockPlan | None]):
    """Ask for the block's size (calls and/or minutes) and the if-then plan."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, lang: str, suggested_calls: int) -> None:
        super().__init__()
        self.lang = lang
        self.suggested_calls = suggested_calls
        self._rewrite_offered = False
        """A plan not in the if-then form gets one rewrite offer; the next Enter starts."""

    def t(self, key: str) -> str:
        return TEXT.text(self.lang, key)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("title"), style="bold"), classes="dialog-title")
            yield Static(self.t("intro"))
            yield Static(self.t("calls"), classes="field-label")
            yield Input(str(self.suggested_calls), id="calls", type="integer")
            yield Static(self.t("minutes"), classes="field-label")
            yield Input("25", id="minutes", type="integer")
            yield Static(self.t("plan"), classes="field-label")
            yield Input(placeholder=self.t("plan_example"), id="plan")
            yield Static(id="problem", classes="dialog-problem")
            yield Static(self.t("keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#calls", Input).focus()

    @on(Input.Submitted)
    def next_or_start(self, event: Input.Submitted) -> None:
        order = ["calls", "minutes", "plan"]
        if event.input.id not in order:
            return
        index = order.index(event.input.id)
        if index + 1 < len(order):
            self.query_one(f"#{order[index + 1]}", Input).focus()
            return
        plan = self._plan()
        if plan is None:
            return
        if plan.plan and not is_if_then(plan.plan) and not self._rewrite_offered:
            self._offer_rewrite(plan.plan)
            return
        self.dismiss(plan)

    def _offer_rewrite(self, plan: str) -> None:
        """Put the plan in the if-then form into the field, for the user to edit or take."""
        self._rewrite_offered = True
        field = self.query_one("#plan", Input)
        field.value = if_then_rewrite(plan, self.lang)
        field.cursor_position = len(field.value)
        self.query_one("#problem", Static).update(Text(self.t("rewrite"), style="bold"))

    def _plan(self) -> BlockPlan | None:
        bounds: list[int | None] = []
        for field in ("calls", "minutes"):
            text = self.query_one(f"#{field}", Input).value.strip()
            if not text:
                bounds.append(None)
            elif text.isdigit() and int(text) > 0:
                bounds.append(int(text))
            else:
                self._problem("bad_number", field)
                return None
        if bounds == [None, None]:
            self._problem("need_bound", "calls")
            return None
        plan_text = self.query_one("#plan", Input).value.strip()
        return BlockPlan(bounds[0], bounds[1], plan_text or None)

    def _problem(self, key: str, field: str) -> None:
        self.query_one("#problem", Static).update(Text(self.t(key), style="bold red"))
        self.query_one(f"#{field}", Input).focus()
        return None

    def action_cancel(self) -> None:
        self.dismiss(None)


class BlockSummaryScreen(ModalScreen[bool | None]):
    """What the block achieved; asks whether the plan was kept (if there was one)."""

    BINDINGS = [
        Binding("escape,enter", "close", show=False),
        Binding("y,j", "kept(True)", show=False),
        Binding("n", "kept(False)", show=False),
    ]

    def __init__(self, lang: str, summary: BlockSummary, by_email: list[str] | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.summary = summary
        self.by_email = by_email or []
        """Clients the block left out for lack of a working number."""

    def t(self, key: str, **fields: object) -> str:
        return TEXT.text(self.lang, key, **fields)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("summary_title"), style="bold"), classes="dialog-title")
            yield Static(self._figures())
            if self.by_email:
                yield Static(Text(self.t("by_email"), style="dim"))
                yield Static(plain(", ".join(self.by_email)))
            if self.summary.plan.plan:
                yield Static(Text(self.t("your_plan"), style="dim"))
                yield Static(plain(self.summary.plan.plan, style="italic"))
                yield Static(self.t("kept_question"), classes="dialog-question")
            yield Static(self.t("close"), classes="dialog-hint")

    def _figures(self) -> Table | Text:
        summary = self.summary
        if summary.calls == 0:
            return Text(self.t("nothing"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        made = str(summary.calls)
        if summary.plan.calls:
            made = self.t("of_planned", n=summary.calls, planned=summary.plan.calls)
        grid.add_row(self.t("calls_made"), made)
        grid.add_row(self.t("reached"), str(summary.reached))
        grid.add_row(self.t("won"), str(summary.won))
        grid.add_row(self.t("agreed"), str(summary.dates_agreed))
        if summary.hesitation_before is not None or summary.hesitation_after is not None:
            grid.add_row(
                self.t("hesitation"),
                f"{format_decimal(summary.hesitation_before, self.lang)} → "
                f"{format_decimal(summary.hesitation_after, self.lang)}",
            )
        if summary.minutes is not None:
            grid.add_row(self.t("duration"), self.t("minutes_n", n=summary.minutes))
        return grid

    def action_kept(self, kept: bool) -> None:
        if self.summary.plan.plan:
            self.dismiss(kept)

    def action_close(self) -> None:
        self.dismiss(None)
