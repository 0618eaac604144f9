"""The main screen: the inbox on the left, the offer and its call script on the right.

It wires the widgets together and talks to the store; the widgets know
nothing of SQL, and the store nothing of widgets. Saving runs in a thread
worker so the UI never stutters; other processes' writes are noticed by
polling SQLite's `data_version`, which costs next to nothing.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from nachhaken_tui.core.calls.close_loop import CLOSE_LOOP_STEP, close_loop_call
from nachhaken_tui.core.calls.memory import last_call_glance, memory_placeholders, situation_of
from nachhaken_tui.core.config import has_profile
from nachhaken_tui.core.db.inbox import InboxQuery, Sort, View
from nachhaken_tui.core.db.inbox_counts import InboxCounter, InboxCounts
from nachhaken_tui.core.db.store import now_iso
from nachhaken_tui.core.db.undo import Change, UndoStack, closing_call, undo
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.models import Answer, CallDraft, DueKind, Offer, OfferDraft, Outcome, Reached, Status
from nachhaken_tui.core.text.i18n import format_date, format_date_long
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import EXPIRED, loss_reason_label, outcome_label
from nachhaken_tui.ui.bindings import localize_bindings
from nachhaken_tui.ui.inbox_source import InboxSource
from nachhaken_tui.ui.screens.dialogs import ConfirmDialog, LostDialog, SnoozeDialog
from nachhaken_tui.ui.text import UI, screen_safe
from nachhaken_tui.ui.widgets.fitting_footer import FittingFooter
from nachhaken_tui.ui.widgets.inbox_bar import VIEWS, InboxBar
from nachhaken_tui.ui.widgets.inbox_list import InboxList
from nachhaken_tui.ui.widgets.offer_card import OfferCard
from nachhaken_tui.ui.widgets.script_panel import ScriptPanel

if TYPE_CHECKING:
    from textual import getters

    from nachhaken_tui.core.calls.blocks import BlockPlan, RunningBlock
    from nachhaken_tui.core.db.privacy import ForgetReport
    from nachhaken_tui.ui.app import NachhakenApp

__all__ = ["MainScreen"]

# The screens behind single keys (history, QR code, close the loop, the
# offer form, statistics, forget, call blocks) are imported when first
# opened: with the core modules they pull in, they cost 10 ms before the
# first frame, which shows none of them (issue 6's startup budget).

_SORTS = (Sort.URGENCY, Sort.VALUE, Sort.SENT)
POLL_SECONDS = 2.0
T = TypeVar("T")
NARROW = 80
"""Below this many columns the header drops the date and a call takes the whole width."""
WIDE = 120
"""From this many columns on (the README's 120x40), the inbox gets half the width (app.tcss),
so each row's reason fits on its line and its age beside contact and title."""
BLOCK_TICK_SECONDS = 5.0
COUNT_PAUSE = 0.15
"""Seconds the typing must pause before a search's views are counted: a burst of keys counts once."""


class MainScreen(Screen[None]):
    """Inbox, offer card and call script."""

    if TYPE_CHECKING:  # at run time Textual's own `app`; this only tells mypy its class
        app = getters.app(NachhakenApp)

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide"), (WIDE, "-very-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    """Classes for small terminals: app.tcss gives the script more room there during a call."""

    BINDINGS = [
        Binding("slash", "search", "key_search", key_display="/"),
        Binding("v", "next_view", "key_view"),
        Binding("o", "next_sort", "key_sort", show=False),
        Binding("w", "quick_won", "key_won"),
        Binding("l", "quick_lost", "key_lost"),
        Binding("n", "quick_no_answer", "key_no_answer"),
        Binding("s", "quick_snooze", "key_snooze"),
        Binding("a", "add_offer", "key_add"),
        Binding("e", "edit_offer", "key_edit", show=False),
        Binding("b", "block", "key_block"),
        Binding("y", "copy_phone", "key_copy_phone", show=False),
        Binding("h", "history", "key_history", show=False),
        # In the inbox k moves up (vi keys); in the script it shows the QR code.
        Binding("k", "qr_code", "key_qr", show=False),
        Binding("m", "close_loop", "key_close_loop"),  # in the footer only when it applies
        Binding("t", "stats", "key_stats"),
        Binding("X", "forget", "key_forget", show=False),
        Binding("d", "archive", "key_archive", show=False),
        Binding("r", "reopen", "key_reopen"),  # only in the Closed view
        Binding("x", "validity", "key_validity"),  # only for an expired offer
        # Not in the footer (room for q at 80 columns): every save's notice says "u undoes it".
        Binding("u", "undo", "key_undo", show=False),
        Binding("ctrl+z", "undo", "key_undo", show=False),
        Binding("S", "revised_sent", "key_revised_sent"),  # only for an offer being revised
    ]

    PALETTE = [
        ("add_offer", "key_add", "help_add"),
        ("edit_offer", "key_edit", "help_edit"),
        ("search", "key_search", "help_search"),
        ("next_view", "key_view", "help_view"),
        ("next_sort", "key_sort", "help_sort"),
        ("block", "key_block", "help_block"),
        ("quick_won", "key_won", "help_won"),
        ("quick_lost", "key_lost", "help_lost"),
        ("quick_no_answer", "key_no_answer", "help_no_answer"),
        ("quick_snooze", "key_snooze", "help_snooze"),
        ("copy_phone", "key_copy_phone", "help_copy_phone"),
        ("history", "key_history", "help_history"),
        ("qr_code", "key_qr", "help_qr"),
        ("close_loop", "key_close_loop", "help_close_loop"),
        ("archive", "key_archive", "help_archive"),
        ("reopen", "key_reopen", "help_reopen"),
        ("stats", "key_stats", "help_stats"),
        ("forget", "key_forget", "help_forget"),
        ("validity", "key_validity", "help_validity"),
        ("away", "key_away", "help_away"),
        ("undo", "key_undo", "help_undo"),
        ("revised_sent", "key_revised_sent", "help_revised_sent"),
        ("profile", "key_profile", "help_profile"),
    ]
    """Actions offered in the command palette: (action, title key, help key)."""

    def __init__(self) -> None:
        super().__init__()
        self._data_version = 0
        self.block: RunningBlock | None = None
        """The call block under way, if any."""
        self._saving: set[int] = set()
        """Offers whose call is being saved in the background (a second save of it is refused)."""
        self._waiting: set[object] = set()
        """Saves and other writes (by offer id or a token) waiting for another program's
        write lock; the header says so while there are any."""
        self._close_loop_due = False
        """The selected offer's close-the-loop e-mail is due (the footer shows `m`)."""
        self.undo_stack = UndoStack()
        """Changes saved since the app was opened, for u / Ctrl+Z."""
        self._counts: InboxCounts | None = None
        """The views' counts last shown (until the first count, none)."""
        self._counts_for: tuple[str, dt.date, int] | None = None
        """What `_counts` were counted for: search text, day and the file's data version."""
        self._counting: tuple[str, dt.date, int] | None = None
        """What the count under way in the background counts for (see `_recount`)."""
        self._card_offer: int | None = None
        """The offer whose card `_show_card` drew last (None once anything else drew on the card)."""

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        app = self.app
        self.source = InboxSource(app.store, app.today, app.lang)
        self.counter = InboxCounter(app.store)
        localize_bindings(self, app.lang)
        yield Header(icon="☎")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield InboxBar(app.lang, id="bar")
                yield InboxList(self.source, id="inbox")
                yield Static(id="empty", classes="hidden")
            with Vertical(id="right"):
                with VerticalScroll(id="card-box"):
                    yield OfferCard(app.lang, app.today, id="card")
                yield ScriptPanel(app.script, app.lang, app.today, id="script")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._data_version = self.app.store.data_version()
        self.reload(count=False)
        self.call_after_refresh(self._recount, 0.0)  # after the first frame, which needs no count
        self.call_after_refresh(self.app.first_frame_shown)
        self.call_after_refresh(self.query_one(InboxBar).mount_search)
        self.inbox.focus()
        self.set_interval(POLL_SECONDS, self._poll_for_changes)
        if self.app.config_path is not None and not has_profile(self.app.config_path):
            self.call_after_refresh(self.action_profile, first_run=True)

    @property
    def inbox(self) -> InboxList:
        return self.query_one(InboxList)

    @property
    def script_panel(self) -> ScriptPanel:
        return self.query_one(ScriptPanel)

    def t(self, key: str, **fields: object) -> str:
        return UI.text(self.app.lang, key, **fields)

    # ------------------------------------------------------------ data

    def reload(
        self, keep_offer: int | None = None, *, top: bool = False, typing: bool = False, count: bool = True
    ) -> None:
        """Re-read the current view and show it with its card; the counts follow from the background.

        The list and the card come first, so a keystroke shows its result at
        once; the views' counts (the tabs, the header's due figure, where a
        search found offers) are counted by `_recount` in a worker thread,
        after a pause in the `typing` (not at all unless `count`). `top`:
        the cursor goes to the first row.
        """
        self._note_data_version()
        known = self._counts if self._counts_for == self._counts_key() else None
        self.inbox.reload(keep_offer, top=top, total=known.views[self.source.query.view] if known else None)
        self._show_bar()
        self._show_empty_state()
        current = self.inbox.current
        self._show_card(current.offer_id if current else None)  # (the list's Highlighted then draws no more)
        if count:
            self._recount(COUNT_PAUSE if typing else 0.0)

    def _note_data_version(self) -> None:
        """Take note of the data a reload is about to show, so the poll does not reload for it again.

        Every save ends in a reload; the poll would see the save's new data
        version and reload once more. A change from elsewhere that this
        reload shows gets what the poll would give it: the time away read anew.
        """
        version = self.app.store.data_version()
        if version != self._data_version:
            self._data_version = version
            self.app.store.load_away()  # `nachhaken away` in another terminal

    def _counts_key(self) -> tuple[str, dt.date, int]:
        """What the views' counts depend on: the search, the day, and the data (its version, as last shown)."""
        return (self.source.query.search, self.app.today, self._data_version)

    def _recount(self, pause: float) -> None:
        """Have the views counted in the background unless their counts are known or coming."""
        key = self._counts_key()
        if key == self._counts_for:
            if self._counting is not None:  # an older count, no longer wanted
                self._counting = None
                self.workers.cancel_group(self, "counts")
                self.counter.interrupt()
            return
        if key == self._counting:
            return
        if self._counting is not None:
            self.counter.interrupt()
        self._counting = key
        self._count_views(key, pause)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _count_views(self, key: tuple[str, dt.date, int], pause: float) -> None:
        """Count every view in one pass, off the UI thread, after `pause` seconds without a newer request."""
        worker = get_current_worker()
        if pause and worker.cancelled_event.wait(pause):
            return  # typing went on: a newer count replaced this one
        search, today, _ = key
        try:
            counts = self.counter.count(search, today)
        except sqlite3.Error:
            return  # interrupted for a newer count (or unreadable: the list's own reads will say so)
        if worker.is_cancelled:
            return
        try:
            self.app.call_from_thread(self._counted, key, counts)
        except RuntimeError:
            pass  # the app closed while counting

    def _counted(self, key: tuple[str, dt.date, int], counts: InboxCounts) -> None:
        """Show counts that arrived, unless something newer was asked for meanwhile."""
        if key != self._counting or not self.is_attached:
            return
        self._counting = None
        self._counts, self._counts_for = counts, key
        if key == self._counts_key():
            self.inbox.set_total(counts.views[self.source.query.view])
        self._show_bar()
        self._show_header()
        self._show_empty_state()

    def _show_bar(self) -> None:
        """The view tabs with the latest counts (a search's tabs keep the last ones until counted)."""
        self.query_one(InboxBar).show(self.source.query, self._counts.views if self._counts else None)

    def _show_header(self) -> None:
        """Today, how many are due, and the block's progress while one runs."""
        app = self.app
        parts = [format_date_long(app.today, app.lang)]
        if (counts := self._counts) is not None:
            parts.append(self.t("due_today_n", n=counts.due) if counts.due else self.t("due_today_0"))
        if (self.block is not None or self.size.width < NARROW) and len(parts) > 1:
            parts.pop(0)  # the date yields its room to the count and the block's progress
        if (block := self.block) is not None:
            done = len(block.called)
            progress = f"{done + 1}/{block.plan.calls}" if block.plan.calls else str(done + 1)
            parts.append(self.t("block_progress", progress=progress))
            if (left := block.minutes_left(time.monotonic())) is not None:
                parts.append(self.t("block_minutes_left", n=left))
        if self._waiting:
            parts = [self.t("save_waiting")]  # the one thing worth the room until the save lands
        self.sub_title = " · ".join(parts)

    def on_resize(self) -> None:
        self._show_header()

    def _show_empty_state(self) -> None:
        """What an empty list says: how to begin, where a search did find offers, or when the next call is.

        Where a search found offers is added once the views are counted.
        """
        empty = self.query_one("#empty", Static)
        has_rows = self.inbox.total > 0
        self.inbox.set_class(not has_rows, "hidden")
        empty.set_class(has_rows, "hidden")
        if has_rows:
            return
        app = self.app
        query = self.source.query
        if app.store.count_offers() == 0:
            message = self.t("empty_first_run")
        elif query.search:
            message = self.t("empty_search", text=screen_safe(query.search))
            counts = self._counts.views if self._counts and self._counts_for == self._counts_key() else {}
            if elsewhere := [view for view in VIEWS if counts.get(view)]:
                where = ", ".join(f"{self.t('view_' + view.value)} {counts[view]}" for view in elsewhere)
                message += "\n\n" + self.t("empty_search_elsewhere", where=where)
        elif query.view is not View.DUE:
            message = self.t("empty_view")
        elif (upcoming := app.store.next_upcoming(app.today)) is not None and upcoming.next_due is not None:
            message = self.t(
                "empty_due_next",
                date=format_date(upcoming.next_due, app.lang),
                client=screen_safe(upcoming.client),
            )
        else:
            message = self.t("empty_due_none")
        empty.update(Text(message))

    def _show_card(self, offer_id: int | None) -> None:
        if self.script_panel.in_progress:
            return  # the card stays on the offer being called
        self._card_offer = offer_id
        store = self.app.store
        offer = store.get_offer(offer_id) if offer_id is not None else None
        calls = store.calls_for(offer.id, limit=1) if offer is not None else []
        recent = store.history(offer.id, limit=1) if calls and offer is not None else []
        last = calls[0] if calls else None
        if last is not None and any(answer.step == CLOSE_LOOP_STEP for answer in recent[0][1]):
            # "Letzter Anruf: Abschluss-Mail geschickt", not "verschoben"
            last = replace(last, outcome="close_loop")
        close_loop = self._suggest_close_loop(offer)
        away = store.cadence.calendar.away_until(offer.next_due) if offer and offer.next_due else None
        glance = last_call_glance(recent)
        self.query_one(OfferCard).show(
            offer, last, hint=self.inbox.total > 0, close_loop=close_loop, away_until=away, glance=glance
        )
        if close_loop != self._close_loop_due:  # `m` joins or leaves the footer
            self._close_loop_due = close_loop
            self.refresh_bindings()
        self.script_panel.preview(offer)

    def refresh_card(self) -> None:
        """Show the selected offer's card again (its phone number is formatted now)."""
        composed = bool(self.query(OfferCard)) and bool(self.query(InboxList)) and bool(self.query("#say"))
        if not (self.is_attached and composed):
            return  # not composed yet (or on its way out): the card will be drawn formatted
        current = self.inbox.current
        self._show_card(current.offer_id if current else None)

    def _poll_for_changes(self) -> None:
        """Another program changed the file (a reload here would have taken note of our own changes)."""
        if self.app.store.data_version() != self._data_version:
            current = self.inbox.current
            self.reload(keep_offer=current.offer_id if current else None)

    # ------------------------------------------------------------ inbox events

    @on(InboxList.Highlighted)
    def highlighted(self, event: InboxList.Highlighted) -> None:
        if event.offer_id != self._card_offer:  # a reload has drawn it already
            self._show_card(event.offer_id)

    @on(InboxList.Selected)
    def selected(self, event: InboxList.Selected) -> None:
        self.start_script(event.offer_id)

    def start_script(self, offer_id: int) -> None:
        """Begin the call script for an open offer (asking before dropping another)."""
        offer = self.app.store.get_offer(offer_id)
        if offer is None or offer.status is not Status.OPEN:
            self.notify(self.t("not_open"), severity="warning", markup=False)
            return
        if self.script_panel.offer_id == offer_id and self.script_panel.in_progress:
            self.script_panel.focus_step()
            return

        def begin() -> None:
            app = self.app
            self._card_offer = None  # the card goes compact
            self.query_one(OfferCard).show(offer, compact=True, close_loop=self._suggest_close_loop(offer))
            history = app.store.history(offer.id)
            self.script_panel.start(
                offer,
                context={"situation": situation_of(offer, history)},
                memory=memory_placeholders(offer, history, app.config.me, app.cadence, app.lang, app.today),
            )

        self.confirm_discard_then(begin)

    def _suggest_close_loop(self, offer: Offer | None) -> bool:
        """Enough unanswered attempts, the last thing being one (not the e-mail itself, nor an agreed date)."""
        return (
            offer is not None
            and offer.status is Status.OPEN
            and offer.due_kind is DueKind.RETRY
            and self.app.cadence.should_close_loop(offer.attempts)
        )

    def confirm_discard_then(self, proceed: Callable[[], object]) -> None:
        """Run `proceed`, first asking if a script with answers would be dropped."""
        panel = self.script_panel
        if not panel.has_answers:
            panel.stop()
            proceed()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                panel.stop()
                proceed()

        self.app.push_screen(
            ConfirmDialog(
                self.app.lang,
                self.t("discard_title"),
                self.t("discard_body", client=panel.client, n=panel.answer_count),
                self.t("yes_discard"),
                self.t("discard_no"),
            ),
            answered,
        )

    def action_next_view(self) -> None:
        """v: Due → Upcoming → All open → Closed → Due."""
        query = self.source.query
        following = VIEWS[(VIEWS.index(query.view) + 1) % len(VIEWS)]
        self._requery(replace(query, view=following))

    def action_next_sort(self) -> None:
        """o: urgency → value → sent date."""
        query = self.source.query
        following = _SORTS[(_SORTS.index(query.sort) + 1) % len(_SORTS)]
        self._requery(replace(query, sort=following))

    def action_search(self) -> None:
        """/: filter the inbox by client, contact, title, offer number and notes as you type."""
        self.query_one(InboxBar).open_search()

    @on(InboxBar.SearchChanged)
    def search_changed(self, event: InboxBar.SearchChanged) -> None:
        self.source.query = replace(self.source.query, search=event.text)
        self.reload(top=True, typing=True)

    @on(InboxBar.SearchDone)
    def search_done(self) -> None:
        """Back to the list: the bar now shows the search kept (the list shows it already)."""
        self._show_bar()
        self.inbox.focus()

    def _requery(self, query: InboxQuery) -> None:
        """Show another view or order, asking before a call in progress is dropped."""

        def switch() -> None:
            self.source.query = query
            self.reload(top=True)
            self.inbox.focus()

        self.confirm_discard_then(switch)

    # ------------------------------------------------------------ script events

    @on(ScriptPanel.Finished)
    def script_finished(self, event: ScriptPanel.Finished) -> None:
        self.save_call(event.offer_id, event.client, event.draft)

    @on(ScriptPanel.Abandoned)
    def script_abandoned(self) -> None:
        self.inbox.focus()
        current = self.inbox.current
        self._show_card(current.offer_id if current else None)

    # ------------------------------------------------------------ quick outcomes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.inbox.current
        closed_view = self.source.query.view is View.CLOSED
        if action == "edit_offer":  # also during a call: it edits the offer being called
            return (self.inbox.has_focus and row is not None) or self.script_panel.in_progress
        if action == "forget":
            return self.inbox.has_focus and row is not None
        if action == "undo":  # with nothing to undo, u says so
            return not self.script_panel.has_answers
        if action == "revised_sent":
            offer = self.current_offer()
            return offer is not None and offer.revise_by is not None and not self.script_panel.has_answers
        if action == "profile":
            return not self.script_panel.has_answers
        if action == "add_offer":
            return not self.script_panel.has_answers
        if action.startswith("quick_") or action == "archive":
            # They act on the inbox selection, so only from the inbox.
            return self.inbox.has_focus and row is not None and not closed_view
        if action == "reopen":
            return self.inbox.has_focus and row is not None and closed_view
        if action in ("copy_phone", "qr_code"):
            offer = self.current_offer()
            return offer is not None and bool(offer.phone)
        if action == "history":
            return self.current_offer() is not None
        if action == "close_loop":
            return self._suggest_close_loop(self.current_offer()) and not self.script_panel.has_answers
        if action == "validity":
            offer = (
                self.app.store.get_offer(row.offer_id) if row is not None and self.inbox.has_focus else None
            )
            return offer is not None and offer.expired(self.app.today)
        return True

    def current_offer(self) -> Offer | None:
        """The offer being called, else the one selected in the inbox."""
        if self.script_panel.in_progress:
            return self.script_panel.offer
        row = self.inbox.current
        return self.app.store.get_offer(row.offer_id) if row else None

    def action_copy_phone(self) -> None:
        """y: the number to the clipboard, for a softphone or a mobile."""
        offer = self.current_offer()
        if offer is not None and offer.phone:
            self.app.copy_to_clipboard(offer.phone)
            self.notify(self.t("copied", phone=terminal_safe(offer.phone)), markup=False)

    def _quick_target(self) -> tuple[int, str] | None:
        row = self.inbox.current
        return (row.offer_id, row.client) if row else None

    def action_quick_won(self) -> None:
        if target := self._quick_target():
            self._quick(target, CallDraft(outcome=Outcome.WON, reached=Reached.YES))

    def action_quick_no_answer(self) -> None:
        if target := self._quick_target():
            self._quick(target, CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER))

    def action_quick_lost(self) -> None:
        if (target := self._quick_target()) is None:
            return

        def answered(reason: str | None) -> None:
            if reason:
                self._quick(target, CallDraft(outcome=Outcome.LOST, reached=Reached.YES, loss_reason=reason))

        self.app.push_screen(LostDialog(self.app.lang, self._subject(target[0])), answered)

    def action_quick_snooze(self) -> None:
        if (target := self._quick_target()) is None:
            return

        def answered(result: tuple[dt.date, str, bool] | None) -> None:
            if result:
                day, reason, client_away = result
                draft = CallDraft(
                    outcome=Outcome.SNOOZED, next_due=day, notes=reason or None, client_away=client_away
                )
                if client_away:
                    draft.answers.append(
                        Answer(
                            "client_away", self.t("snooze_client_away"), format_date_long(day, self.app.lang)
                        )
                    )
                if reason:
                    draft.answers.append(Answer("snooze", self.t("snooze_question"), reason))
                self._quick(target, draft)

        app = self.app
        app.push_screen(
            SnoozeDialog(app.lang, app.today, app.cadence.calendar, self._subject(target[0])), answered
        )

    def _subject(self, offer_id: int) -> str | None:
        """The offer a dialog acts on, in words: "Müller & Söhne · Website-Relaunch"."""
        offer = self.app.store.get_offer(offer_id)
        if offer is None:
            return None
        return " · ".join(terminal_safe(part) for part in (offer.client, offer.title) if part)

    def _quick(self, target: tuple[int, str], draft: CallDraft) -> None:
        offer_id, client = target
        label = outcome_label(draft.outcome.value, self.app.lang)
        if draft.loss_reason:
            label += f" ({loss_reason_label(draft.loss_reason, self.app.lang)})"
        draft.answers.insert(0, Answer("quick", self.t("quick_question"), label))
        self.save_call(offer_id, client, draft)

    def action_validity(self) -> None:
        """x: an expired offer: extend its validity to a new date, or close it as lost ("expired")."""
        if (target := self._quick_target()) is None:
            return
        offer = self.app.store.get_offer(target[0])
        if offer is None or not offer.expired(self.app.today):
            return
        from nachhaken_tui.ui.screens.validity import TIME, ExpiredDialog

        def answered(result: tuple[str, dt.date | None] | None) -> None:
            if result is None:
                return
            choice, day = result
            if choice == "close" or day is None:
                self._quick(target, CallDraft(outcome=Outcome.LOST, loss_reason=EXPIRED))
                return
            answer = Answer(
                "validity", TIME.text(self.app.lang, "expired_question"), format_date_long(day, self.app.lang)
            )
            self.save_call(
                target[0], target[1], CallDraft(outcome=Outcome.SNOOZED, valid_until=day, answers=[answer])
            )

        self.app.push_screen(ExpiredDialog(self.app.lang, self.app.today, offer), answered)

    def action_away(self) -> None:
        """Palette: the periods you are away; entering or removing one moves the offers it touches."""
        from nachhaken_tui.ui.screens.validity import AwayScreen

        def closed(changed: bool | None) -> None:
            if changed:
                current = self.inbox.current
                self.reload(keep_offer=current.offer_id if current else None)

        self.app.push_screen(AwayScreen(self.app.lang, self.app.today, self.app.store), closed)

    def action_archive(self) -> None:
        """d: put the selected offer away, after asking."""
        if (row := self.inbox.current) is None:
            return

        def answered(archive: bool | None) -> None:
            if archive:

                def archived(result: tuple[dict, str]) -> None:
                    before, stamp = result
                    self.undo_stack.push(
                        Change(row.offer_id, row.client, self.t("what_archived"), stamp, before)
                    )
                    self.notify(self._with_undo_hint(self.t("archived", client=row.client)), markup=False)
                    self.reload()

                self._write(lambda: self.app.store.archive(row.offer_id), archived)

        self.app.push_screen(
            ConfirmDialog(
                self.app.lang,
                self.t("archive_title"),
                self.t("archive_body", client=row.client),
                self.t("archive_yes"),
                self.t("no_keep"),
            ),
            answered,
        )

    def action_reopen(self) -> None:
        """r (Closed view): make a won, lost or archived offer open again, due today.

        A won or lost offer may have been closed by mistake (a stray w): then
        the closing call goes, as with undo, and the offer is as before it.
        """
        if (row := self.inbox.current) is None:
            return
        mistake = closing_call(self.app.store, row.offer_id)
        if mistake is None:
            self._reopen(row.offer_id, row.client)
            return

        def answered(was_mistake: bool | None) -> None:
            if was_mistake:
                what = outcome_label(mistake.what, self.app.lang)
                self._undo(replace(mistake, client=row.client, what=what))
            elif was_mistake is not None:
                self._reopen(row.offer_id, row.client)

        from nachhaken_tui.ui.screens.memory_dialogs import ReopenDialog

        status = outcome_label(mistake.what, self.app.lang)
        self.app.push_screen(
            ReopenDialog(
                self.app.lang,
                self.t("reopen_title"),
                self.t("reopen_body", client=row.client, status=status),
                self.t("reopen_mistake"),
                self.t("reopen_plain"),
            ),
            answered,
        )

    def _reopen(self, offer_id: int, client: str) -> None:
        def reopened(result: tuple[dict, str]) -> None:
            before, stamp = result
            self.undo_stack.push(Change(offer_id, client, self.t("what_reopened"), stamp, before))
            self.notify(self._with_undo_hint(self.t("reopened", client=client)), markup=False)
            self.reload()

        self._write(lambda: self.app.store.reopen(offer_id, self.app.today), reopened)

    # ------------------------------------------------------------ undo

    def _with_undo_hint(self, message: str) -> str:
        return f"{message} · {self.t('undo_hint')}"

    def action_undo(self) -> None:
        """u, Ctrl+Z: take back the last change saved since the app was opened; again, the one before."""
        change = self.undo_stack.pop()
        if change is None:
            self.notify(self.t("undo_nothing"), markup=False)
            return
        self._undo(change)

    def _undo(self, change: Change) -> None:
        """Undo one change in one transaction (in the background, like every write).

        A running block forgets the undone call. If the file refuses, the
        notice says why; the change is not put back on the stack (an offer
        changed since cannot be restored without losing that change).
        """

        def undone(_: None) -> None:
            block = self.block
            if block is not None and change.call_id is not None and change.block_id == block.block_id:
                if change.offer_id in block.called:
                    block.called.remove(change.offer_id)
            self.notify(self.t("undone", client=change.client, what=change.what), markup=False)
            self.reload(keep_offer=change.offer_id)
            if not self.script_panel.in_progress:
                self.inbox.focus()

        self._write(lambda: undo(self.app.store, change), undone)

    def action_revised_sent(self) -> None:
        """S: the revised offer is out; the follow-up call comes a few business days later."""
        offer = self.current_offer()
        if offer is None or offer.revise_by is None:
            return
        app = self.app
        call_on = app.cadence.after_revised_sent(app.today)
        changes: dict[str, object] = {
            "revised_sent_on": app.today.isoformat(),
            "revise_by": None,
            "next_due": call_on.isoformat(),
            "due_kind": DueKind.AGREED.value,
            "updated_at": now_iso(),
        }
        client = terminal_safe(offer.client)

        def sent(result: tuple[dict, str]) -> None:
            before, stamp = result
            self.undo_stack.push(Change(offer.id, client, self.t("what_revised_sent"), stamp, before))
            message = self.t("revised_sent", client=client, date=format_date(call_on, app.lang))
            self.notify(self._with_undo_hint(message), markup=False)
            self.reload(keep_offer=offer.id)

        self._write(lambda: app.store.change_offer(offer.id, changes), sent)

    def action_profile(self, first_run: bool = False) -> None:
        """Your name, number and signature (asked once on first run; from the palette any time)."""
        from nachhaken_tui.core.config import Profile, save_profile
        from nachhaken_tui.ui.screens.memory_dialogs import ProfileDialog

        app = self.app

        def answered(profile: Profile | None) -> None:
            if profile is None and not first_run:
                return
            keep = profile or app.config.me
            if app.config_path is not None:
                try:
                    save_profile(app.config_path, keep)
                except UserError as error:
                    self._save_failed(error)
                    return
            app.config = replace(app.config, me=keep)
            if profile is not None:
                self.notify(self.t("profile_saved"), markup=False)

        app.push_screen(ProfileDialog(app.lang, app.config.me), answered)

    # ------------------------------------------------------------ saving

    def save_call(self, offer_id: int, client: str, draft: CallDraft) -> None:
        """Save a finished call (from the script or a quick outcome), in the block if one runs.

        The save runs in the background; until it lands the offer stays where
        it is, and a second save of the same offer (Enter pressed again on the
        summary, a quick outcome) is refused instead of recording the call twice.
        """
        if offer_id in self._saving:
            self.notify(self.t("save_pending", client=client), markup=False)
            return
        if self.block is not None:
            draft.block_id = self.block.block_id
        if draft.phone:  # a new number typed after "wrong number": stored like the form stores one
            from nachhaken_tui.core.input.phone import normalise_phone

            draft.phone = normalise_phone(draft.phone, self.app.config.country).value
        self._saving.add(offer_id)
        self._write_call(offer_id, client, draft)

    @work(thread=True, group="save")
    def _write_call(self, offer_id: int, client: str, draft: CallDraft) -> None:
        """Write the call and the offer's new state in one transaction, off the UI thread.

        Only the writer connection waits when another program holds the
        file's write lock (up to the busy timeout); the UI thread reads on
        its own connection meanwhile, so the cursor, the search and the card
        go on, and the header says what the save is waiting for.
        """
        store = self.app.store
        try:
            with store.reporting_waits(lambda: self.app.call_from_thread(self._wait_for_lock, offer_id)):
                call_id = store.record_call(offer_id, draft, today=self.app.today)
        except (UserError, sqlite3.Error) as error:
            self.app.call_from_thread(self._call_not_saved, offer_id, error)
            return
        self.app.call_from_thread(self._saved, offer_id, client, draft, call_id)

    def _wait_for_lock(self, key: object) -> None:
        self._waiting.add(key)
        self._show_header()
        self.notify(self.t("save_waiting"), markup=False)

    def _save_done(self, key: object) -> None:
        self._saving.discard(key)
        if key in self._waiting:
            self._waiting.discard(key)
            self._show_header()

    def _call_not_saved(self, offer_id: int, error: UserError | sqlite3.Error) -> None:
        """Say why; a script keeps its answers on the summary, so Enter saves again."""
        self._save_done(offer_id)
        self._save_failed(error)
        if self.script_panel.in_progress and self.script_panel.offer_id == offer_id:
            self.notify(self.t("save_retry"), markup=False)

    def _saved(self, offer_id: int, client: str, draft: CallDraft, call_id: int) -> None:
        """Say what was saved, when the offer comes back, and that u undoes it; then move on."""
        self._save_done(offer_id)
        if self.script_panel.offer_id == offer_id:
            self.script_panel.stop()  # (the user may have gone on to another offer meanwhile)
        if draft.answers and draft.answers[0].step == CLOSE_LOOP_STEP:
            what = self.t("close_loop_saved")
        else:
            what = outcome_label(draft.outcome.value, self.app.lang)
        self.undo_stack.push(Change(offer_id, client, what, call_id=call_id, block_id=draft.block_id))
        message = self.t("saved", client=client, outcome=what)
        if draft.outcome is Outcome.WON:
            message = self.t("congratulations") + " " + message
        offer = self.app.store.get_offer(offer_id)
        if offer is not None and offer.next_due is not None:
            message += " · " + self.t("saved_next", date=format_date(offer.next_due, self.app.lang))
        self.notify(self._with_undo_hint(message), markup=False)
        current = self.inbox.current
        self.reload(keep_offer=current.offer_id if current and current.offer_id != offer_id else None)
        if not self.script_panel.in_progress:
            self.inbox.focus()
        if self.block is not None:
            self.block.called.append(offer_id)
            self._next_in_block()

    def _save_failed(self, error: UserError | sqlite3.Error) -> None:
        reason = error.message(self.app.lang) if isinstance(error, UserError) else str(error)
        self.notify(self.t("save_failed", reason=reason), severity="error", markup=False)

    def _write(self, change: Callable[[], T], then: Callable[[T], None] | None = None) -> None:
        """Run a write the user asked for (archive, reopen, the form, a block, forget) in the
        background, then `then(result)` on the UI thread once it has landed.

        Like a call's save, it waits for another program's write lock off the
        UI thread, with the header saying so. A read-only file, a full disk
        or a lock held too long reach the store as errors; the store rolls
        the change back, the user gets "Not saved: …" and keeps working, and
        `then` does not run. Only the write is guarded: what follows it (a
        notice, a reload) is no save.
        """
        self._run_write(change, then)

    @work(thread=True, group="save")
    def _run_write(self, change: Callable[[], T], then: Callable[[T], None] | None) -> None:
        token = object()
        store = self.app.store
        try:
            with store.reporting_waits(lambda: self.app.call_from_thread(self._wait_for_lock, token)):
                result = change()
        except (UserError, sqlite3.Error) as error:
            self.app.call_from_thread(self._write_failed, token, error)
            return
        self.app.call_from_thread(self._write_done, token, result, then)

    def _write_done(self, token: object, result: T, then: Callable[[T], None] | None) -> None:
        self._save_done(token)
        if then is not None:
            then(result)

    def _write_failed(self, token: object, error: UserError | sqlite3.Error) -> None:
        self._save_done(token)
        self._save_failed(error)

    def action_history(self) -> None:
        """h: every call about the offer, with its answers."""
        if (offer := self.current_offer()) is not None:
            from nachhaken_tui.ui.screens.history import HistoryScreen

            self.app.push_screen(HistoryScreen(self.app.store, offer.id, self.app.lang, self.app.today))

    def action_qr_code(self) -> None:
        """k: the number as a QR code, to dial it from a phone."""
        if (offer := self.current_offer()) is not None:
            from nachhaken_tui.ui.screens.qr import QRScreen

            self.app.push_screen(QRScreen(offer.phone, self.app.lang))

    def action_close_loop(self) -> None:
        """m: after several unanswered attempts, a short e-mail that asks for a clear answer."""
        offer = self.current_offer()
        if offer is None:
            return
        app = self.app
        from nachhaken_tui.ui.screens.close_loop import CloseLoopDialog

        def answered(result: str | None) -> None:
            if result == "sent":
                self.script_panel.stop()
                self.save_call(
                    offer.id,
                    terminal_safe(offer.client),
                    close_loop_call(offer, app.lang, app.today, app.cadence.calendar),
                )

        app.push_screen(CloseLoopDialog(offer, app.lang, app.today, app.config.me), answered)

    def action_add_offer(self) -> None:
        """a: a new offer, entered in a form; it is selected once saved."""
        from nachhaken_tui.ui.screens.offer_form import OfferForm

        config = self.app.config

        def saved(draft: OfferDraft | None) -> None:
            if draft is not None:
                self._write(
                    lambda: self.app.store.add_offer(draft, currency=config.currency),
                    lambda offer_id: self._show_saved_offer(offer_id, draft),
                )

        self.app.push_screen(
            OfferForm(
                self.app.lang,
                self.app.today,
                country=config.country,
                currency=config.currency,
                contacts=self.app.store.contacts(),
            ),
            saved,
        )

    def action_edit_offer(self) -> None:
        """e: change the offer's facts in the same form; during a call, the one being called,
        and the call goes on at the same step with its answers."""
        current = self.current_offer()
        if current is None or (offer := self.app.store.get_offer(current.id)) is None:
            return
        from nachhaken_tui.ui.screens.offer_form import OfferForm

        config = self.app.config
        calling = self.script_panel.in_progress

        def updated(draft: OfferDraft, result: tuple[dict, str]) -> None:
            client = terminal_safe(draft.client)
            self.undo_stack.push(Change(offer.id, client, self.t("what_edited"), result[1], result[0]))
            if calling and (changed := self.app.store.get_offer(offer.id)) is not None:
                self.notify(self._with_undo_hint(self.t("offer_saved", client=client)), markup=False)
                self._card_offer = None
                self.query_one(OfferCard).show(changed, compact=True)
                self.script_panel.offer_changed(changed)
            else:
                self._show_saved_offer(offer.id, draft, undoable=True)

        def saved(draft: OfferDraft | None) -> None:
            if draft is None:
                if calling:
                    self.script_panel.focus_step()
                return
            self._write(
                lambda: self.app.store.update_offer(offer.id, draft, today=self.app.today),
                partial(updated, draft),
            )

        self.app.push_screen(
            OfferForm(
                self.app.lang,
                self.app.today,
                country=config.country,
                currency=config.currency,
                offer=offer,
                contacts=self.app.store.contacts(),
            ),
            saved,
        )

    def _show_saved_offer(self, offer_id: int, draft: OfferDraft, *, undoable: bool = False) -> None:
        """After the form: say so (that u undoes an edit), and select the offer in a view that shows it."""
        message = self.t("offer_saved", client=terminal_safe(draft.client))
        self.notify(self._with_undo_hint(message) if undoable else message, markup=False)
        offer = self.app.store.get_offer(offer_id)
        due = offer is not None and offer.next_due is not None and offer.next_due <= self.app.today
        view = View.DUE if due else View.OPEN if offer and offer.next_due else View.CLOSED
        self.source.query = InboxQuery(view, sort=self.source.query.sort)
        self.inbox.cursor = 0
        self.reload()
        for index in range(min(self.inbox.total, 500)):
            if (row := self.inbox.row_at(index)) is not None and row.offer_id == offer_id:
                self.inbox.cursor = index
                break
        self.inbox.focus()

    def action_stats(self) -> None:
        """t: the user's own numbers."""
        from nachhaken_tui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.app.store, self.app.lang, self.app.today))

    def action_forget(self) -> None:
        """X: erase every offer, call and answer of the selected client, after asking."""
        if (row := self.inbox.current) is None or (offer := self.app.store.get_offer(row.offer_id)) is None:
            return
        from nachhaken_tui.core.db.privacy import forget_offers, offers_of_client

        offers = offers_of_client(self.app.store, offer.client)

        def answered(erase: bool | None) -> None:
            if erase:
                self._write(
                    lambda: forget_offers(self.app.store, [summary.id for summary in offers]), forgotten
                )

        def forgotten(report: ForgetReport) -> None:
            self.undo_stack.forget_offers([summary.id for summary in offers])  # erased for good
            self.notify(
                self.t("forgotten", client=row.client, offers=len(report.offers), calls=report.calls),
                markup=False,
            )
            if report.unfinished is not None:
                message = report.unfinished_message(self.app.lang, self.app.store.path)
                self.notify(message, severity="error", timeout=30, markup=False)
            self.inbox.cursor = max(0, self.inbox.cursor - 1)
            self.reload()

        self.app.push_screen(
            ConfirmDialog(
                self.app.lang,
                self.t("forget_title"),
                self.t("forget_body", client=row.client, offers=len(offers)),
                self.t("forget_yes"),
                self.t("no_keep"),
            ),
            answered,
        )

    # ------------------------------------------------------------ call blocks

    def action_block(self) -> None:
        """b: start a call block, or end the one under way."""
        if self.block is None:
            from nachhaken_tui.ui.screens.block import BlockDialog

            due = self.app.store.count_due(self.app.today)
            self.app.push_screen(BlockDialog(self.app.lang, min(max(due, 1), 5)), self._start_block)
            return

        def answered(end: bool | None) -> None:
            if end:
                self.confirm_discard_then(self._end_block)

        self.app.push_screen(
            ConfirmDialog(
                self.app.lang,
                self.t("block_end_title"),
                self.t("block_end_body", n=len(self.block.called)),
                self.t("block_end_yes"),
                self.t("block_end_no"),
            ),
            answered,
        )

    def _start_block(self, plan: BlockPlan | None) -> None:
        if plan is None:
            return
        from nachhaken_tui.core.calls.blocks import RunningBlock, start_block

        def begin() -> None:
            self._write(lambda: start_block(self.app.store, plan), started)

        def started(block_id: int) -> None:
            self.block = RunningBlock(block_id, plan, time.monotonic())
            self.block.by_email = [
                terminal_safe(due.offer.client)
                for due in self.app.store.page(InboxQuery(), self.app.today, limit=200)
                if not due.offer.callable
            ]
            if self.block.by_email:
                self.notify(self.t("block_no_phone", clients=", ".join(self.block.by_email)), markup=False)
            self.source.query = InboxQuery()
            self.reload()
            self._block_timer = self.set_interval(BLOCK_TICK_SECONDS, self._tick_block)
            if plan.plan:  # read once more as the block begins: rehearsed, it is kept more often
                self.notify(terminal_safe(plan.plan), title=self.t("block_plan"), timeout=12, markup=False)
            self._next_in_block()

        self.confirm_discard_then(begin)

    def _next_in_block(self) -> None:
        """Open the next due offer not yet called in this block, or end the block."""
        block = self.block
        if block is None or block.is_over(time.monotonic()):
            self._end_block()
            return
        self.source.query = InboxQuery()
        self.inbox.reload()
        for index, due in enumerate(self.app.store.page(InboxQuery(), self.app.today, limit=200)):
            if due.offer.id not in block.called and due.offer.callable:
                self.inbox.cursor = index
                self._show_header()
                self.start_script(due.offer.id)
                return
        self._end_block()

    def _tick_block(self) -> None:
        """Keep the minutes in the header current; end a block whose time is up
        unless a call is in progress (that one is finished first)."""
        if self.block is None:
            return
        self._show_header()
        if self.block.is_over(time.monotonic()) and not self.script_panel.has_answers:
            self.script_panel.stop()
            self._end_block()

    def _end_block(self) -> None:
        if self.block is None:
            return
        block_id = self.block.block_id
        by_email = self.block.by_email
        self.block = None
        self._block_timer.stop()
        store = self.app.store
        from nachhaken_tui.core.calls.blocks import block_summary, finish_block
        from nachhaken_tui.ui.screens.block import BlockSummaryScreen

        def answered(kept: bool | None) -> None:
            if kept is not None:
                self._write(lambda: finish_block(store, block_id, plan_kept=kept))

        def finished(_: None) -> None:
            summary = block_summary(store, block_id)
            self.app.push_screen(BlockSummaryScreen(self.app.lang, summary, by_email), answered)

        self._write(lambda: finish_block(store, block_id), finished)
        self.reload()
        self.inbox.focus()
