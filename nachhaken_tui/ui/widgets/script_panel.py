"""The call script, one step at a time, driven by the keyboard.

The panel renders the current step of a `ScriptRun` (the pure state machine
in the core) and turns keys into answers: a number key picks and goes on,
Enter confirms the highlighted answer, Esc goes back. A question whose answer
feeds the user's own numbers starts with nothing highlighted, so Enter alone
asks for a pick instead of recording one. It posts `Finished` with the call draft when the user saves
the summary, and `Abandoned` when Esc leaves the first step. It never saves
anything itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Digits, Input, OptionList, Static
from textual.widgets.option_list import Option

from nachhaken_tui.core.calls.coaching import coaching_context, fear_records
from nachhaken_tui.core.db.store import now_iso
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.phone import display_phone
from nachhaken_tui.core.models import CallDraft, Offer, Status
from nachhaken_tui.core.script.model import Kind, Script, ShownStep
from nachhaken_tui.core.script.placeholders import placeholders_for
from nachhaken_tui.core.script.run import ScriptRun
from nachhaken_tui.core.text.i18n import format_date_long
from nachhaken_tui.core.text.wording import answer_text, loss_reason_label, outcome_label, status_label
from nachhaken_tui.ui.bindings import localize_bindings
from nachhaken_tui.ui.screens.dialogs import DateInput, resolve_date
from nachhaken_tui.ui.text import UI, plain, screen_safe, step_label
from nachhaken_tui.ui.widgets.offer_card import phone_link

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual import getters

    from nachhaken_tui.ui.app import NachhakenApp

__all__ = ["ScriptPanel"]

_PHONE_CHARACTERS = set("0123456789+-() ")


class _Answers(OptionList):
    """The options of a choice or scale step; Enter with nothing highlighted asks for a pick."""

    class NothingPicked(Message):
        """Enter was pressed on a step that has no pre-selected answer."""

    def action_select(self) -> None:
        if self.highlighted is None:
            self.post_message(self.NothingPicked())
            return
        super().action_select()


class ScriptPanel(Vertical, can_focus=True):
    """The guided call for one offer."""

    if TYPE_CHECKING:  # at run time Textual's own `app`; this only tells mypy its class
        app = getters.app(NachhakenApp)

    BINDINGS = [
        Binding("escape", "back", "key_back"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
        Binding("enter", "save", "key_confirm", show=False),
    ]

    @dataclass
    class Finished(Message):
        """The user confirmed the summary: save this call."""

        offer_id: int
        client: str
        draft: CallDraft

    class Abandoned(Message):
        """Esc on the first step: back to the inbox, nothing to save."""

    def __init__(self, script: Script, lang: str, today: dt.date, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.script = script
        self.lang = lang
        self.today = today
        self.run: ScriptRun | None = None
        self.offer: Offer | None = None
        self._memory: dict[str, str | None] = {}
        self._typed: dict[str, str] = {}
        """What was typed at each text or date step, shown again when Esc goes back to it."""
        self._shown: dict[str, tuple] = {}
        """What `_set` last put in each of its Statics (see there)."""
        localize_bindings(self, lang)

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with VerticalScroll(id="say-box"):
            yield Static(id="say")
        yield Static(id="question")
        yield Static(id="hint")

    def _mount_inputs(self) -> None:
        """Mount the call's number and answer fields, once, when the first call starts.

        The first frame shows none of them, and composing them cost 8-10 ms
        before it (issue 14's start-up budget). Mounted in their place, they
        can be queried at once; Textual focuses a widget after it is mounted.
        """
        if self.query("#options"):
            return
        # The number sits above the scrolling text, so all three rows of its
        # digits stay in view at 80x24 however long the step's text is.
        self.mount(
            Digits(id="phone", classes="hidden"), Static(id="tel", classes="hidden"), before="#say-box"
        )
        self.mount(
            _Answers(id="options", classes="hidden"), DateInput(id="entry", classes="hidden"), before="#hint"
        )

    def t(self, key: str, **fields: object) -> str:
        return UI.text(self.lang, key, **fields)

    # ------------------------------------------------------------ state

    @property
    def in_progress(self) -> bool:
        """A script is running (answers or not)."""
        return self.run is not None

    @property
    def has_answers(self) -> bool:
        """Leaving now would lose answers the user gave."""
        return self.run is not None and bool(self.run.history)

    @property
    def answer_count(self) -> int:
        return len(self.run.history) if self.run else 0

    @property
    def offer_id(self) -> int | None:
        return self.offer.id if self.offer else None

    @property
    def client(self) -> str:
        """The client's name, safe to put into a sentence on screen."""
        return screen_safe(self.offer.client) if self.offer else ""

    def start(
        self,
        offer: Offer,
        *,
        context: dict[str, str] | None = None,
        memory: dict[str, str | None] | None = None,
    ) -> None:
        """Begin a fresh run for `offer` and focus its first step.

        Args:
            context: the script's context facts (the situation, see core.calls.memory).
            memory: placeholders from past calls and the user's profile.
        """
        self.offer = offer
        self._memory = dict(memory or {})
        self._typed = {}
        self.run = ScriptRun(
            self.script,
            self._facts(offer),
            now_iso(),
            today=self.today,
            context=self._script_context(offer, context or {}),
            fear_records={
                fear: screen_safe(text) for fear, text in fear_records(self.app.store, self.lang).items()
            },
        )
        self._set_calling(True)
        self._mount_inputs()
        self.show_step()

    def _facts(self, offer: Offer) -> dict[str, str | None]:
        facts = {**placeholders_for(offer, self.lang, self.today), **self._memory}
        return {name: screen_safe(value) if value else value for name, value in facts.items()}

    def _script_context(self, offer: Offer, given: dict[str, str]) -> dict[str, str]:
        """The facts the script's conditions read: the situation the caller gives (core.calls.memory),
        the coaching, and `expiring` for an offer that runs out soon (not an agreed call-back)."""
        context = {**coaching_context(self.app.store, self.app.config, self.today), **given}
        if self.app.cadence.runs_out_soon(offer, self.today) and context.get("situation") != "agreed":
            context["situation"] = "expiring"
        return context

    def offer_changed(self, offer: Offer) -> None:
        """The offer was edited during the call: same step, answers kept, its new facts shown."""
        if self.run is None or self.offer is None or offer.id != self.offer.id:
            return
        self.offer = offer
        self.run.refill(self._facts(offer))
        self.show_step()

    def stop(self) -> None:
        """Drop the run (nothing is saved) and show the start hint."""
        self.run = None
        self._set_calling(False)
        self.preview(self.offer)

    def _set_calling(self, calling: bool) -> None:
        """The screen's `calling` class gives the script the room during a call (app.tcss)."""
        self.screen.set_class(calling, "calling")

    def preview(self, offer: Offer | None) -> None:
        """Without a run: tell the user how to start one for `offer`."""
        if self.run is not None:
            return
        self.offer = offer
        self._hide_inputs()
        self._set("#progress", Text())
        self._set("#say", Text())
        if offer is None:
            start = ""
        elif offer.status is Status.OPEN:
            start = self.t("script_start")
        else:
            start = self.t("script_closed", status=status_label(offer.status.value, self.lang))
        self._set("#question", Text(start, style="dim"))
        self._set("#hint", Text())

    # ------------------------------------------------------------ rendering

    def show_step(self, error: str | None = None) -> None:
        """Render the current step (or the summary once the run is finished)."""
        run = self.run
        if run is None:
            return
        if run.finished:
            self._show_summary()
            return
        step = run.current
        progress = Text(f"{self.t('script_step', n=run.position)}/~{run.estimated_total} · ", style="dim")
        progress.append(Text(step.title, style="bold"))
        self._set("#progress", progress)
        self._set("#say", Text(step.say))
        self.query_one("#say-box").scroll_home(animate=False)
        self._show_phone(step)
        question = Text(step.question, style="bold")
        if step.optional:
            question.append(Text(" " + self.t("script_optional"), style="dim"))
        self._set("#question", question)
        self._show_answer_widget(step)
        if error:
            self._set("#hint", Text(error, style="bold red"))

    def _show_phone(self, step: ShownStep) -> None:
        digits = self.query_one("#phone", Digits)
        stored = (self.offer.phone or "") if self.offer else ""
        phone = display_phone(stored, self.app.config.country) if stored else ""
        # Digits draw each character three cells wide; only when the number fits.
        fits = len(phone) * 3 <= self.query_one("#say-box").size.width - 2
        large = step.id == "dial" and phone and set(phone) <= _PHONE_CHARACTERS and fits
        digits.set_class(not large, "hidden")
        if large:
            digits.update(phone)
        link = self.query_one("#tel", Static)
        link.set_class(step.id != "dial", "hidden")
        if step.id == "dial" and phone:
            link.update(
                Text.assemble(
                    "☎ ",
                    phone_link(stored, self.app.config.country),
                    (f"  ·  y {self.t('copy_number')}", "dim"),
                )
            )
        elif step.id == "dial":
            link.update(Text(self.t("no_phone"), style="dim"))

    def _show_answer_widget(self, step: ShownStep) -> None:
        options = self.query_one("#options", OptionList)
        entry = self.query_one("#entry", Input)
        if step.kind in (Kind.CHOICE, Kind.SCALE):
            entry.add_class("hidden")
            options.remove_class("hidden")
            options.clear_options()
            if step.kind is Kind.CHOICE:
                options.add_options(
                    Option(Text(f"{option.number}  {option.label}"), id=option.key) for option in step.options
                )
                hint = self.t("script_hint_choice")
            else:
                assert step.low is not None and step.high is not None  # the loader gives a scale both ends
                options.add_options(
                    Option(Text(str(value)), id=str(value)) for value in range(step.low, step.high + 1)
                )
                hint = self.t("script_hint_choice")
            options.highlighted = 0 if step.preselect else None
            options.focus()
        else:
            options.add_class("hidden")
            entry.remove_class("hidden")
            entry.value = self._typed.get(step.id, "")
            entry.cursor_position = len(entry.value)
            entry.placeholder = self.t("script_date_hint") if step.kind is Kind.DATE else ""
            entry.focus()
            hint = self.t("script_date_hint") if step.kind is Kind.DATE else self.t("script_hint_input")
        self._set("#hint", Text(hint, style="dim"))

    def _show_summary(self) -> None:
        if self.run is None:
            return
        draft = self.run.draft()
        self._hide_inputs()
        self._set("#progress", Text(self.t("summary_title"), style="bold"))
        self._set("#say", self._summary(draft))
        self._set("#question", Text())
        self._set("#hint", Text(self.t("summary_save"), style="bold"))
        self.focus()

    def _summary(self, draft: CallDraft) -> Group:
        outcome = Text(outcome_label(draft.outcome.value, self.lang), style="bold")
        if draft.loss_reason:
            outcome.append(plain(f" ({loss_reason_label(draft.loss_reason, self.lang)})"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(self.t("summary_outcome"), outcome)
        next_due = self._next_due(draft)
        if next_due is not None:
            grid.add_row(self.t("summary_next"), next_due)
        if draft.hesitation_before or draft.hesitation_after:
            grid.add_row(
                self.t("summary_hesitation"),
                f"{draft.hesitation_before or '–'} → {draft.hesitation_after or '–'}",
            )
        answers = Table.grid(padding=(0, 1))
        answers.add_column(style="dim", overflow="fold", ratio=1)
        answers.add_column(overflow="fold", ratio=1)
        for answer in draft.answers:
            step = self.script.steps.get(answer.step)
            label = step_label(step) if step is not None else answer.question
            answers.add_row(plain(label), plain(answer_text(answer.answer, self.lang)))
        return Group(grid, Text(), answers)

    def _next_due(self, draft: CallDraft) -> Text | None:
        if draft.outcome.closes:
            return None
        if draft.next_due is not None:
            return Text(format_date_long(draft.next_due, self.lang))
        if self.offer is None:
            return None
        cadence = self.app.store.cadence
        state = cadence.after_outcome(draft.outcome, attempts=self.offer.attempts, today=self.today)
        if state.next_due is None:
            return None
        return Text(self.t("summary_next_cadence", date=format_date_long(state.next_due, self.lang)))

    def _hide_inputs(self) -> None:
        for selector in ("#options", "#entry", "#phone", "#tel"):
            self.query(selector).add_class("hidden")  # none before the first call (`_mount_inputs`)

    def _set(self, selector: str, content: RenderableType) -> None:
        """Put `content` in a Static, unless it shows that text already.

        Every cursor move previews the next offer, and the four lines that
        previews mostly keep what they showed; an update with the same text
        would still have each redrawn.
        """
        shown = (
            (content.plain, str(content.style), tuple(content.spans)) if isinstance(content, Text) else None
        )
        if shown is not None and self._shown.get(selector) == shown:
            return
        self._shown[selector] = shown if shown is not None else (id(content),)
        self.query_one(selector, Static).update(content)

    def focus_step(self) -> None:
        """Put the keyboard back on the current step."""
        self.show_step()

    # ------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.run is None:
            return False
        if action == "pick":
            return not self.run.finished and self.run.current.kind in (Kind.CHOICE, Kind.SCALE)
        if action == "save":
            return self.run.finished
        return True

    def action_pick(self, number: int) -> None:
        """A number key answers at once: the option of that number, or that value of a scale."""
        if self.run is None or self.run.finished:
            return
        step = self.run.current
        if step.kind is Kind.CHOICE and number <= len(step.options):
            self._answer(number)
        elif (
            step.kind is Kind.SCALE
            and step.low is not None
            and step.high is not None
            and step.low <= number <= step.high
        ):
            self._answer(number)

    @on(_Answers.NothingPicked)
    def nothing_picked(self, event: _Answers.NothingPicked) -> None:
        event.stop()
        if self.run is None or self.run.finished:
            return
        step = self.run.current
        count = len(step.options) if step.kind is Kind.CHOICE else None
        low, high = (1, count) if count else (step.low, step.high)
        self._set("#hint", Text(self.t("script_pick_first", low=low, high=high), style="bold red"))

    def action_back(self) -> None:
        """Esc: undo the last answer, or leave from the first step."""
        if self.run is None:
            return
        if self.run.back():
            self.show_step()
        else:
            self.stop()
            self.post_message(self.Abandoned())

    def action_save(self) -> None:
        """Enter on the summary: hand the call to the screen for saving."""
        if self.run is not None and self.run.finished and self.offer is not None:
            self.post_message(self.Finished(self.offer.id, self.client, self.run.draft()))

    @on(OptionList.OptionSelected, "#options")
    def option_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.run is None or self.run.finished or event.option.id is None:
            return  # a pick that arrives after the call ended or was dropped
        step = self.run.current
        value = event.option.id if step.kind is Kind.CHOICE else int(event.option.id)
        self._answer(value)

    @on(Input.Changed, "#entry")
    def entry_changed(self, event: Input.Changed) -> None:
        if self.run is not None and not self.run.finished and self.run.current.kind is Kind.DATE:
            resolved = resolve_date(event.value, self.today, self.lang, self.app.cadence.calendar)
            self.query_one("#entry", DateInput).business_day = resolved.business_day
            self._set("#hint", Text(resolved.shown, style="bold" if resolved.day else "dim"))

    @on(Input.Submitted, "#entry")
    def entry_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.run is None or self.run.finished:
            return
        self._typed[self.run.current.id] = event.value
        if self.run.current.kind is Kind.DATE:
            resolved = resolve_date(event.value, self.today, self.lang)
            if resolved.day is None:
                self._set("#hint", Text(resolved.shown, style="bold red"))
                return
            self._answer(resolved.day)
        else:
            self._answer(event.value)

    def _answer(self, value: str | int | dt.date) -> None:
        if self.run is None:
            return
        try:
            self.run.answer(value)
        except UserError as error:
            self.show_step(error=error.message(self.lang))
            return
        self.show_step()
