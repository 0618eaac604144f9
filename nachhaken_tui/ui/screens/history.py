"""`h`: one offer's calls as a timeline, newest first, with everything they recorded.

For each attempt: when (exact and humanised), the outcome, whether anyone was
reached, the date it set, the loss reason, the hesitation before and after,
the fear named and whether it came true, the notes, and every script answer
(question → answer). It scrolls by keyboard; Esc, q or h closes it.

One offer has a handful of calls, read through an indexed query, so the
screen loads them directly instead of in a worker. Everything that came from a
user (notes, answers, reasons, names) is plain `Text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nachhaken_tui.core.calls.close_loop import CLOSE_LOOP_STEP
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import Answer, Offer, Outcome
from nachhaken_tui.core.text.i18n import Catalog, format_date_long, humanize_date
from nachhaken_tui.core.text.wording import answer_text, loss_reason_label, outcome_label, status_label
from nachhaken_tui.ui.text import plain, step_label

if TYPE_CHECKING:
    from textual import getters

    from nachhaken_tui.ui.app import NachhakenApp

__all__ = ["HISTORY_TEXT", "HistoryScreen", "render_call", "render_history"]

HISTORY_TEXT = Catalog(
    {
        "title": {"de": "Verlauf", "en": "History"},
        "summary_0": {"de": "{status} · noch keine Anrufe", "en": "{status} · no calls yet"},
        "summary_1": {"de": "{status} · 1 Anruf", "en": "{status} · 1 call"},
        "summary_n": {"de": "{status} · {n} Anrufe", "en": "{status} · {n} calls"},
        "empty": {
            "de": "Noch keine Anrufe zu diesem Angebot.\n\nJeder Anruf aus dem Leitfaden und jedes "
            "schnelle Ergebnis im Posteingang erscheint hier.",
            "en": "No calls yet for this offer.\n\nEvery call from the script and every quick "
            "outcome from the inbox shows up here.",
        },
        "no_offer": {"de": "Dieses Angebot gibt es nicht mehr.", "en": "This offer no longer exists."},
        "hint": {"de": "↑/↓ Bild↑/Bild↓ blättern · Esc schließt", "en": "↑/↓ PgUp/PgDn scroll · Esc closes"},
        "outcome": {"de": "Ergebnis", "en": "Outcome"},
        "reached": {"de": "Erreicht", "en": "Reached"},
        "agreed": {"de": "Vereinbart für", "en": "Agreed for"},
        "next": {"de": "Nächster Versuch", "en": "Next attempt"},
        "loss_reason": {"de": "Grund", "en": "Reason"},
        "hesitation": {"de": "Hemmung vorher → nachher", "en": "Hesitation before → after"},
        "fear": {"de": "Befürchtung", "en": "Fear"},
        "notes": {"de": "Notizen", "en": "Notes"},
        "answers": {"de": "Antworten", "en": "Answers"},
        "reached_yes": {"de": "ja", "en": "yes"},
        "reached_voicemail": {"de": "Mailbox", "en": "voicemail"},
        "reached_no_answer": {"de": "niemand", "en": "no answer"},
        "reached_wrong_number": {"de": "falsche Nummer", "en": "wrong number"},
        "fear_needy": {"de": "bedürftig zu wirken", "en": "looking needy"},
        "fear_pushy": {"de": "aufdringlich zu wirken", "en": "coming across as pushy"},
        "fear_no": {"de": "ein „Nein“", "en": "a “no”"},
        "fear_none": {"de": "keine", "en": "none"},
        "fear_came_true": {"de": "trat ein", "en": "came true"},
        "fear_did_not": {"de": "trat nicht ein", "en": "did not come true"},
        "fear_guess": {"de": "geschätzt {n} %", "en": "guessed {n}%"},
        "coaching": {"de": "Coaching", "en": "Coaching"},
        "coaching_full": {"de": "ganz", "en": "full"},
        "coaching_faded": {"de": "kurz", "en": "short"},
        "none": {"de": "–", "en": "–"},
    }
)


def _t(lang: str, key: str, **fields: object) -> str:
    return HISTORY_TEXT.text(lang, key, **fields)


def _known(lang: str, prefix: str, value: str, label: Callable[[str, str], str] | None = None) -> Text:
    """A stored code in words; a value this version does not know, literally."""
    try:
        return Text(label(value, lang) if label else _t(lang, f"{prefix}_{value}"))
    except KeyError:
        return plain(value)


def _when(stamp: str | None, today: dt.date, lang: str) -> Text:
    """ "Thu 26 Nov 2026, 14:03 · today" from an ISO time with offset."""
    try:
        moment = dt.datetime.fromisoformat(stamp or "")
    except ValueError:
        return plain(stamp or _t(lang, "none"), style="bold")
    text = Text(f"{format_date_long(moment.date(), lang)}, {moment:%H:%M}", style="bold")
    text.append(f" · {humanize_date(moment.date(), today, lang)}", style="dim")
    return text


def render_call(
    call: dict, answers: list[Answer], lang: str, today: dt.date, titles: Mapping[str, str] | None = None
) -> RenderableType:
    """One attempt of the timeline: a heading with the time and a grid of what it recorded.

    Args:
        call: a row of `calls` (every column), as `Store.history` returns it.
        answers: its answered script steps, in order.
        titles: step id -> the label of its answers (`step_label`: "Entscheidung"
            rather than the question "Was ist die Antwort?").
    """
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    closed_loop = bool(answers) and answers[0].step == CLOSE_LOOP_STEP
    outcome = _known(lang, "outcome", "close_loop" if closed_loop else call["outcome"], outcome_label)
    outcome.stylize("bold")
    grid.add_row(_t(lang, "outcome"), outcome)
    if call.get("reached"):
        grid.add_row(_t(lang, "reached"), _known(lang, "reached", call["reached"]))
    if call.get("next_due"):
        try:
            agreed = Outcome(call["outcome"]).needs_date
        except ValueError:
            agreed = False
        try:
            day = Text(format_date_long(dt.date.fromisoformat(call["next_due"]), lang))
        except ValueError:
            day = plain(call["next_due"])
        grid.add_row(_t(lang, "agreed" if agreed else "next"), day)
    if call.get("loss_reason"):
        grid.add_row(_t(lang, "loss_reason"), plain(loss_reason_label(call["loss_reason"], lang)))
    before, after = call.get("hesitation_before"), call.get("hesitation_after")
    if before is not None or after is not None:
        none = _t(lang, "none")
        grid.add_row(
            _t(lang, "hesitation"),
            Text(f"{none if before is None else before} → {none if after is None else after}"),
        )
    if call.get("fear"):
        fear = _known(lang, "fear", call["fear"])
        if call.get("fear_likelihood") is not None:
            fear.append(f" ({_t(lang, 'fear_guess', n=call['fear_likelihood'])})")
        came_true = call.get("fear_came_true")
        if came_true is not None and call["fear"] != "none":
            fear.append(f" – {_t(lang, 'fear_came_true' if came_true else 'fear_did_not')}")
        grid.add_row(_t(lang, "fear"), fear)
    if call.get("coaching"):
        grid.add_row(_t(lang, "coaching"), _known(lang, "coaching", call["coaching"]))
    if call.get("notes"):
        grid.add_row(_t(lang, "notes"), plain(call["notes"]))
    parts: list[RenderableType] = [_when(call.get("ended_at") or call.get("started_at"), today, lang), grid]
    if answers:
        parts.append(Text(_t(lang, "answers"), style="dim underline"))
        for answer in answers:
            line = plain((titles or {}).get(answer.step) or answer.question, style="dim")
            line.append(" → ", style="dim")
            line.append(plain(answer_text(answer.answer, lang)))
            parts.append(line)
    return Group(*parts)


def render_history(
    calls: list[tuple[dict, list[Answer]]], lang: str, today: dt.date, titles: Mapping[str, str] | None = None
) -> RenderableType:
    """The whole timeline, newest first as given; the empty state when there are no calls."""
    if not calls:
        return Text(_t(lang, "empty"), style="dim")
    blocks: list[RenderableType] = []
    for call, answers in calls:
        if blocks:
            blocks.append(Text("─" * 24, style="dim"))
        blocks.append(render_call(call, answers, lang, today, titles))
    return Group(*blocks)


def _heading(offer: Offer | None, count: int, lang: str) -> Text:
    if offer is None:
        return Text(_t(lang, "title"), style="bold")
    text = Text(f"{_t(lang, 'title')}: ", style="bold")
    text.append(plain(offer.client, style="bold"))
    text.append(" – ")
    text.append(plain(offer.title, style="italic"))
    status = status_label(offer.status.value, lang)
    key = "summary_0" if count == 0 else "summary_1" if count == 1 else "summary_n"
    text.append(f"\n{_t(lang, key, status=status, n=count)}", style="dim")
    return text


class HistoryScreen(ModalScreen[None]):
    """The timeline of one offer's calls; Esc, q or h closes it.

    Args:
        store: the open database.
        offer_id: whose calls to show.
        lang: "de" or "en".
        today: for "today" / "9 days ago".
    """

    if TYPE_CHECKING:  # at run time Textual's own `app`; this only tells mypy its class
        app = getters.app(NachhakenApp)

    BINDINGS = [Binding("escape,q,h", "close", "Close", show=False)]

    def __init__(self, store: Store, offer_id: int, lang: str, today: dt.date) -> None:
        super().__init__()
        self.store = store
        self.offer_id = offer_id
        self.lang = lang
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog history-dialog"):
            yield Static(id="history-title", classes="dialog-title")
            with VerticalScroll(id="history-scroll"):
                yield Static(id="history-body")
            yield Static(_t(self.lang, "hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        offer = self.store.get_offer(self.offer_id)
        calls = self.store.history(self.offer_id) if offer is not None else []
        self.query_one("#history-title", Static).update(_heading(offer, len(calls), self.lang))
        titles = {step.id: step_label(step) for step in self.app.script.steps.values()}
        body = (
            render_history(calls, self.lang, self.today, titles) if offer else Text(_t(self.lang, "no_offer"))
        )
        self.query_one("#history-body", Static).update(body)
        self.query_one("#history-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
